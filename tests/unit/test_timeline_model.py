"""The timeline as a Qt model: day headers, events, paging with fetchMore, filters.

Checked with pytest-qt's ``qtmodeltester`` (Qt's C++ QAbstractItemModelTester,
whose complaints arrive as "FAIL!" warnings, and the pure-Python tester).
"""

from __future__ import annotations

import locale
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt

from planner.domain.rings import Ring
from planner.domain.timeline import EntryType
from planner.domain.timeline_order import TYPE_ORDER
from planner.services import contacts, placement
from planner.services import touchpoints as svc
from planner.storage.models import ContactRow, NoteRow, RingMoveRow, TouchpointRow, db_proxy
from planner.ui.timeline.timeline_model import PAGE, Role, TimelineModel, day_label, entry_text
from tests.gui.history_helpers import (
    all_entries,
    loaded_entries,
    local_zone,
    model_rows,
)
from tests.helpers.stores import bound

pytestmark = pytest.mark.usefixtures("qapp")


@pytest.fixture(autouse=True)
def auckland():
    """Local time far from UTC (+13 in November), so days are local days, not UTC days."""
    with local_zone("Pacific/Auckland"):
        yield


@pytest.fixture(autouse=True)
def english_day_names():
    """Day and month names come from strftime, which follows LC_TIME (Qt sets the
    locale from the environment): pin it, so "Mon 16 Nov" is what is expected."""
    previous = locale.setlocale(locale.LC_TIME)
    locale.setlocale(locale.LC_TIME, "C")
    yield
    locale.setlocale(locale.LC_TIME, previous)


@pytest.fixture
def document(opened):
    from planner.document.document import PlannerDocument

    doc = PlannerDocument(opened)
    yield doc
    doc.deleteLater()


def check_model(qtmodeltester, qtlog, model) -> None:
    """Both testers; Qt's reports problems as warnings, which must not appear."""
    qtmodeltester.check(model)
    qtmodeltester.check(model, force_py=True)
    assert not [r.message for r in qtlog.records if "FAIL" in r.message]


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute).astimezone().astimezone(UTC)


def today() -> date:
    return datetime.now().astimezone().date()


def expected_label(day: date) -> str:
    """'Mon 16 Nov', with the year when it is not this year."""
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == today().year else f"{text} {day.year}"


def key(entry) -> tuple:
    return (entry.at, TYPE_ORDER[entry.type], entry.row_id)


# -- day labels --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2026, 11, 22), "Today"),
        (date(2026, 11, 21), "Yesterday"),
        (date(2026, 11, 23), "Tomorrow"),
        (date(2026, 11, 16), "Mon 16 Nov"),
        (date(2026, 11, 6), "Fri 6 Nov"),
        (date(2026, 1, 1), "Thu 1 Jan"),
        (date(2025, 11, 16), "Sun 16 Nov 2025"),
        (date(2025, 12, 31), "Wed 31 Dec 2025"),
    ],
)
def test_day_labels(day, label):
    assert day_label(day, today=date(2026, 11, 22)) == label


def test_day_label_across_new_year():
    assert day_label(date(2025, 12, 31), today=date(2026, 1, 1)) == "Yesterday"
    assert day_label(date(2025, 12, 30), today=date(2026, 1, 1)) == "Tue 30 Dec 2025"


# -- rows: headers, entries, events -----------------------------------------------------------
@pytest.fixture
def history(opened):
    """Ada: created and placed, coffee today, a note yesterday, a call ten days ago,
    moved outer → middle. Grace: an email 400 days ago."""
    day = today()
    ada = contacts.add_contact(opened.backend, "Ada Lovelace", ring=Ring.OUTER)
    grace = contacts.add_contact(opened.backend, "Grace Hopper")
    placement.move_contact(opened.backend, ada.id, Ring.MIDDLE)
    coffee = svc.log_touchpoint(opened.backend, ada.id, "coffee", minutes=30,
                                note="Engines **and** looms")
    note = svc.add_note(opened.backend, ada.id, "Likes *poetry*",
                        at=local(day - timedelta(days=1), 9))
    call = svc.log_touchpoint(opened.backend, ada.id, "call",
                              at=local(day - timedelta(days=10), 18, 30))
    email = svc.log_touchpoint(opened.backend, grace.id, "email",
                               at=local(day - timedelta(days=400), 8))
    return {
        "ada": ada.id,
        "grace": grace.id,
        "coffee": coffee.id,
        "note": note.id,
        "call": call.id,
        "email": email.id,
    }


def test_rows_are_headers_then_entries_newest_first(document, history, qtmodeltester, qtlog):
    model = TimelineModel(document)
    check_model(qtmodeltester, qtlog, model)
    shown = model_rows(model)
    headers = [item for is_header, item in shown if is_header]
    day = today()
    assert headers == [
        "Today",
        "Yesterday",
        expected_label(day - timedelta(days=10)),
        expected_label(day - timedelta(days=400)),
    ]
    assert headers[-1].endswith(str((day - timedelta(days=400)).year))
    entries = loaded_entries(model)
    assert [key(e) for e in entries] == sorted((key(e) for e in entries), reverse=True)
    ids = [e.id for e in entries]
    assert ids[-3:] == [
        f"note:{history['note']}",
        f"touchpoint:{history['call']}",
        f"touchpoint:{history['email']}",
    ]
    # every entry is under the header of its local day
    current = None
    for is_header, item in shown:
        if is_header:
            current = item
        else:
            assert current == day_label(item.at.astimezone().date())


def test_events_for_creation_and_ring_moves(document, history):
    model = TimelineModel(document, person_scope=True)
    model.set_contact(history["ada"])
    texts = {t: [] for t in EntryType}
    for row in range(model.rowCount()):
        entry = model.index(row).data(Role.ENTRY)
        if entry is not None:
            texts[entry.type].append((entry.summary(), model.index(row).data()))
    assert sorted(s for s, _ in texts[EntryType.MOVE]) == [
        "moved from outer to middle",
        "placed on the outer ring",
    ]
    assert [s for s, _ in texts[EntryType.CREATED]] == ["added to the network"]
    shown = [text for _, text in texts[EntryType.MOVE]]
    assert any(t.endswith("· Moved from outer to middle") for t in shown)
    assert any(t.endswith("· Placed on the outer ring") for t in shown)


def test_placed_on_the_inner_ring_and_taken_off(document, opened):
    lin = contacts.add_contact(opened.backend, "Lin", ring=Ring.INNER)
    placement.move_contact(opened.backend, lin.id, None)
    model = TimelineModel(document, person_scope=True)
    model.set_contact(lin.id)
    summaries = [e.summary() for e in loaded_entries(model)]
    assert "placed on the inner ring" in summaries
    assert "taken off the inner ring" in summaries


def test_entry_text_shows_time_kind_minutes_contact_and_note(document, history):
    model = TimelineModel(document)
    row = next(
        r
        for r in range(model.rowCount())
        if model.index(r).data(Role.ENTRY_ID) == f"touchpoint:{history['coffee']}"
    )
    index = model.index(row)
    entry = index.data(Role.ENTRY)
    clock = entry.at.astimezone().strftime("%H:%M")
    assert index.data() == f"{clock} · Coffee · 30 min — Ada Lovelace\nEngines **and** looms"
    assert index.data(Role.KIND) == "coffee"
    assert index.data(Role.CONTACT_ID) == history["ada"]
    assert index.data(Role.IS_HEADER) is False
    local = entry.at.astimezone()
    assert index.data(Qt.ItemDataRole.ToolTipRole) == f"{local:%A} {local.day} {local:%B %Y, %H:%M}"
    # one person's timeline does not repeat the name
    assert entry_text(entry, with_contact=False).startswith(f"{clock} · Coffee · 30 min\n")


def test_headers_are_not_selectable_entries_are(document, history):
    model = TimelineModel(document)
    header, entry = model.index(0), model.index(1)
    assert header.data(Role.IS_HEADER) is True
    assert not header.flags() & Qt.ItemFlag.ItemIsSelectable
    assert entry.flags() & Qt.ItemFlag.ItemIsSelectable
    assert header.data(Role.ENTRY) is None


def test_person_scope_shows_one_person_and_nothing_before_one_is_set(
    document, history, qtmodeltester, qtlog
):
    model = TimelineModel(document, person_scope=True)
    check_model(qtmodeltester, qtlog, model)
    assert model.rowCount() == 0
    assert not model.canFetchMore(QModelIndex())
    model.set_contact(history["grace"])
    assert {e.contact_id for e in loaded_entries(model)} == {history["grace"]}
    model.set_contact(history["ada"])
    assert {e.contact_id for e in loaded_entries(model)} == {history["ada"]}
    model.set_contact(None)
    assert model.rowCount() == 0


def test_changes_reload_the_models_that_show_them(document, history):
    everyone = TimelineModel(document)
    grace = TimelineModel(document, person_scope=True)
    grace.set_contact(history["grace"])
    resets = []
    grace.modelReset.connect(lambda: resets.append("grace"))
    tp = svc.log_touchpoint(bound(), history["ada"], "sms", note="new")
    document.timeline_changed.emit([history["ada"]])
    assert loaded_entries(everyone)[0].id == f"touchpoint:{tp.id}"
    assert resets == []  # Ada's change leaves Grace's timeline alone
    document.timeline_changed.emit([history["grace"]])
    assert resets == ["grace"]


def test_soft_deleted_people_leave_the_timeline(document, history):
    contacts.remove_contact(bound(), history["grace"])
    model = TimelineModel(document)
    assert history["grace"] not in {e.contact_id for e in all_entries(model)}


# -- filters -------------------------------------------------------------------------------------
def test_filter_by_kind(document, history, qtmodeltester, qtlog):
    model = TimelineModel(document)
    check_model(qtmodeltester, qtlog, model)
    model.set_filters(kinds={"coffee"})
    assert [e.id for e in all_entries(model)] == [f"touchpoint:{history['coffee']}"]
    model.set_filters(kinds={"call", "email"})
    assert [e.id for e in all_entries(model)] == [
        f"touchpoint:{history['call']}",
        f"touchpoint:{history['email']}",
    ]
    model.set_filters(kinds={"video"})
    assert model.rowCount() == 0
    model.set_filters()
    assert len(all_entries(model)) > 3


def test_filter_by_ring_members(document, history):
    document.reload()  # the people were added after the document was made
    model = TimelineModel(document)
    middle = {c.id for c in document.ring_members(Ring.MIDDLE)}
    assert middle == {history["ada"]}
    model.set_filters(contact_ids=middle)
    assert {e.contact_id for e in all_entries(model)} == {history["ada"]}
    model.set_filters(contact_ids=set())  # an empty ring shows nothing, and does not fail
    assert model.rowCount() == 0
    model.set_filters(kinds={"email"}, contact_ids=middle)
    assert model.rowCount() == 0


# -- paging ---------------------------------------------------------------------------------------
N_TOUCHPOINTS = 5000


@pytest.fixture
def big_history(opened):
    """5,000 touchpoints over ~70 days, many sharing one instant, plus notes and moves
    at exactly the same instants (the paging cursor must not skip or repeat any)."""
    people = [contacts.add_contact(opened.backend, f"Person {n}",
                                   ring=Ring.OUTER) for n in range(20)]
    start = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    with db_proxy.atomic():
        rows = [
            {
                "contact": people[n % 20].id,
                "kind": ("coffee", "im", "call")[n % 3],
                "at": start - timedelta(minutes=20 * (n // 3)),
                "note": f"entry {n}",
                "created_at": stamp,
                "updated_at": stamp,
            }
            for n in range(N_TOUCHPOINTS)
        ]
        for chunk in range(0, len(rows), 500):
            TouchpointRow.insert_many(rows[chunk : chunk + 500]).execute()
        NoteRow.insert_many(
            [
                {
                    "contact": people[n % 20].id,
                    "text": f"note {n}",
                    "at": start - timedelta(minutes=20 * n),
                    "created_at": stamp,
                    "updated_at": stamp,
                }
                for n in range(300)
            ]
        ).execute()
        RingMoveRow.insert_many(
            [
                {
                    "contact": people[n % 20].id,
                    "from_ring": "outer",
                    "to_ring": "outer",
                    "at": start - timedelta(minutes=20 * n),
                }
                for n in range(100)
            ]
        ).execute()
    return people


def test_5000_entries_open_with_one_page_and_page_in_exactly_once(
    document, big_history, qtmodeltester, qtlog
):
    model = TimelineModel(document)
    first = model.rowCount()
    assert len(loaded_entries(model)) == PAGE
    assert PAGE < first <= 2 * PAGE  # one page of entries and their day headers
    assert model.canFetchMore(QModelIndex())

    model.fetchMore(QModelIndex())
    assert len(loaded_entries(model)) == 2 * PAGE
    assert model.rowCount() > first
    qtmodeltester.check(model)  # Qt's tester watches all the paging below (and pages itself)

    seen = all_entries(model)
    assert not model.canFetchMore(QModelIndex())
    total = (
        TouchpointRow.select().count()
        + NoteRow.select().count()
        + RingMoveRow.select().count()
        + ContactRow.select().count()
    )
    assert total == N_TOUCHPOINTS + 300 + 100 + 20 + 20  # (20 placements, 20 creations)
    assert len(seen) == total
    assert len({e.id for e in seen}) == total  # each exactly once
    assert [key(e) for e in seen] == sorted((key(e) for e in seen), reverse=True)
    # a day header appears once per day, even where a page ended inside a day
    headers = [item for is_header, item in model_rows(model) if is_header]
    assert len(headers) == len(set(headers))
    assert len(headers) == len({e.at.astimezone().date() for e in seen})
    check_model(qtmodeltester, qtlog, model)


def test_fetch_more_inserts_rows_at_the_end(document, big_history):
    model = TimelineModel(document)
    inserted = []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append((first, last)))
    before = model.rowCount()
    model.fetchMore(QModelIndex())
    assert inserted == [(before, model.rowCount() - 1)]


def test_reload_goes_back_to_one_page(document, big_history):
    model = TimelineModel(document)
    all_entries(model, max_pages=5)
    assert len(loaded_entries(model)) == 6 * PAGE
    model.reload()
    assert len(loaded_entries(model)) == PAGE


def test_a_persons_timeline_pages_too(document, big_history):
    model = TimelineModel(document, person_scope=True)
    person = big_history[7].id
    model.set_contact(person)
    assert model.canFetchMore(QModelIndex())
    seen = all_entries(model)
    expected = (
        TouchpointRow.select().where(TouchpointRow.contact == person).count()
        + NoteRow.select().where(NoteRow.contact == person).count()
        + RingMoveRow.select().where(RingMoveRow.contact == person).count()
        + 1
    )
    assert len(seen) == len({e.id for e in seen}) == expected
    assert {e.contact_id for e in seen} == {person}


def test_find_row_pages_in_until_the_entry_is_loaded(document, big_history):
    model = TimelineModel(document, person_scope=True)
    person = big_history[3].id
    model.set_contact(person)
    oldest = (
        TouchpointRow.select()
        .where(TouchpointRow.contact == person)
        .order_by(TouchpointRow.at, TouchpointRow.id)
        .first()
    )
    assert model.rowCount() < 2 * PAGE
    row = model.find_row(f"touchpoint:{oldest.id}")
    assert row is not None
    assert model.index(row).data(Role.ENTRY_ID) == f"touchpoint:{oldest.id}"
    assert model.find_row("touchpoint:999999") is None


def test_an_entry_moved_into_today_joins_todays_header(document, history):
    """Yesterday's note moved to today (earlier than today's coffee): it was put above
    yesterday's header under a second "Today" header. The same after a delete's undo."""
    model = TimelineModel(document, person_scope=True)
    model.set_contact(history["ada"])
    midnight = local(today(), 0, 0)
    assert document.editing.edit_note(history["note"], None, at=midnight)
    headers = [item for is_header, item in model_rows(model) if is_header]
    assert headers.count("Today") == 1, headers
    assert document.editing.delete_entry("touchpoint", history["coffee"])
    assert document.undo()
    headers = [item for is_header, item in model_rows(model) if is_header]
    assert headers.count("Today") == 1, headers
    # every entry still under the header of its own day
    current = None
    for is_header, item in model_rows(model):
        if is_header:
            current = item
        else:
            assert current == day_label(item.at.astimezone().date())
