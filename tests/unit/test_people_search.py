"""The people list's search index (issue 23) finds exactly what the list's casefold
substring match found, in name order, for short and long needles alike."""

from __future__ import annotations

from planner.services import contacts
from planner.storage import people_search
from planner.storage.contacts_repo import people_ids

NAMES = ["Ada Lovelace", "ada byron", "Émile Zola", "Zoë Ng", "Straße Müller", "O'Brien \"Bo\"",
         "Grace Hopper", "grace Kelly", "Linus"]


def test_the_index_matches_like_casefold_in_name_order(opened):
    for n, name in enumerate(NAMES):
        contacts.add_contact(name, email=f"p{n}@example.org", tags=["speaker"] if n % 2 else [],
                             organization="Navy" if "Grace" in name else "")
    index = people_search.build()
    order = people_ids()
    everyone = {c.id: c for c in contacts.list_contacts()}
    for needle in ("a", "gr", "grace", "émile", "zoë", "STRASSE".casefold(), "müller", "navy",
                   "speaker", "\"bo\"", "o'b", "p1@", "zzz", "%", "_"):
        wanted = [cid for cid in order
                  if needle in " ".join((everyone[cid].name, everyone[cid].email,
                                         everyone[cid].organization,
                                         *everyone[cid].tags)).casefold()]
        assert index.match(needle) == wanted, needle


def test_stale_after_a_rename_or_a_removal(opened):
    ids = [contacts.add_contact(name).id for name in NAMES[:3]]
    index = people_search.build()
    assert not index.stale(ids)
    contacts.edit_contact(ids[0], name="Someone Else")
    assert index.stale([ids[0]])
    contacts.remove_contact(ids[1])
    assert index.stale([ids[1]])
