"""The duplicate index of an import keeps hashes, not strings: its answers must not change.

A tricky file (duplicates of the database by email and by name, of earlier rows,
chains through a duplicate's second address, case and accent differences) is
previewed twice: with Python's string hash, and with every key hashing alike
(every lookup a collision). Both previews must sort every row the same way.
"""

from __future__ import annotations

import pytest

from planner.services import contacts, importing

TRICKY = "\r\n".join([
    "Name,Email",
    "Ann Able,ann@example.org",                 # 2 new
    "Bob Best,bob@example.org;ANN@example.org",  # 3 duplicate of line 2 (2nd address)
    "Cy Chain,bob@example.org",                 # 4 duplicate of line 2, through Bob's address
    "Dora Db,dora@example.org",                 # 5 duplicate of the database's Dora (email)
    "Eve Extra,eve@example.org;dora@example.org",  # 6 duplicate of Dora
    "Fay Follow,eve@example.org",               # 7 duplicate of Dora, through Eve
    "grace  HÖPPER,",                           # 8 duplicate of the database's Grace (name)
    "Hal New,hal@example.org",                  # 9 new
    "hal new,",                                 # 10 duplicate of line 9 (name)
    "Ivy Last,IVY@example.org",                 # 11 new
    "Jo Case,ivy@EXAMPLE.org",                  # 12 duplicate of line 11 (case)
]) + "\r\n"


def sorted_rows(path):
    preview = importing.preview_import(path)
    return [(r.status, r.matched_by, r.match_id, r.match_row, r.reason) for r in preview.rows]


@pytest.fixture
def tricky(opened, tmp_path):
    contacts.add_contact(opened.backend, "Dora Db", email="Dora@Example.org")
    contacts.add_contact(opened.backend, "Grace Höpper")
    path = tmp_path / "tricky.csv"
    path.write_text(TRICKY, encoding="utf-8", newline="")
    return path


def test_the_tricky_file_is_sorted_as_the_rules_say(tricky):
    rows = sorted_rows(tricky)
    statuses = [status for status, *_ in rows]
    assert statuses == ["new", "duplicate", "duplicate", "duplicate", "duplicate", "duplicate",
                        "duplicate", "new", "duplicate", "new", "duplicate"]
    assert rows[1][3] == 0 and rows[2][3] == 0  # Bob and Cy: Ann's row
    dora = rows[3][2]
    assert dora is not None and rows[4][2] == dora and rows[5][2] == dora
    assert rows[6][1] == "name" and rows[6][2] is not None
    assert rows[8][3] == 7 and rows[10][3] == 9


def test_every_key_colliding_gives_the_same_answers(tricky, monkeypatch):
    normal = sorted_rows(tricky)
    monkeypatch.setattr(importing, "hash", lambda _key: 42, raising=False)
    assert sorted_rows(tricky) == normal
