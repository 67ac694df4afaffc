"""Adding, editing, finding and removing people."""

from __future__ import annotations

import unicodedata
from dataclasses import fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING, NoReturn

from planner.domain.contact import Contact, refuse_undecoded
from planner.domain.errors import Ambiguous, ConflictError, InvalidInput, NotFound
from planner.domain.fields import clean_fields
from planner.domain.formatting import is_whole_number
from planner.domain.rings import Ring
from planner.storage import contacts_repo as repo
from planner.storage.fields import to_utc

if TYPE_CHECKING:
    from planner.storage.backend import Backend


def on_a_team() -> bool:
    """Whether the open database is a team's (its rings, cadences and notes per user)."""
    return repo.team()


def now() -> datetime:
    return datetime.now(UTC)


def add_contact(store: Backend, name: str, *, ring: Ring | None = None, **values) -> Contact:
    """Create a person (optionally placed on a ring) in one transaction."""
    from planner.services.placement import move_contact

    data = clean_fields({"name": name, **values})
    own_cadence = data.pop("cadence_days", None) if repo.team() else None
    stamp = now()
    with store.write():
        contact_id = repo.insert_contact(data, stamp)
        if own_cadence is not None:
            repo.set_own_cadence(contact_id, own_cadence)
        if ring is not None:
            move_contact(store, contact_id, ring)
    return get_contact(contact_id)


def edit_contact(store: Backend, contact_id: int, *, expected_version: int | None = None,
                 **values) -> Contact:
    """Change a person's fields. On a team database ``cadence_days`` is the connected
    user's own cadence for them (the shared row is not touched for it).

    ``expected_version``: the version the caller showed; if someone else changed the
    person since, ConflictError and nothing is written (the check and the write are
    one UPDATE, so two writers cannot both pass it).
    """
    data = clean_fields(values)
    with store.write():
        contact = require(contact_id)
        if "cadence_days" in data and repo.team():
            repo.set_own_cadence(contact_id, data.pop("cadence_days"))
        if data and not repo.update_contact(contact_id, data, now(), expected_version):
            raise ConflictError(
                f"{contact.name} was changed by someone else meanwhile; your edit was not "
                "saved — the window now shows their version")
    return get_contact(contact_id)


def remove_contact(store: Backend, contact_id: int) -> list[dict]:
    """Move a person to the trash: unplaced, hidden, restorable with everything they had.

    Returns the ring-move rows the removal wrote (an undo deletes them again).
    """
    from planner.services.placement import move_contact

    history: list[dict] = []
    with store.write():
        contact = require(contact_id)
        if contact.ring is not None:
            history = move_contact(store, contact_id, None).history
        stamp = now()
        repo.set_deleted_at(contact_id, stamp, stamp)
    return history


def restore_contact(store: Backend, contact_id: int) -> Contact:
    with store.write():
        if not repo.set_deleted_at(contact_id, None, now()):
            raise NotFound(f"no contact with id {contact_id}")
    return get_contact(contact_id)


def get_contact(contact_id: int) -> Contact:
    contact = repo.load_contact(contact_id)
    if contact is None:
        raise NotFound(f"no contact with id {contact_id}")
    return contact


require = get_contact


def team_last_touch(contact_id: int) -> tuple[datetime, str, str] | None:
    """The newest touchpoint with a person by anyone on the team: (time, kind, author),
    or None. ``Contact.last_touch`` is the connected user's own (the same in a file)."""
    return repo.team_last_touch(contact_id)


# -- what the window reads (planner.document, the people list): the repository's own
# answers, published here so that nothing above the services reaches into storage
def find_contact(contact_id: int) -> Contact | None:
    """A living person by id, or None."""
    return repo.load_contact(contact_id)


def contacts_by_id(ids: list[int]) -> list[Contact]:
    """These living people (the ones that exist), in no particular order."""
    return repo.load_contacts(ids)


def placed_contacts() -> list[Contact]:
    """The people on the connected user's rings."""
    return repo.load_contacts(repo.placed_ids())


def count_contacts() -> int:
    """How many living people there are."""
    return repo.count_contacts()


def placements() -> dict[int, tuple[str, int]]:
    """The connected user's rings: contact id → (ring value, position)."""
    return repo.placements()


people_ids = repo.people_ids  # the people list's order and filter, in SQL
people_rows = repo.people_rows  # what the people list shows of a page of people
stored_time = to_utc  # a row's time as stored (SQLite text, a PostgreSQL datetime) as aware UTC


def list_contacts(ring: Ring | str | None = "all") -> list[Contact]:
    """Everyone (``"all"``), the people on one ring, or the unplaced (``None``)."""
    people = repo.load_contacts()
    if ring == "all":
        return people
    return [c for c in people if c.ring == ring]


def resolve_contact(text: str) -> Contact:
    """Find a person by id (``42`` or ``#42``) or by a case-insensitive unique name."""
    key = unicodedata.normalize("NFC", text or "").strip()  # names are stored NFC
    if not key:
        raise InvalidInput("name a contact (by name or id)")
    refuse_undecoded(key, "the contact's name")
    digits = key[1:] if key.startswith("#") else key
    if is_whole_number(digits):
        found = repo.load_contact(int(digits))
        if found is not None:
            return found
        if key.startswith("#"):
            _no_such_id(int(digits))
    matches = repo.find_by_name(key)
    if not matches and is_whole_number(digits):  # an id: "no contact named '7'" said little
        _no_such_id(int(digits))
    if not matches:
        raise NotFound(f"no contact named {key!r} (try 'planner contacts list')")
    if len(matches) > 1:
        listing = "; ".join(f"#{cid} {name}" for cid, name in matches)
        folded = " ".join(key.casefold().split())
        if all(" ".join(name.casefold().split()) == folded for _cid, name in matches):
            # namesakes: the full name was given, and only an id tells them apart
            raise Ambiguous(f"{len(matches)} people are named {key!r}: {listing}. "
                            f"Use the id, e.g. #{matches[0][0]}", matches)
        raise Ambiguous(
            f"{len(matches)} contacts match {key!r}: {listing}. Use an id or the full name", matches
        )
    return get_contact(matches[0][0])


def _no_such_id(contact_id: int) -> NoReturn:
    """NotFound for an id nobody living has: removed (in the trash), or never given."""
    removed = repo.load_contact(contact_id, include_deleted=True)
    if removed is not None:
        raise NotFound(f"#{contact_id} {removed.name} was removed (it is in the trash)")
    raise NotFound(f"no contact with id {contact_id}")


def contact_as_dict(contact: Contact) -> dict:
    """The documented JSON shape of a contact."""
    out = {f.name: getattr(contact, f.name) for f in fields(contact)}
    out["ring"] = contact.ring.value if contact.ring else None
    out["birthday"] = contact.birthday.iso() if contact.birthday else None
    for key in ("last_touch", "created_at", "updated_at"):
        out[key] = out[key].isoformat() if out[key] else None
    for key in ("phones", "channels", "tags"):
        out[key] = list(out[key])
    return out


def purge_contact(store: Backend, contact_id: int, placements) -> None:
    """Delete a person and all their rows for good (undo of an add), and put the
    rings back to ``placements``."""
    with store.write():
        repo.hard_delete(contact_id)
        repo.restore_placements(placements)


def unpurge_contact(store: Backend, rows: dict, placements) -> None:
    with store.write():
        repo.load_dump(rows)
        repo.restore_placements(placements)
