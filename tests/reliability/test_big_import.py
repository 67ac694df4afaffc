"""A big CSV import is streamed: small memory per row, progress shown, same preview.

The file is read row by row (no table of the whole file, no ``StringIO`` copy at
four bytes a character), each row becomes a compact preview row at once, and
the import writes 500 people at a time. The correctness test uses a file of a
few thousand rows with every kind of entry; the memory test measures the peak
RSS of the real CLI in a subprocess for two sizes and checks the cost of a row.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from planner.services import contacts, importing
from tests.helpers.cli import invoke, ok

MEASURE = """
import resource, subprocess, sys
r = subprocess.run([sys.executable, "-m", "planner", *sys.argv[1:]], capture_output=True)
assert r.returncode == 0, r.stderr
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def big_csv(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("Name,Email,Phone,Notes\r\n")
        for i in range(rows):
            fh.write(f"Person Number{i},person{i}@example.com,+1 555 {i:07d},note {i}\r\n")
    return path


def mixed_csv(path: Path, rows: int) -> Path:
    """Every kind of entry: new, duplicate of the database (by email, by name), duplicate of
    an earlier row, invalid (no name or email), a multi-line notes cell, a bad email."""
    lines = ["Name,Email,Phone,Notes"]
    for i in range(rows):
        if i % 10 == 1:
            lines.append(f"Someone {i},ada@example.org,,")  # the database's Ada, by email
        elif i % 10 == 2:
            lines.append("grace HOPPER,,,")  # the database's Grace, by name
        elif i % 10 == 3:
            lines.append(f"Again {i},person{i - 3}@example.com,+1 555 9{i:06d},")  # an earlier row
        elif i % 10 == 4:
            lines.append(",,no number,nobody")  # invalid: no name, email or phone
        elif i % 10 == 5:
            lines.append(f'Multi {i},multi{i}@example.com,,"two\nlines"')
        elif i % 10 == 6:
            lines.append(f"Bad Mail {i},not-an-email,,")
        else:
            lines.append(f"Person {i},person{i}@example.com,,note {i}")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    return path


def test_the_streamed_preview_sorts_every_entry_as_before(opened, tmp_path):
    ada = contacts.add_contact(opened.backend, "Ada Lovelace", email="ada@example.org")
    grace = contacts.add_contact(opened.backend, "Grace Hopper")
    path = mixed_csv(tmp_path / "mixed.csv", 3000)
    preview = importing.preview_import(path)
    assert (preview.new, preview.duplicates, preview.invalid) == (1800, 900, 300)
    rows = preview.rows
    assert [r.index for r in rows] == list(range(3000))
    assert rows[1].status == "duplicate" and rows[1].match_id == ada.id
    assert rows[1].reason == f"same email as #{ada.id} Ada Lovelace"
    assert rows[2].match_id == grace.id and rows[2].matched_by == "name"
    assert rows[3].match_row == 0 and rows[3].reason == "same email as line 2 in this file"
    assert rows[4].status == "invalid" and rows[4].where == "line 6"
    assert rows[5].name == "Multi 5" and rows[5].values["notes"] == "two\nlines"
    assert rows[6].status == "new" and rows[6].problems  # the bad email is a left-out value
    assert rows[7].where == "line 10"  # physical lines: the two-line cell counts twice
    merged = importing.apply_import(opened.backend, preview, "merge", backup=False)
    # merged: the 300 "Again" rows bring a phone; Ada's and Grace's bring nothing new
    assert (merged.added, merged.merged, merged.unchanged, merged.invalid) == (1800, 300, 600, 300)
    assert merged.added_ids == sorted(merged.added_ids) and len(merged.added_ids) == 1800
    first = contacts.get_contact(merged.added_ids[0])
    assert first.name == "Person 0" and first.phones == ("+1 555 9000003",)  # merged in-file


def peak_rss_mb(*args: str) -> float:
    out = subprocess.run([sys.executable, "-c", MEASURE, *args], capture_output=True, text=True,
                         timeout=600, cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr
    return int(out.stdout) / 1024


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in KiB on Linux")
def test_memory_per_row_stays_small(tmp_path):
    # 25,000 rows apart: the old 2,600 bytes a row would be 62 MB more, the limits 24-29 MB
    small = big_csv(tmp_path / "small.csv", 2_000)
    large = big_csv(tmp_path / "large.csv", 27_000)
    per_row = {}
    for extra in ([], ["--dry-run"]):
        db_small, db_large = tmp_path / f"s{len(extra)}.db", tmp_path / f"l{len(extra)}.db"
        a = peak_rss_mb("--db", str(db_small), "import", str(small), *extra)
        b = peak_rss_mb("--db", str(db_large), "import", str(large), *extra)
        per_row[bool(extra)] = (b - a) * 1024 * 1024 / 25_000
    # before streaming: about 2,600 bytes a row (2.2 GB for a million rows)
    assert per_row[True] < 1_000 and per_row[False] < 1_200, per_row


def test_the_imported_rows_are_all_there(tmp_path):
    db = tmp_path / "planner.db"
    path = big_csv(tmp_path / "rows.csv", 2_000)
    assert "2000 would be added" in ok(invoke("import", str(path), "--dry-run", db=db))
    assert "2000 added" in ok(invoke("import", str(path), db=db))
    people = json.loads(ok(invoke("contacts", "list", "--json", db=db)))
    assert len(people) == 2000 and people[0]["name"].startswith("Person Number")


@pytest.mark.skipif(os.name != "posix", reason="a pseudo-terminal")
def test_progress_is_shown_on_a_terminal_and_rubbed_out(tmp_path):
    import pty

    path = big_csv(tmp_path / "tty.csv", 12_000)  # a few seconds: live lines every 0.2 s
    main, secondary = pty.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "planner", "--db", str(tmp_path / "t.db"), "import",
             str(path)], stdout=subprocess.PIPE, stderr=secondary, timeout=600)
        os.close(secondary)
        shown = b""
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(main)
    assert result.returncode == 0
    text = shown.decode()
    assert "planner: reading tty.csv:" in text and "of 12,000 rows" in text, text[:500]
    assert text.endswith("\r\x1b[K")  # the live line is gone at the end
    assert "12000 added" in result.stdout.decode()
