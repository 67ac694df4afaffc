"""Use cases on a real (temporary file) database: people, rings, touchpoints, notes,
the merged timeline and exact undo of moves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from planner.domain.errors import Ambiguous, InvalidInput, NotFound, RingFull
from planner.domain.kinds import Kind
from planner.domain.rings import Ring
from planner.domain.timeline import EntryType
from planner.services import contacts, placement, touchpoints
from planner.services.settings import (
    cadences,
    capacities,
    set_cadences,
    set_capacities,
)
from tests.helpers.stores import bound

# on SQLite and on a team database (tests/conftest.py)
pytestmark = [pytest.mark.usefixtures("opened"), pytest.mark.both_engines]

T0 = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def ring_of(contact_id: int) -> Ring | None:
    return contacts.get_contact(contact_id).ring


def order(ring: Ring) -> list[str]:
    people = [c for c in contacts.list_contacts(ring)]
    return [c.name for c in sorted(people, key=lambda c: c.position)]


def table(opened, name: str) -> list[tuple]:
    """PostgreSQL has no rowid: ordered by the first column (the id, or the key)."""
    return opened.db.execute_sql(f"SELECT * FROM {name} ORDER BY 1").fetchall()


def fill_ring(ring: Ring, *names: str) -> list[int]:
    return [contacts.add_contact(bound(), n, ring=ring).id for n in names]


# ------------------------------------------------------------ add and edit


def test_add_contact_with_everything():
    ada = contacts.add_contact(bound(),
        "  Ada Lovelace ",
        ring=Ring.INNER,
        email="ada@example.org",
        tags=["math", " Math ", "engines"],
        channels=["im", "email"],
        handles={"GitHub": "ada"},
        birthday="--12-10",
        cadence_days=5,
        stage="cultivating",
        notes="first programmer\nlikes engines",
    )
    assert ada.id > 0
    assert ada.name == "Ada Lovelace"
    assert ada.ring is Ring.INNER
    assert ada.position == 0
    assert ada.tags == ("math", "engines")
    assert ada.channels == ("im", "email")
    assert ada.handles == {"github": "ada"}
    assert ada.birthday is not None and ada.birthday.iso() == "--12-10"
    assert ada.cadence_days == 5
    assert ada.stage == "cultivating"
    assert ada.last_touch is None
    assert ada.created_at is not None and ada.created_at.tzinfo is not None
    assert contacts.get_contact(ada.id) == ada


def test_add_refuses_bad_input_and_writes_nothing():
    for kwargs in (
        {"email": "not-an-email"},
        {"birthday": "2023-02-29"},
        {"cadence_days": 0},
        {"stage": "famous"},
        {"tags": ["ok", "bad\x00"]},
    ):
        with pytest.raises(InvalidInput):
            contacts.add_contact(bound(), "Ada", **kwargs)
    with pytest.raises(InvalidInput):
        contacts.add_contact(bound(), "")
    with pytest.raises(InvalidInput, match="NUL"):
        contacts.add_contact(bound(), "Ada\x00")
    assert contacts.list_contacts() == []


def test_add_onto_a_full_ring_is_refused_and_the_person_is_not_created():
    fill_ring(Ring.INNER, "Ada", "Grace", "Linus")
    with pytest.raises(RingFull, match="Ada, Grace, Linus"):
        contacts.add_contact(bound(), "Margaret", ring=Ring.INNER)
    assert [c.name for c in contacts.list_contacts()] == ["Ada", "Grace", "Linus"]


def test_unknown_field_is_a_programming_error():
    with pytest.raises(TypeError):
        contacts.add_contact(bound(), "Ada", favourite_colour="blue")


def test_edit_changes_only_what_is_given_and_bumps_the_version():
    ada = contacts.add_contact(bound(), "Ada", email="ada@example.org", tags=["math"])
    edited = contacts.edit_contact(bound(), ada.id, name="Ada Lovelace", tags=["engines"])
    assert edited.name == "Ada Lovelace"
    assert edited.email == "ada@example.org"
    assert edited.tags == ("engines",)
    assert edited.version == ada.version + 1
    assert edited.updated_at >= ada.updated_at
    cleared = contacts.edit_contact(bound(), ada.id, email="", birthday=None, cadence_days=None)
    assert cleared.email == ""
    assert cleared.birthday is None
    assert cleared.cadence_days is None
    with pytest.raises(InvalidInput):
        contacts.edit_contact(bound(), ada.id, email="nope")
    assert contacts.get_contact(ada.id).email == ""
    with pytest.raises(NotFound):
        contacts.edit_contact(bound(), 999, name="Ghost")


# ------------------------------------------------------ remove and restore


def test_remove_hides_unplaces_and_restore_brings_back():
    _ada, grace, _linus = fill_ring(Ring.INNER, "Ada", "Grace", "Linus")
    touchpoints.log_touchpoint(bound(), grace, "coffee", at=T0, note="espresso")
    contacts.remove_contact(bound(), grace)

    assert [c.name for c in contacts.list_contacts()] == ["Ada", "Linus"]
    assert order(Ring.INNER) == ["Ada", "Linus"]
    assert [c.position for c in contacts.list_contacts(Ring.INNER)] == [0, 1]
    assert placement.ring_fill()[Ring.INNER] == (2, 3)
    with pytest.raises(NotFound):
        contacts.get_contact(grace)
    with pytest.raises(NotFound):
        contacts.resolve_contact("Grace")
    with pytest.raises(NotFound):
        contacts.resolve_contact(f"#{grace}")
    with pytest.raises(NotFound):
        touchpoints.log_touchpoint(bound(), grace, "im")
    assert all(e.contact_id != grace for e in touchpoints.timeline(limit=100))
    # the ring has room again
    contacts.add_contact(bound(), "Margaret", ring=Ring.INNER)

    back = contacts.restore_contact(bound(), grace)
    assert back.name == "Grace"
    assert back.ring is None  # restored to the wider network
    assert back.last_touch == T0  # with everything they had
    assert contacts.resolve_contact("grace").id == grace
    assert [
        e.text for e in touchpoints.timeline(grace, limit=10) if e.type is EntryType.TOUCHPOINT
    ] == ["espresso"]
    moves = [e for e in touchpoints.timeline(grace, limit=10) if e.type is EntryType.MOVE]
    assert [(m.from_ring, m.to_ring) for m in moves] == [("inner", None), (None, "inner")]
    with pytest.raises(NotFound):
        contacts.restore_contact(bound(), 999)


def test_remove_unplaced_person_writes_no_move():
    ada = contacts.add_contact(bound(), "Ada")
    assert contacts.remove_contact(bound(), ada.id) == []
    assert touchpoints.timeline(limit=10) == []
    with pytest.raises(NotFound):
        contacts.remove_contact(bound(), ada.id)


# ----------------------------------------------------------------- resolve


@pytest.fixture
def people():
    return {
        "ada": contacts.add_contact(bound(), "Ada Lovelace").id,
        "grace": contacts.add_contact(bound(), "Grace Hopper").id,
        "grace2": contacts.add_contact(bound(), "Grace Brewster").id,
        "alan": contacts.add_contact(bound(), "Alan Turing").id,
        "zoe": contacts.add_contact(bound(), "Zoë Brontë-Smith").id,
    }


def test_resolve_by_id_and_hash_id(people):
    assert contacts.resolve_contact(str(people["alan"])).name == "Alan Turing"
    assert contacts.resolve_contact(f"#{people['alan']}").name == "Alan Turing"
    assert contacts.resolve_contact(f" #{people['ada']} ").name == "Ada Lovelace"
    with pytest.raises(NotFound, match="no contact with id 999"):
        contacts.resolve_contact("#999")
    with pytest.raises(NotFound):
        contacts.resolve_contact("999")


def test_resolve_by_full_name_case_insensitively(people):
    assert contacts.resolve_contact("grace hopper").id == people["grace"]
    assert contacts.resolve_contact("GRACE  HOPPER").id == people["grace"]
    assert contacts.resolve_contact("ZOË brontë-smith").id == people["zoe"]


def test_resolve_by_unique_word_prefix(people):
    assert contacts.resolve_contact("ada").id == people["ada"]
    assert contacts.resolve_contact("ADA").id == people["ada"]
    assert contacts.resolve_contact("alan").id == people["alan"]
    assert contacts.resolve_contact("tur").id == people["alan"]
    assert contacts.resolve_contact("Hop").id == people["grace"]
    assert contacts.resolve_contact("lovelace").id == people["ada"]


def test_ambiguous_name_lists_the_matches(people):
    with pytest.raises(Ambiguous) as err:
        contacts.resolve_contact("grace")
    assert sorted(err.value.matches) == sorted(
        [(people["grace"], "Grace Hopper"), (people["grace2"], "Grace Brewster")]
    )
    message = str(err.value)
    assert "Grace Hopper" in message and "Grace Brewster" in message
    assert f"#{people['grace']}" in message
    assert "\n" not in message


def test_exact_name_wins_over_prefix_matches():
    exact = contacts.add_contact(bound(), "Ada").id
    contacts.add_contact(bound(), "Ada Lovelace")
    assert contacts.resolve_contact("ada").id == exact


def test_two_people_with_the_same_name_are_ambiguous():
    a = contacts.add_contact(bound(), "Sam Lee").id
    b = contacts.add_contact(bound(), "sam lee").id
    with pytest.raises(Ambiguous) as err:
        contacts.resolve_contact("Sam Lee")
    assert {cid for cid, _ in err.value.matches} == {a, b}
    assert contacts.resolve_contact(str(a)).id == a


def test_unknown_and_empty(people):
    with pytest.raises(NotFound, match="no contact named 'Nobody'"):
        contacts.resolve_contact("Nobody")
    with pytest.raises(InvalidInput):
        contacts.resolve_contact("   ")


def test_resolve_matches_a_differently_normalised_name(people):
    # the terminal may hand over "Zoë" decomposed (e + combining diaeresis)
    assert contacts.resolve_contact("Zoe\u0308").id == people["zoe"]


# ------------------------------------------------------------------ moves


def test_move_places_promotes_demotes_and_records_history():
    ada = contacts.add_contact(bound(), "Ada").id
    first = placement.move_contact(bound(), ada, Ring.OUTER)
    assert first.changed
    assert first.before == ()
    assert [h["to_ring"] for h in first.history] == ["outer"]
    placement.promote(bound(), ada)
    assert ring_of(ada) is Ring.MIDDLE
    placement.promote(bound(), ada)
    assert ring_of(ada) is Ring.INNER
    with pytest.raises(InvalidInput, match="already on the inner ring"):
        placement.promote(bound(), ada)
    placement.demote(bound(), ada)
    assert ring_of(ada) is Ring.MIDDLE
    placement.move_contact(bound(), ada, None)
    assert ring_of(ada) is None
    with pytest.raises(InvalidInput, match="not on a ring"):
        placement.demote(bound(), ada)
    moves = [e for e in touchpoints.timeline(ada, limit=20) if e.type is EntryType.MOVE]
    assert [(m.from_ring, m.to_ring) for m in reversed(moves)] == [
        (None, "outer"),
        ("outer", "middle"),
        ("middle", "inner"),
        ("inner", "middle"),
        ("middle", None),
    ]


def test_move_into_a_full_ring_is_refused_with_names_and_nothing_changes(opened):
    fill_ring(Ring.INNER, "Ada", "Grace", "Linus")
    margaret = contacts.add_contact(opened.backend, "Margaret", ring=Ring.MIDDLE).id
    placement_before, moves_before = table(opened, "placement"), table(opened, "ring_move")
    with pytest.raises(RingFull) as err:
        placement.move_contact(opened.backend, margaret, Ring.INNER)
    assert "Ada, Grace, Linus" in str(err.value)
    assert table(opened, "placement") == placement_before
    assert table(opened, "ring_move") == moves_before


def test_swap_gives_the_other_the_movers_old_ring_and_position():
    _ada, grace, _linus = fill_ring(Ring.INNER, "Ada", "Grace", "Linus")
    _m1, m2, _m3 = fill_ring(Ring.MIDDLE, "M1", "M2", "M3")
    outcome = placement.move_contact(bound(), m2, Ring.INNER, swap_with=grace)
    assert order(Ring.INNER) == ["Ada", "M2", "Linus"]
    assert order(Ring.MIDDLE) == ["M1", "Grace", "M3"]
    assert contacts.get_contact(grace).position == 1
    assert [(h["contact"], h["from_ring"], h["to_ring"]) for h in outcome.history] == [
        (m2, "middle", "inner"),
        (grace, "inner", "middle"),
    ]


def test_swap_from_unplaced_unplaces_the_other():
    _ada, _grace, linus = fill_ring(Ring.INNER, "Ada", "Grace", "Linus")
    newbie = contacts.add_contact(bound(), "Newbie").id
    outcome = placement.move_contact(bound(), newbie, Ring.INNER, swap_with=linus)
    assert order(Ring.INNER) == ["Ada", "Grace", "Newbie"]
    assert ring_of(linus) is None
    assert len(outcome.history) == 2


def test_swap_within_a_ring_trades_places_without_history():
    ada, _grace, linus = fill_ring(Ring.INNER, "Ada", "Grace", "Linus")
    outcome = placement.move_contact(bound(), ada, Ring.INNER, swap_with=linus)
    assert order(Ring.INNER) == ["Linus", "Grace", "Ada"]
    assert outcome.history == []
    assert outcome.changed


def test_swap_with_someone_not_on_that_ring_is_refused():
    (ada,) = fill_ring(Ring.INNER, "Ada")
    (mid,) = fill_ring(Ring.MIDDLE, "Mid")
    with pytest.raises(InvalidInput, match="is not on the inner ring"):
        placement.move_contact(bound(), contacts.add_contact(bound(), "X").id, Ring.INNER,
                               swap_with=mid)
    with pytest.raises(InvalidInput):
        placement.move_contact(bound(), ada, None, swap_with=mid)


def test_reorder_positions_are_clamped_and_contiguous():
    a, _b, c, d = fill_ring(Ring.MIDDLE, "A", "B", "C", "D")
    placement.move_contact(bound(), d, Ring.MIDDLE, position=0)
    assert order(Ring.MIDDLE) == ["D", "A", "B", "C"]
    placement.move_contact(bound(), d, Ring.MIDDLE, position=99)
    assert order(Ring.MIDDLE) == ["A", "B", "C", "D"]
    placement.move_contact(bound(), a, Ring.MIDDLE, position=2)
    assert order(Ring.MIDDLE) == ["B", "C", "A", "D"]
    placement.move_contact(bound(), contacts.add_contact(bound(), "E").id, Ring.MIDDLE, position=1)
    assert order(Ring.MIDDLE) == ["B", "E", "C", "A", "D"]
    placement.move_contact(bound(), c, None)
    assert order(Ring.MIDDLE) == ["B", "E", "A", "D"]
    assert sorted(p.position for p in contacts.list_contacts(Ring.MIDDLE)) == [0, 1, 2, 3]
    # reordering is not a move between rings: no history for it
    moves = [e for e in touchpoints.timeline(d, limit=20) if e.type is EntryType.MOVE]
    assert len(moves) == 1


def test_moving_onto_the_same_ring_without_a_position_is_a_no_op():
    a, _b, _c = fill_ring(Ring.MIDDLE, "A", "B", "C")
    outcome = placement.move_contact(bound(), a, Ring.MIDDLE)
    assert order(Ring.MIDDLE) == ["A", "B", "C"], "A was sent to the end of the ring"
    assert not outcome.changed
    assert outcome.history == []


def test_lower_capacity_never_unplaces_and_is_shown_as_over_capacity():
    fill_ring(Ring.INNER, "Ada", "Grace", "Linus")
    set_capacities(bound(), {Ring.INNER: 2})
    assert capacities()[Ring.INNER] == 2
    assert capacities()[Ring.MIDDLE] == 12
    assert placement.ring_fill()[Ring.INNER] == (3, 2)
    with pytest.raises(RingFull):
        contacts.add_contact(bound(), "Margaret", ring=Ring.INNER)
    with pytest.raises(InvalidInput):
        set_capacities(bound(), {Ring.OUTER: 0})
    assert capacities()[Ring.OUTER] == 72


def test_cadence_settings():
    assert cadences() == {Ring.INNER: 3, Ring.MIDDLE: 14, Ring.OUTER: 42}
    set_cadences(bound(), {Ring.MIDDLE: 10})
    assert cadences()[Ring.MIDDLE] == 10
    with pytest.raises(InvalidInput):
        set_cadences(bound(), {Ring.INNER: 0})


def test_unknown_contact_cannot_be_moved():
    with pytest.raises(NotFound):
        placement.move_contact(bound(), 404, Ring.INNER)


# ------------------------------------------------------------- exact undo


def _scramble():
    """Placements whose row ids are not in contact order, as real use leaves them."""
    inner = fill_ring(Ring.INNER, "Ada", "Grace", "Linus")
    middle = fill_ring(Ring.MIDDLE, "M1", "M2", "M3", "M4")
    placement.move_contact(bound(), inner[0], None)
    placement.move_contact(bound(), middle[1], Ring.INNER)
    placement.move_contact(bound(), inner[0], Ring.OUTER)
    placement.move_contact(bound(), middle[3], Ring.MIDDLE, position=0)
    return inner, middle


@pytest.mark.parametrize(
    "action",
    ["plain", "swap", "swap_from_unplaced", "swap_within", "unplace", "reorder", "to_outer"],
)
def test_restore_state_puts_placement_and_history_back_exactly(opened, action):
    inner, middle = _scramble()
    loner = contacts.add_contact(bound(), "Loner").id
    before = (table(opened, "placement"), table(opened, "ring_move"))

    if action == "plain":
        outcome = placement.move_contact(bound(), middle[0], Ring.OUTER)
    elif action == "swap":
        outcome = placement.move_contact(bound(), middle[2], Ring.INNER, swap_with=inner[1])
    elif action == "swap_from_unplaced":
        outcome = placement.move_contact(bound(), loner, Ring.INNER, swap_with=inner[2])
    elif action == "swap_within":
        outcome = placement.move_contact(bound(), middle[0], Ring.MIDDLE, swap_with=middle[3])
    elif action == "unplace":
        outcome = placement.move_contact(bound(), inner[1], None)
    elif action == "reorder":
        outcome = placement.move_contact(bound(), middle[2], Ring.MIDDLE, position=0)
    else:
        outcome = placement.move_contact(bound(), inner[2], Ring.OUTER, position=0)
    assert outcome.changed
    after = (table(opened, "placement"), table(opened, "ring_move"))
    assert after != before

    placement.restore_state(bound(), outcome.before, remove_history=outcome.history, add_history=[])
    assert (table(opened, "placement"), table(opened, "ring_move")) == before

    # redo puts back exactly what the move did
    placement.restore_state(bound(), outcome.after, remove_history=[], add_history=outcome.history)
    assert (table(opened, "placement"), table(opened, "ring_move")) == after


# ------------------------------------------------------ touchpoints, notes


def test_log_touchpoint_resets_last_touch_and_accepts_aliases():
    ada = contacts.add_contact(bound(), "Ada").id
    tp = touchpoints.log_touchpoint(bound(), ada, "beer", at=T0, minutes=90, note="  pub  ")
    assert tp.kind == "meal"
    assert tp.minutes == 90
    assert tp.note == "pub"
    assert tp.at == T0
    assert contacts.get_contact(ada).last_touch == T0
    assert contacts.get_contact(ada).last_touch_kind == "meal"
    touchpoints.log_touchpoint(bound(), ada, Kind.VIDEO, at=T0 - timedelta(days=3))
    assert contacts.get_contact(ada).last_touch == T0  # an older touch does not win
    later = touchpoints.log_touchpoint(bound(), ada, "skype", at=T0 + timedelta(hours=1))
    assert later.kind == "video"
    assert contacts.get_contact(ada).last_touch == T0 + timedelta(hours=1)
    assert contacts.get_contact(ada).last_touch_kind == "video"


def test_log_touchpoint_defaults_to_now():
    ada = contacts.add_contact(bound(), "Ada").id
    before = datetime.now(UTC)
    tp = touchpoints.log_touchpoint(bound(), ada, "im")
    assert before <= tp.at <= datetime.now(UTC)
    assert tp.note == ""
    assert tp.minutes is None


def test_log_touchpoint_refusals_write_nothing():
    ada = contacts.add_contact(bound(), "Ada").id
    with pytest.raises(InvalidInput, match="unknown kind"):
        touchpoints.log_touchpoint(bound(), ada, "telepathy")
    for bad in (-1, 1441, 2.5):
        with pytest.raises(InvalidInput, match="minutes"):
            touchpoints.log_touchpoint(bound(), ada, "call", minutes=bad)
    with pytest.raises(InvalidInput, match="NUL"):
        touchpoints.log_touchpoint(bound(), ada, "call", note="a\x00b")
    with pytest.raises(NotFound):
        touchpoints.log_touchpoint(bound(), 999, "call")
    assert contacts.get_contact(ada).last_touch is None


def test_notes_need_text_and_do_not_reset_cadence():
    ada = contacts.add_contact(bound(), "Ada").id
    note = touchpoints.add_note(bound(), ada, "# Plans\n\n- talk at *PyCon*", at=T0)
    assert note.text == "# Plans\n\n- talk at *PyCon*"
    assert note.at == T0
    assert contacts.get_contact(ada).last_touch is None
    with pytest.raises(InvalidInput, match="needs some text"):
        touchpoints.add_note(bound(), ada, "   \n ")
    with pytest.raises(NotFound):
        touchpoints.add_note(bound(), 999, "text")


def test_edit_delete_and_restore_touchpoints_and_notes_keep_ids():
    ada = contacts.add_contact(bound(), "Ada").id
    tp = touchpoints.log_touchpoint(bound(), ada, "coffee", at=T0, minutes=10)
    edited = touchpoints.edit_touchpoint(bound(), tp.id, kind="call", minutes=None, note="rang")
    assert (edited.kind, edited.minutes, edited.note, edited.version) == ("call", None, "rang", 2)
    data = touchpoints.delete_touchpoint(bound(), tp.id)
    with pytest.raises(NotFound):
        touchpoints.get_touchpoint(tp.id)
    assert contacts.get_contact(ada).last_touch is None
    back = touchpoints.restore_touchpoint(bound(), data)
    assert back == edited

    note = touchpoints.add_note(bound(), ada, "first", at=T0)
    assert touchpoints.edit_note(bound(), note.id, text="second").text == "second"
    with pytest.raises(InvalidInput):
        touchpoints.edit_note(bound(), note.id, text="  ")
    saved = touchpoints.delete_note(bound(), note.id)
    with pytest.raises(NotFound):
        touchpoints.get_note(note.id)
    assert touchpoints.restore_note(bound(), saved).text == "second"
    with pytest.raises(NotFound):
        touchpoints.delete_note(bound(), 999)
    with pytest.raises(NotFound):
        touchpoints.edit_touchpoint(bound(), 999, kind="im")


# ----------------------------------------------------------------- timeline


def test_timeline_merges_everything_newest_first():
    ada = contacts.add_contact(bound(), "Ada").id
    grace = contacts.add_contact(bound(), "Grace").id
    created_at = contacts.get_contact(grace).created_at
    touchpoints.log_touchpoint(bound(), ada, "coffee", at=T0, note="espresso")
    touchpoints.add_note(bound(), grace, "wants to speak", at=T0 + timedelta(hours=1))
    touchpoints.log_touchpoint(bound(), grace, "im", at=T0 - timedelta(days=1), minutes=5)
    move = placement.move_contact(bound(), grace, Ring.MIDDLE)

    entries = touchpoints.timeline(limit=50)
    keys = [(e.at, e.type) for e in entries]
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    types = {e.type for e in entries}
    assert types == {EntryType.TOUCHPOINT, EntryType.NOTE, EntryType.MOVE, EntryType.CREATED}
    assert len(entries) == 6, keys
    # the move and the creations happened now, which is after the 2026-11-16 entries
    now_part = entries[:3]
    assert {e.type for e in now_part} == {EntryType.MOVE, EntryType.CREATED}
    assert now_part[0].type is EntryType.MOVE
    assert now_part[0].at == move.history[0]["at"]
    assert [(e.type, e.contact, e.text) for e in entries[3:]] == [
        (EntryType.NOTE, "Grace", "wants to speak"),
        (EntryType.TOUCHPOINT, "Ada", "espresso"),
        (EntryType.TOUCHPOINT, "Grace", ""),
    ]
    assert entries[3].at == T0 + timedelta(hours=1)
    assert entries[-1].minutes == 5
    assert entries[-1].kind == "im"
    assert all(e.at.tzinfo is not None for e in entries)
    assert any(e.type is EntryType.CREATED and e.at == created_at for e in entries)

    just_grace = touchpoints.timeline(grace, limit=50)
    assert {e.contact_id for e in just_grace} == {grace}
    assert len(just_grace) == 4
    assert [e.type for e in touchpoints.timeline(grace, limit=2)] == [
        EntryType.MOVE,
        EntryType.CREATED,
    ]
    coffee_only = touchpoints.timeline(kinds={"coffee"}, limit=50)
    assert [e.text for e in coffee_only] == ["espresso"]
    with pytest.raises(InvalidInput):
        touchpoints.timeline(limit=0)


def test_timeline_entry_dict_has_the_documented_shape():
    ada = contacts.add_contact(bound(), "Ada").id
    touchpoints.log_touchpoint(bound(), ada, "coffee", at=T0, note="espresso", minutes=15)
    touchpoints.add_note(bound(), ada, "a note", at=T0 - timedelta(hours=1))
    placement.move_contact(bound(), ada, Ring.INNER)
    by_type = {e.type: touchpoints.entry_as_dict(e) for e in touchpoints.timeline(limit=10)}
    for data in by_type.values():
        assert {"id", "contact_id", "contact", "type", "kind", "at", "text"} <= set(data)
        assert data["contact_id"] == ada
        assert data["contact"] == "Ada"
        assert datetime.fromisoformat(data["at"]).tzinfo is not None
    tp = by_type[EntryType.TOUCHPOINT]
    assert (tp["type"], tp["kind"], tp["text"], tp["minutes"]) == (
        "touchpoint",
        "coffee",
        "espresso",
        15,
    )
    assert datetime.fromisoformat(tp["at"]) == T0
    assert by_type[EntryType.NOTE]["type"] == "note"
    assert by_type[EntryType.NOTE]["text"] == "a note"
    mv = by_type[EntryType.MOVE]
    assert mv["type"] == "move"
    assert mv["text"] == "placed on the inner ring"
    assert (mv["from_ring"], mv["to_ring"]) == (None, "inner")
    ids = [d["id"] for d in by_type.values()]
    assert len(set(ids)) == len(ids)


def test_contact_dict_has_the_documented_shape():
    ada = contacts.add_contact(bound(), "Ada", email="ada@example.org", tags=["x"],
                               birthday="--02-29")
    data = contacts.contact_as_dict(contacts.get_contact(ada.id))
    assert data["id"] == ada.id
    assert data["name"] == "Ada"
    assert data["ring"] is None
    assert data["email"] == "ada@example.org"
    assert data["tags"] == ["x"]
    assert data["last_touch"] is None
    assert data["birthday"] == "--02-29"
    placement.move_contact(bound(), ada.id, Ring.OUTER)
    touchpoints.log_touchpoint(bound(), ada.id, "im", at=T0)
    data = contacts.contact_as_dict(contacts.get_contact(ada.id))
    assert data["ring"] == "outer"
    assert datetime.fromisoformat(data["last_touch"]) == T0


def test_an_add_for_an_undo_step_records_the_rings_around_it_and_its_rows():
    first = contacts.add_contact(bound(), "Ada Lovelace", ring=Ring.INNER)
    added = placement.add_recorded(bound(), "Grace Hopper", Ring.INNER,
                                   {"email": "grace@example.org"})
    assert added.contact.name == "Grace Hopper" and added.contact.ring is Ring.INNER
    assert [row[0] for row in added.before] == [first.id]
    assert sorted(row[0] for row in added.after) == [first.id, added.contact.id]
    assert added.rows["contact"]["email"] == "grace@example.org"
    assert [move["contact"] for move in added.rows["moves"]] == [added.contact.id]
    # the undo and redo it makes possible put back exactly these states
    contacts.purge_contact(bound(), added.contact.id, added.before)
    assert contacts.find_contact(added.contact.id) is None
    contacts.unpurge_contact(bound(), added.rows, added.after)
    assert contacts.get_contact(added.contact.id).ring is Ring.INNER


def test_a_bad_add_for_an_undo_step_writes_nothing():
    with pytest.raises(InvalidInput):
        placement.add_recorded(bound(), "", Ring.INNER, {})
    assert contacts.count_contacts() == 0 and contacts.placements() == {}


def test_a_removal_for_an_undo_step_records_the_rings_around_it_and_its_moves():
    ada = contacts.add_contact(bound(), "Ada Lovelace", ring=Ring.MIDDLE)
    removed = placement.remove_recorded(bound(), ada.id)
    assert [row[0] for row in removed.before] == [ada.id] and removed.after == ()
    assert [move["contact"] for move in removed.history] == [ada.id]
    assert contacts.find_contact(ada.id) is None and contacts.placed_contacts() == []
