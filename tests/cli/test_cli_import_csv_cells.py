"""``planner import`` of a CSV with a very long cell: a notes cell as long as a note may be
imports whole (Python's csv module stops at 128 KiB); a longer one is one line naming the
file and the line, and nothing is written."""

from __future__ import annotations

from planner.domain.contact import MAX_TEXT
from tests.helpers.cli import as_json, invoke, ok, refused


def _csv(path, *rows: tuple[str, str, str]) -> None:
    lines = ["Name,Email,Notes"] + [f'{name},{email},"{notes}"' for name, email, notes in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_notes_cell_longer_than_128_kib_imports_whole(db_path, tmp_path):
    notes = "\n".join(f"Meeting {n}: talked about the roadmap and the next talk." for n in
                      range(4_000))  # ~240,000 characters over 4,000 lines of the file
    assert len(notes) > 131_072
    path = tmp_path / "long-notes.csv"
    _csv(path, ("Ada Lovelace", "ada@example.org", notes), ("Bob Byte", "bob@example.org", "hi"))
    out = ok(invoke("import", str(path), db=db_path))
    assert "Imported: 2 added" in out
    ada = as_json(invoke("contacts", "show", "Ada", "--json", db=db_path))
    assert ada["notes"] == notes
    bob = as_json(invoke("contacts", "show", "Bob", "--json", db=db_path))
    assert bob["notes"] == "hi"


def test_a_cell_longer_than_a_note_may_be_is_one_line_naming_file_and_line(db_path, tmp_path):
    ok(invoke("contacts", "add", "Kept Person", db=db_path))
    path = tmp_path / "huge.csv"
    _csv(path, ("Ada Lovelace", "ada@example.org", "fine"),
         ("Bob Byte", "bob@example.org", "x" * (MAX_TEXT + 1)))
    for dry in ((), ("--dry-run",)):
        line = refused(invoke("import", str(path), *dry, db=db_path))
        assert line == ("planner: cannot import huge.csv: line 3 has a cell of more than "
                        "5,000,000 characters, more than a note can hold; nothing was imported")
    people = as_json(invoke("contacts", "list", "--json", db=db_path))
    assert [p["name"] for p in people] == ["Kept Person"]
    assert not list((tmp_path / "backups").glob("*pre-import*"))
