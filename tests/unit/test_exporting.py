"""Full JSON export and its exact restore; vCard and CSV exports of the people."""

from __future__ import annotations

import json
import re
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from planner.domain.errors import InvalidInput
from planner.domain.rings import Ring
from planner.services import backups, contacts, exporting, placement, settings, touchpoints
from planner.services.exporting import export_json, import_json
from planner.services.importing import apply_import, preview_import
from planner.storage import dump
from planner.storage.database import open_database
from tests.helpers.stores import bound

# each test with a database runs on SQLite and on a team database (tests/conftest.py)
pytestmark = pytest.mark.both_engines

T0 = datetime(2026, 1, 5, 9, 30, 0, 123456, tzinfo=UTC)
FTS_SHADOWS = re.compile(r"^(touchpoint|note)_fts_")


def build_everything() -> None:
    """A database with something in every table and every odd value we store."""
    ada = contacts.add_contact(bound(),
        "Ada Lovelace",
        ring=Ring.INNER,
        email="ada@example.org",
        phones=["+44 20 7946 0000", "+44 20 7946 0001"],
        handles={"github": "ada", "email-2": "ada@work.example"},
        channels=["im", "email"],
        tags=["mentor", "maths"],
        timezone="Europe/London",
        birthday="1815-12-10",
        organization="Analytical Engines",
        title="Countess",
        notes="First line\nSecond line, with “quotes” and emoji 🎉",
        cadence_days=14,
        stage="cultivating",
    )
    grace = contacts.add_contact(bound(), "Grace Hopper", ring=Ring.MIDDLE, birthday="--12-09")
    zoe = contacts.add_contact(bound(), "Zoë Ñúñez 王小明", ring=Ring.OUTER)
    gone = contacts.add_contact(bound(), "Gone Person", ring=Ring.OUTER, email="gone@example.org")
    contacts.add_contact(bound(), "Unplaced Person")
    placement.move_contact(bound(), zoe.id, Ring.MIDDLE)
    placement.move_contact(bound(), grace.id, Ring.INNER)
    contacts.edit_contact(bound(), ada.id, title="Countess of Lovelace")
    tp = touchpoints.log_touchpoint(bound(), ada.id, "coffee", at=T0, minutes=45,
                                    note="Talked engines")
    touchpoints.log_touchpoint(bound(), grace.id, "video", at=T0 + timedelta(days=1), note="")
    touchpoints.log_touchpoint(bound(), gone.id, "email", at=T0 + timedelta(days=2), note="bye")
    contacts.remove_contact(bound(), gone.id)  # in the trash, with its history
    touchpoints.edit_touchpoint(bound(), tp.id, note="Talked about the engine, at length")
    note = touchpoints.add_note(bound(), ada.id, "Wants to meet Babbage", at=T0)
    touchpoints.add_note(bound(), zoe.id, "Ünïcödé note\nwith two lines")
    touchpoints.edit_note(bound(), note.id, text="Wants to meet Babbage again")
    deleted = touchpoints.add_note(bound(), grace.id, "to be deleted")
    touchpoints.delete_note(bound(), deleted.id)  # leaves a gap in the ids
    settings.set_capacities(bound(), {Ring.INNER: 4})
    settings.set_cadences(bound(), {Ring.OUTER: 60})
    backups.set_keep_count(bound(), 7)
    # the advocacy ledger (schema 3): a stage change, wins (one celebrated), asks, gives
    from planner.services import advocacy

    advocacy.set_stage(bound(), ada.id, "advocate", at=T0)
    win = advocacy.add_win(bound(), ada.id, "Keynote at PyCon", at=T0, link="example.org/k",
                           note="**yes**")
    advocacy.celebrate_win(bound(), win.id, at=T0 + timedelta(hours=2))
    advocacy.add_win(bound(), grace.id, "Promoted")
    ask = advocacy.add_ask(bound(), ada.id, "case-study", status="done", at=T0)
    advocacy.add_ask(bound(), grace.id, "talk", status="planned")
    advocacy.add_give(bound(), ada.id, "thank-you-note", for_ask=ask.id, note="Thanks!")
    advocacy.add_give(bound(), zoe.id, "early-access")
    # snoozes (schema 6): one running, one cleared early
    from planner.services import snoozes

    snoozes.snooze(bound(), grace.id, T0 + timedelta(days=3), at=T0)
    snoozes.snooze(bound(), zoe.id, T0 + timedelta(days=7), at=T0)
    snoozes.clear(bound(), zoe.id, at=T0 + timedelta(days=1))


def raw_tables(path: Path) -> dict[str, list]:
    """Every table's rows exactly as stored (search index by content, not its shadows)."""
    conn = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
            if not FTS_SHADOWS.match(r[0])
        ]
        out = {}
        for name in names:
            order = "rowid" if name != "planner_meta" else "key"
            out[name] = conn.execute(f'SELECT rowid, * FROM "{name}" ORDER BY {order}').fetchall()
        for fts in ("touchpoint_fts", "note_fts"):
            out[fts] = conn.execute(f"SELECT rowid, body FROM {fts} ORDER BY rowid").fetchall()
        return out
    finally:
        conn.close()


def without_time(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "exported_at"}


@pytest.fixture
def two_databases(tmp_path):
    """Database A filled with everything, and its dump as JSON text."""
    path_a = tmp_path / "a.db"
    handle = open_database(str(path_a))
    try:
        build_everything()
        text = exporting.dumps(export_json(bound()))
    finally:
        handle.close()
    return path_a, tmp_path / "b.db", text


@pytest.fixture
def dump_text(two_databases):
    """The dump of database A, with a new empty database B open."""
    _, path_b, text = two_databases
    handle = open_database(str(path_b))
    yield text
    handle.close()


def test_export_then_import_into_an_empty_database_is_exact(two_databases):
    path_a, path_b, text = two_databases
    dump_a = json.loads(text)
    handle = open_database(str(path_b))
    try:
        counts = import_json(bound(), text)
        dump_b = export_json(bound())
        # the restored data works like any other (search index rebuilt, rings intact)
        assert contacts.resolve_contact("Ada Lovelace").ring == Ring.INNER
        from planner.storage.search_index import search

        assert [h.contact for h in search("engine")] == ["Ada Lovelace"]
    finally:
        handle.close()
    assert counts == {s: len(dump_a[s]) for s, _ in dump.DATA_TABLES}
    assert without_time(dump_b) == without_time(dump_a)
    assert raw_tables(path_b) == raw_tables(path_a)  # row by row, as stored


def test_the_dump_holds_everything(two_databases):
    _, _, text = two_databases
    data = json.loads(text)
    assert data["format"] == "mentorship-planner-dump" and data["version"] == 1
    assert data["schema_version"] >= 2
    assert datetime.fromisoformat(data["exported_at"]).tzinfo is not None
    people = {c["name"]: c for c in data["contacts"]}
    assert len(people) == 5
    assert people["Gone Person"]["deleted"] is True and people["Gone Person"]["deleted_at"]
    assert (
        people["Ada Lovelace"]["deleted"] is False and people["Ada Lovelace"]["deleted_at"] is None
    )
    ada = people["Ada Lovelace"]
    assert ada["phones"] == ["+44 20 7946 0000", "+44 20 7946 0001"]
    assert ada["handles"] == {"email-2": "ada@work.example", "github": "ada"}
    assert ada["version"] == 3 and ada["title"] == "Countess of Lovelace"  # title, stage
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", ada["created_at"])
    assert {p["ring"] for p in data["placements"]} == {"inner", "middle"}
    assert {(m["from_ring"], m["to_ring"]) for m in data["ring_moves"]} >= {
        (None, "inner"),
        ("outer", "middle"),
        ("outer", None),
    }
    assert data["touchpoints"][0]["at"] == "2026-01-05T09:30:00.123456Z"
    assert len(data["notes"]) == 2
    assert data["settings"]["ring_capacity"]["inner"] == 4
    assert data["settings"]["backup_keep"] == 7
    assert [(s["from_stage"], s["to_stage"]) for s in data["stage_changes"]] == [
        ("cultivating", "advocate")]
    (win, _) = data["wins"]
    assert win["celebrated_by_id"] == data["touchpoints"][-1]["id"] and win["at"] == (
        "2026-01-05T09:30:00.123456Z")
    assert {(a["type"], a["status"]) for a in data["asks"]} == {("case-study", "done"),
                                                               ("talk", "planned")}
    assert data["gives"][0]["for_ask_id"] == data["asks"][0]["id"]
    assert [(s["until"], s["cleared_at"]) for s in data["snoozes"]] == [
        ("2026-01-08T09:30:00.123456Z", None),
        ("2026-01-12T09:30:00.123456Z", "2026-01-06T09:30:00.123456Z")]


def test_the_docstring_documents_every_column():
    """The README copies the table: it must name every stored column, and nothing else."""
    doc = exporting.__doc__
    assert doc is not None
    documented: dict[str, set[str]] = {}
    section = None
    for line in doc.splitlines():
        found = re.match(r"^``(\w+)(\[\])?``", line)
        field = re.match(r"^``\.(\w+)``", line)
        if found and found.group(2):
            section = found.group(1)
            documented[section] = set()
        elif field and section:
            documented[section].add(field.group(1))
    for name, model in dump.DATA_TABLES:
        if name == "settings":
            assert "``settings``" in doc
            continue
        extra = {"deleted"} if name == "contacts" else set()
        assert documented[name] == set(dump.column_names(model)) | extra, name


def test_write_json_is_owner_only(opened, tmp_path):
    contacts.add_contact(opened.backend, "Ada")
    path = exporting.write_json(opened.backend, tmp_path / "everything.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text("utf-8"))["contacts"][0]["name"] == "Ada"


def test_import_json_refuses_a_database_that_is_not_empty(dump_text):
    text = dump_text
    contacts.add_contact(bound(), "Already here")
    before = dump.row_counts()
    with pytest.raises(InvalidInput, match="empty database") as caught:
        import_json(bound(), text)
    assert "holds 1 contact;" in str(caught.value) and "\n" not in str(caught.value)
    assert dump.row_counts() == before


def test_dry_run_checks_and_writes_nothing(dump_text):
    text = dump_text
    counts = import_json(bound(), text, dry_run=True)
    assert counts["contacts"] == 5
    assert dump.is_empty()


def mutate(text: str, change) -> str:
    data = json.loads(text)
    change(data)
    return json.dumps(data)


BAD_DUMPS = [
    (lambda d: d.update(format="something-else"), "not a Mentorship Planner JSON export"),
    (lambda d: d.update(version=99), "newer Mentorship Planner"),
    (lambda d: d.pop("version"), "no format version"),
    (lambda d: d["contacts"][0].pop("name"), "contacts[0]: missing field 'name'"),
    (lambda d: d["contacts"][0].update(name=""), "needs a name"),
    (lambda d: d["contacts"][0].update(stage="boss"), "unknown stage"),
    (lambda d: d["contacts"][0].update(colour="red"), "unknown field(s) colour"),
    (lambda d: d["contacts"][0].update(phones="123"), "expected a list"),
    (lambda d: d["contacts"][0].update(created_at="yesterday"), "not a time"),
    (lambda d: d["contacts"][0].update(created_at="2026-01-01T00:00:00"), "no time zone"),
    (lambda d: d["contacts"][0].update(id="1"), "whole number"),
    (lambda d: d["contacts"].append(dict(d["contacts"][0])), "same id appears twice"),
    (lambda d: d["placements"][0].update(ring="core"), "unknown ring"),
    (lambda d: d["touchpoints"][0].update(kind="telepathy"), "unknown kind"),
    (lambda d: d["notes"][0].update(shared="yes"), "true or false"),
    (lambda d: d["notes"][0].update(contact_id=999), "notes[0].contact_id: refers to id 999"),
    (lambda d: d["asks"][0].update(type="podcast"), "asks[0].type: unknown value 'podcast'"),
    (lambda d: d["asks"][0].update(status="maybe"), "unknown value 'maybe'"),
    (lambda d: d["gives"][0].update(type="money"), "gives[0].type: unknown value"),
    (lambda d: d["stage_changes"][0].update(to_stage="boss"), "unknown value 'boss'"),
    (lambda d: d["wins"][0].update(celebrated_by_id=999), "wins[0].celebrated_by_id: refers"),
    (lambda d: d["placements"].append({**d["placements"][0], "id": 999}), "two rows clash"),
    # states the commands never make (a crafted dump): a ring over its capacity, two
    # people at one position, times outside the years the commands accept
    (lambda d: (d["settings"]["ring_capacity"].update(inner=1),
                [p.update(ring="inner", position=p["id"]) for p in d["placements"]]),
     "placements[1]: one more than the inner ring holds (its capacity is 1)"),
    (lambda d: [p.update(ring="outer", position=0) for p in d["placements"]],
     "two people at position 0 of the outer ring"),
    (lambda d: d["touchpoints"][0].update(at="9999-12-31T23:59:59Z"),
     "touchpoints[0].at: '9999-12-31T23:59:59Z' is outside the years 1900–2200"),
    (lambda d: d["ring_moves"][0].update(at="0001-01-01T00:00:00Z"), "outside the years"),
    (lambda d: [p.update(owner=f"user{p['id']}") for p in d["placements"]],
     "the export holds the rings of several planner users"),
    (lambda d: d.update(contacts={}), "contacts: expected a list"),
]


@pytest.mark.parametrize(("change", "words"), BAD_DUMPS)
def test_a_bad_dump_is_refused_and_nothing_is_written(dump_text, change, words):
    text = dump_text
    with pytest.raises(InvalidInput) as caught:
        import_json(bound(), mutate(text, change))
    assert words in str(caught.value), str(caught.value)
    assert "\n" not in str(caught.value)
    assert dump.is_empty() and dump.row_counts()["settings"] == 0


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "not a Mentorship Planner JSON export"),
        (b"\xff\xfe{\x00}\x00", "not UTF-8"),
    ],
)
def test_a_file_that_is_not_a_dump_is_refused(opened, data, words):
    with pytest.raises(InvalidInput, match=words):
        import_json(opened.backend, data)
    assert dump.is_empty()


def test_import_json_reads_a_path(dump_text, tmp_path):
    path = tmp_path / "dump.json"
    path.write_text(dump_text, encoding="utf-8")
    assert import_json(bound(), path)["touchpoints"] == 4  # three logged, one celebrating a win


# --------------------------------------------------------------- vCard and CSV


@pytest.mark.parametrize("fmt", ["vcard", "csv"])
def test_contact_exports_leave_out_the_trash_and_import_again(tmp_path, fmt):
    source = open_database(str(tmp_path / "a.db"))
    try:
        build_everything()
        text = exporting.export_contacts(fmt)
        names = {c.name for c in contacts.list_contacts()}
    finally:
        source.close()
    assert "Gone Person" not in text
    target = open_database(str(tmp_path / "b.db"))
    try:
        summary = apply_import(bound(), preview_import(text.encode("utf-8")))
        assert summary.added == len(names) == 4
        people = {c.name: c for c in contacts.list_contacts()}
        assert set(people) == names
        ada = people["Ada Lovelace"]
        assert (ada.email, ada.birthday.iso(), ada.organization) == (
            "ada@example.org",
            "1815-12-10",
            "Analytical Engines",
        )
        assert ada.handles["github"] == "ada"
    finally:
        target.close()


def test_unknown_contact_format_is_refused(opened):
    with pytest.raises(InvalidInput, match="vcard or csv"):
        exporting.export_contacts("xlsx")


def test_a_dump_of_an_older_version_with_shared_own_addresses_restores_without_them(
        dump_text):
    """Until schema 9 the own addresses for capture were a shared setting ({user: [...]}),
    so older dumps hold it: the restore leaves it out (it is each user's own setting now,
    and like the capture sources not part of a dump) and restores the rest."""
    from planner.services import capture
    from planner.storage import settings_repo

    def old_dump(data):
        data["settings"]["capture_own_addresses"] = {"": ["me@example.org"], "bob": ["b@x.org"]}

    counts = import_json(bound(), mutate(dump_text, old_dump))
    assert counts["contacts"] == 5
    assert settings_repo.raw_setting("capture_own_addresses") is None
    assert settings_repo.get_setting("backup_keep") == 7
    assert capture.own_address_list() == []


def test_one_planner_users_rings_become_the_files_own(dump_text):
    """A team database's export restored into a file: its rings were kept under the team
    user's name, hidden (the person looked unplaced, and the rows went into later
    exports). A file has one user: they become its own."""
    def from_a_team(data):
        for section in ("placements", "ring_moves", "cadence_overrides", "snoozes"):
            for row in data[section]:
                row["owner"] = "alice"

    import_json(bound(), mutate(dump_text, from_a_team))
    assert contacts.resolve_contact("Ada Lovelace").ring == Ring.INNER
    assert {p["owner"] for p in export_json(bound())["placements"]} == {""}


def test_counts_are_said_without_zeros_and_with_thousands_grouped():
    """A review: "Restore a Full Export" listed "0 settings, … 0 photos, 0 snoozes" and
    "3000 touchpoints" where every other place writes 3,000."""
    from planner.services.exporting import describe_counts

    assert describe_counts({"contacts": 150, "settings": 0, "touchpoints": 3000,
                            "ring_moves": 1, "photos": 0}) == (
        "150 contacts, 3,000 touchpoints, 1 ring move")
    assert describe_counts({"contacts": 0}) == "nothing"
