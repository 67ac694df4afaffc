"""The import service: preview (new / duplicate / invalid), then one all-or-nothing write."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from planner.domain.errors import InvalidInput
from planner.importers import Cancelled
from planner.services import contacts, importing
from planner.services.importing import apply_import, preview_import
from planner.storage import dump
from planner.storage.models import ContactRow, db_proxy
from planner.storage.sqlite.backup import list_backups

VCARDS = Path(__file__).parents[3] / "shared" / "fixtures" / "vcard"
CSVS = Path(__file__).parents[1] / "fixtures" / "csv"

#: file → (name, primary email, other emails) of every person in it
FIXTURES = {
    "John_Doe_EVOLUTION.vcf": [("Mr. John Richter, James Doe Sr.", "john.doe@ibm.com", [])],
    "John_Doe_GMAIL.vcf": [("Mr. John Richter, James Doe Sr.", "john.doe@ibm.com", [])],
    "John_Doe_IPHONE.vcf": [("Mr. John Richter James Doe Sr.", "john.doe@ibm.com", [])],
    "John_Doe_MAC_ADDRESS_BOOK.vcf": [("Mr. John Richter,James Doe Sr.", "john.doe@ibm.com", [])],
    "John_Doe_MS_OUTLOOK.vcf": [("Mr. John Richter James Doe Sr.", "john.doe@ibm.cm", [])],
    "fullcontact.vcf": [
        (
            "Prefix FirstName MiddleName LastName Suffix",
            "home@example.com",
            ["work@example.com", "school@example.com", "other@example.com", "custom@example.com"],
        )
    ],
    "gmail-list.vcf": [
        ("Arnold Smith", "asmithk@gmail.com", []),
        ("Chris Beatle", "chrisy55d@yahoo.com", []),
        ("Doug White", "dwhite@gmail.com", []),
    ],
    "gmail-single.vcf": [("Greg Dartmouth", "gdartmouth@hotmail.com", [])],
    "outlook-2007.vcf": [("Mr. Michael Angstadt Jr.", "mike.angstadt@gmail.com", [])],
    "rfc2426-example.vcf": [
        ("Frank Dawson", "Frank_Dawson@Lotus.com", ["fdawson@earthlink.net"]),
        ("Tim Howes", "howes@netscape.com", []),
    ],
    "rfc6350-example.vcf": [("Simon Perreault", "simon.perreault@viagenie.ca", [])],
}


def card(name: str, email: str = "", *extra: str) -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{name}"]
    if email:
        lines.append(f"EMAIL:{email}")
    lines.extend(extra)
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def vcf(*cards: str) -> bytes:
    return "".join(cards).encode("utf-8")


def many_cards(count: int) -> bytes:
    one = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Person{i};Test;;;\r\nFN:Test Person{i}\r\n"
        "EMAIL;TYPE=INTERNET:p{i}@example.com\r\nTEL;TYPE=CELL:+44 20 7946 {i:04d}\r\n"
        "ORG:Acme;R&D\r\nBDAY:--0412\r\nCATEGORIES:mentee,python\r\n"
        "NOTE:Met at PyCon\\, talked about\\nmentoring\r\nEND:VCARD\r\n"
    )
    return "".join(one.format(i=i) for i in range(count)).encode()


def everyone():
    return {c.name: c for c in contacts.list_contacts()}


def table_rows() -> dict[str, list]:
    """Every row of every data table, to prove that nothing changed."""
    return {
        name: list(model.select().order_by(model._meta.primary_key).tuples())
        for name, model in dump.DATA_TABLES
    }


# --------------------------------------------------------------- real exports


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_every_shared_fixture_imports_with_the_right_names_and_emails(opened, name):
    preview = preview_import(VCARDS / name)
    assert preview.format == "vcard"
    assert preview.new == len(FIXTURES[name]) and preview.invalid == 0
    summary = apply_import(opened.backend, preview)
    assert summary.added == len(FIXTURES[name])
    people = everyone()
    for person, email, extra in FIXTURES[name]:
        stored = people[person]
        assert stored.email == email
        assert [stored.handles[f"email-{i}"] for i in range(2, 2 + len(extra))] == extra
        assert stored.ring is None  # imported people land unplaced


def test_the_fixtures_list_is_complete():
    assert {p.name for p in VCARDS.glob("*.vcf")} == set(FIXTURES)


def test_phones_tags_birthday_and_notes_arrive(opened):
    data = vcf(
        card(
            "Zoë Ñúñez",
            "zoe@example.org",
            "TEL:+44 20 7946 0000",
            "TEL:+44 20 7946 0001",
            "ORG:Acme",
            "TITLE:Engineer",
            "BDAY:--0412",
            "CATEGORIES:mentee,python",
            "NOTE:Met at PyCon\\nTalked about mentoring",
        )
    )
    apply_import(opened.backend, preview_import(data))
    zoe = everyone()["Zoë Ñúñez"]
    assert zoe.phones == ("+44 20 7946 0000", "+44 20 7946 0001")
    assert (zoe.organization, zoe.title, zoe.birthday.iso()) == ("Acme", "Engineer", "--04-12")
    assert zoe.tags == ("mentee", "python")
    assert zoe.notes == "Met at PyCon\nTalked about mentoring"


def test_csv_exports_import_through_the_service(opened):
    preview = preview_import(CSVS / "linkedin_connections.csv")
    assert preview.format == "linkedin"
    summary = apply_import(opened.backend, preview)
    assert summary.added == preview.new > 0
    again = preview_import(CSVS / "linkedin_connections.csv")
    assert again.new == 0 and again.duplicates == preview.new


# ------------------------------------------------------------------ duplicates


def test_importing_the_same_file_twice_finds_only_duplicates(opened):
    apply_import(opened.backend, preview_import(VCARDS / "gmail-list.vcf"))
    before = table_rows()
    preview = preview_import(VCARDS / "gmail-list.vcf")
    assert (preview.new, preview.duplicates, preview.invalid) == (0, 3, 0)
    assert {r.matched_by for r in preview.rows} == {"email"}
    assert preview.rows[0].reason.startswith("same email as #")
    summary = apply_import(opened.backend, preview, "skip")
    assert (summary.added, summary.merged, summary.skipped) == (0, 0, 3)
    assert table_rows() == before


def test_duplicates_by_email_ignore_case_and_any_address(opened):
    contacts.add_contact(opened.backend, "Ada Lovelace", email="ada@example.org")
    contacts.add_contact(opened.backend, "Grace", email="grace@navy.mil",
                         handles={"email-2": "G.Hopper@Yale.edu"})
    preview = preview_import(
        vcf(card("Augusta Ada King", "ADA@Example.ORG"), card("Amazing Grace", "g.hopper@yale.edu"))
    )
    assert [(r.status, r.matched_by, r.match_name) for r in preview.rows] == [
        ("duplicate", "email", "Ada Lovelace"),
        ("duplicate", "email", "Grace"),
    ]


def test_duplicates_by_normalised_name_when_no_email_matches(opened):
    ada = contacts.add_contact(opened.backend, "Ada Lovélace")
    preview = preview_import(vcf(card("  ADA   lovelace ", "new@example.org"), card("Ada Byron")))
    first, second = preview.rows
    assert (first.status, first.matched_by, first.match_id) == ("duplicate", "name", ada.id)
    assert second.status == "new"


def test_email_beats_name(opened):
    ada = contacts.add_contact(opened.backend, "Ada", email="ada@example.org")
    contacts.add_contact(opened.backend, "Charles Babbage")
    row = preview_import(vcf(card("Charles Babbage", "ada@example.org"))).rows[0]
    assert (row.matched_by, row.match_id) == ("email", ada.id)


def test_people_in_the_trash_are_not_duplicates(opened):
    ada = contacts.add_contact(opened.backend, "Ada", email="ada@example.org")
    contacts.remove_contact(opened.backend, ada.id)
    assert preview_import(vcf(card("Ada", "ada@example.org"))).rows[0].status == "new"


def test_duplicates_within_the_file(opened):
    data = vcf(
        card("Ada", "ada@example.org", "TEL:+1 555 0100"),
        card("Ada L.", "ADA@example.org", "TEL:+1 555 0199", "ORG:Analytical"),
        card("Ada", "", "TITLE:Countess"),
    )
    preview = preview_import(data)
    assert [r.status for r in preview.rows] == ["new", "duplicate", "duplicate"]
    assert preview.rows[1].match_row == 0 and preview.rows[1].matched_by == "email"
    assert preview.rows[2].match_row == 0 and preview.rows[2].matched_by == "name"
    assert "in this file" in preview.rows[1].reason
    summary = apply_import(opened.backend, preview, "merge")
    assert (summary.added, summary.merged) == (1, 2)
    ada = everyone()["Ada"]
    assert ada.phones == ("+1 555 0100", "+1 555 0199")
    assert (ada.organization, ada.title) == ("Analytical", "Countess")


def test_skip_merge_and_add(opened):
    ada = contacts.add_contact(opened.backend,
        "Ada Lovelace",
        email="ada@example.org",
        phones=["+1 555 0100"],
        tags=["mentor"],
        title="Countess",
        handles={"github": "ada"},
    )
    data = vcf(
        card(
            "Augusta Ada King",
            "ada@example.org",
            "EMAIL:ada@work.example",
            "TEL:+1 555 0100",
            "TEL:+1 555 0199",
            "TITLE:Mathematician",
            "ORG:Analytical Engines",
            "CATEGORIES:mentee",
            "X-TWITTER:@ada",
            "URL:https://github.com/ada",
        )
    )
    skipped = apply_import(opened.backend, preview_import(data), "skip")
    assert (skipped.added, skipped.merged, skipped.skipped) == (0, 0, 1)
    assert contacts.get_contact(ada.id) == ada

    merged = apply_import(opened.backend, preview_import(data), "merge")
    assert (merged.added, merged.merged, merged.merged_ids) == (0, 1, [ada.id])
    after = contacts.get_contact(ada.id)
    assert after.name == "Ada Lovelace"  # never overwritten
    assert after.title == "Countess"  # never overwritten
    assert after.organization == "Analytical Engines"  # was empty: filled
    assert after.email == "ada@example.org"
    assert after.phones == ("+1 555 0100", "+1 555 0199")
    assert after.tags == ("mentor", "mentee")
    assert after.handles == {"github": "ada", "twitter": "@ada", "email-2": "ada@work.example"}
    assert after.version == ada.version + 1

    again = apply_import(opened.backend, preview_import(data), "merge")  # nothing new to fill
    assert (again.merged, again.unchanged, again.merged_ids) == (0, 1, [])
    assert again.summary().startswith("0 added, 0 merged, 1 unchanged,")
    assert contacts.get_contact(ada.id) == after

    added = apply_import(opened.backend, preview_import(data), "add")
    assert (added.added, added.merged, added.skipped) == (1, 0, 0)
    assert len(contacts.list_contacts()) == 2


def test_merge_fills_an_empty_primary_email(opened):
    ada = contacts.add_contact(opened.backend, "Ada Lovelace")
    apply_import(opened.backend, preview_import(vcf(card("Ada Lovelace", "ada@example.org"))),
                 "merge")
    assert contacts.get_contact(ada.id).email == "ada@example.org"


def test_a_person_removed_after_the_preview_is_added_instead(opened):
    ada = contacts.add_contact(opened.backend, "Ada", email="ada@example.org")
    preview = preview_import(vcf(card("Ada", "ada@example.org")))
    contacts.remove_contact(opened.backend, ada.id)
    summary = apply_import(opened.backend, preview, "merge")
    assert summary.added == 1 and "gone" in summary.problems[-1]


def test_unknown_duplicate_choice_is_refused(opened):
    with pytest.raises(InvalidInput, match="skip, merge, add"):
        apply_import(opened.backend, preview_import(vcf(card("Ada"))), "replace")


# ------------------------------------------------------------ invalid entries


def test_invalid_entries_and_left_out_properties_are_reported_with_card_and_line(opened):
    data = vcf(
        card("Ada", "ada@example.org", "PHOTO;ENCODING=b;TYPE=JPEG:not*base64!"),
        card("", "", "NOTE:nobody"),
        card("Grace", "grace@", "BDAY:1906-13-45"),
    )
    preview = preview_import(data)
    assert [r.status for r in preview.rows] == ["new", "invalid", "new"]
    assert preview.rows[1].where == "card 2 (line 7)"
    lines = preview.problem_lines()
    assert any(line.startswith("card 1 (line 5): PHOTO: ") for line in lines), lines
    assert "card 2 (line 7): no name, organisation or email address" in lines
    assert any(line.startswith("card 3 (") and ": EMAIL: " in line for line in lines), lines
    assert any(line.startswith("card 3 (") and ": BDAY: " in line for line in lines), lines
    summary = apply_import(opened.backend, preview)
    assert (summary.added, summary.invalid) == (2, 1)
    assert summary.problems == lines
    assert everyone()["Ada"].email == "ada@example.org"  # the bad photo cost only itself


MALFORMED = [
    ("auto", b"", "empty"),
    ("auto", b"\r\n  \r\n", "empty"),
    ("auto", b"BEGIN:VCARD\r\nVERSION:3.0\r\nTEL:+1 555", "cut short"),  # truncated card
    ("auto", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" + bytes(range(256)) * 8, "not a text"),
    ("auto", b"\xff\xfeB\x00E\x00\x00\xd8", "cannot be decoded"),  # UTF-16 with a lone surrogate
    ("vcard", "BEGIN:VCARD\nFN:x\nEND:VCARD".encode("cp500"), "no vCards"),  # EBCDIC
    ("auto", "BEGIN:VCARD\nFN:x\nEND:VCARD".encode("cp500"), "which column"),
    ("auto", b"First Name,Last Name,E-mail Address,Mobile Phone\r\n", "only a header"),
    ("google", b"Name,Email\r\n", "only a header"),
    ("auto", b"Name,Email\r\n,\r\n,\r\n", "no contacts"),
    ("auto", b"Name,Email\r\n,nobody\r\n", "no contacts could be read"),
]


@pytest.mark.parametrize(("fmt", "data", "words"), MALFORMED)
def test_malformed_files_give_one_clear_line_and_write_nothing(opened, db_path, fmt, data, words):
    contacts.add_contact(opened.backend, "Already here")
    before = table_rows()
    with pytest.raises(InvalidInput) as caught:
        preview_import(data, fmt)
    assert words in str(caught.value) and "\n" not in str(caught.value)
    assert table_rows() == before
    assert list_backups(db_path) == []


def test_missing_file_and_folder_are_refused(opened, tmp_path):
    with pytest.raises(InvalidInput, match="does not exist"):
        preview_import(tmp_path / "nope.vcf")
    with pytest.raises(InvalidInput, match="folder"):
        preview_import(tmp_path)


def test_a_json_dump_is_not_an_address_book(opened):
    with pytest.raises(InvalidInput, match="--format json"):
        preview_import(b'{"format": "mentorship-planner-dump", "version": 1}')
    assert importing.detect_kind(b'{"format": "mentorship-planner-dump"}') == "json"
    assert importing.detect_kind(VCARDS / "gmail-list.vcf") == "vcard"


# ------------------------------------------------------ all or nothing, backup


def test_a_backup_is_taken_before_the_import_and_rotated(opened, db_path):
    from planner.services.backups import set_keep_count

    set_keep_count(opened.backend, 2)
    for i in range(3):
        summary = apply_import(opened.backend, preview_import(vcf(card(f"Person {i}"))))
        assert summary.backup is not None and summary.backup.exists()
        assert summary.backup.name.endswith("-pre-import.db")
    assert len(list_backups(db_path)) == 2
    assert summary.backup in list_backups(db_path)


def test_a_failure_mid_import_rolls_everything_back(opened, monkeypatch):
    contacts.add_contact(opened.backend, "Ada", email="ada@example.org")
    before = table_rows()
    real = dump.bulk_insert
    calls = []

    def failing(model, rows, chunk=1000):
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return real(model, rows, chunk)

    monkeypatch.setattr(dump, "bulk_insert", failing)
    preview = preview_import(many_cards(1500) + vcf(card("Ada L", "ada@example.org", "ORG:X")))
    with pytest.raises(RuntimeError, match="disk on fire"):
        apply_import(opened.backend, preview, "merge")
    assert calls == [500, 500]  # the first chunk was written, then rolled back
    assert table_rows() == before


def test_a_failing_merge_rolls_back_the_inserted_rows(opened, monkeypatch):
    contacts.add_contact(opened.backend, "Ada", email="ada@example.org")
    before = table_rows()
    preview = preview_import(vcf(card("New Person"), card("Ada", "ada@example.org", "ORG:Acme")))

    def broken_update(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(ContactRow, "update", broken_update)
    with pytest.raises(RuntimeError, match="disk is full"):
        apply_import(opened.backend, preview, "merge")
    monkeypatch.undo()
    assert table_rows() == before


# ------------------------------------------------------------ 10,000 cards


def test_ten_thousand_cards_import_with_progress(opened):
    """Everyone arrives and progress goes forward to the end. (How fast: the import
    benchmark, tests/benchmarks/test_transfer.py — never a timed test on a shared CI.)"""
    data = many_cards(10_000)
    parse_calls: list[tuple[int, int]] = []
    write_calls: list[tuple[int, int]] = []
    preview = preview_import(data, progress=lambda *a: parse_calls.append(a))
    summary = apply_import(opened.backend, preview, progress=lambda *a: write_calls.append(a))
    assert summary.added == 10_000
    assert ContactRow.select().count() == 10_000
    assert parse_calls[0] == (0, 10_000) and parse_calls[-1] == (10_000, 10_000)
    assert len(write_calls) >= 20
    assert [d for d, _ in write_calls] == sorted(d for d, _ in write_calls)
    assert write_calls[-1] == (10_000, 10_000)
    last = contacts.resolve_contact("Test Person9999")
    assert last.email == "p9999@example.com" and last.ring is None


def test_cancelling_halfway_writes_nothing(opened, db_path):
    contacts.add_contact(opened.backend, "Already here")
    before = table_rows()
    preview = preview_import(many_cards(10_000))
    seen: list[int] = []
    with pytest.raises(Cancelled):
        apply_import(opened.backend,
            preview,
            progress=lambda done, total: seen.append(done),
            should_cancel=lambda: bool(seen) and seen[-1] >= 5_000,
        )
    assert seen[-1] == 5_000  # half of it was written inside the transaction...
    assert table_rows() == before  # ...and rolled back
    assert dump.row_counts()["contacts"] == 1


def test_cancelling_the_preview_raises_cancelled(opened):
    seen: list[int] = []
    with pytest.raises(Cancelled):
        preview_import(
            many_cards(2_000),
            progress=lambda done, total: seen.append(done),
            should_cancel=lambda: bool(seen) and seen[-1] >= 1_000,
        )


# ---------------------------------------------------------- in a worker thread


def test_preview_and_apply_in_a_worker_thread_with_its_own_connection(opened):
    """How the window runs an import: the worker opens (and closes) its own connection."""
    outcome: dict = {}

    def work():
        try:
            with db_proxy.connection_context():
                preview = preview_import(vcf(card("Ada", "ada@example.org"), card("Grace")))
                outcome["summary"] = apply_import(opened.backend, preview)
        except Exception as exc:  # pragma: no cover - reported below
            outcome["error"] = exc

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(30)
    assert "error" not in outcome, outcome.get("error")
    assert outcome["summary"].added == 2
    assert set(everyone()) == {"Ada", "Grace"}  # the main thread's connection sees them
