"""Full-text search over notes and touchpoint notes.

SQLite: an FTS5 table kept in step by triggers, so every writer (the window,
the CLI, an import) indexes the same way. Rowids encode the source
(touchpoint id*2, note id*2+1) so deletes and updates touch one row.
Results come newest-written first and stop after ``limit`` matches, so a
search costs the same however much history there is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from peewee import Database

from planner.storage.fields import to_utc
from planner.storage.models import ContactRow, NoteRow, TouchpointRow, db_proxy

MARK_START, MARK_END = "\x02", "\x03"

FTS_SQL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5("
    "body, tokenize = 'unicode61 remove_diacritics 2')",
    # touchpoints: rowid = id * 2
    "CREATE TRIGGER IF NOT EXISTS touchpoint_ai AFTER INSERT ON touchpoint WHEN new.note != '' "
    "BEGIN INSERT INTO search_index(rowid, body) VALUES (new.id * 2, new.note); END",
    "CREATE TRIGGER IF NOT EXISTS touchpoint_ad AFTER DELETE ON touchpoint "
    "BEGIN DELETE FROM search_index WHERE rowid = old.id * 2; END",
    "CREATE TRIGGER IF NOT EXISTS touchpoint_au AFTER UPDATE OF note ON touchpoint "
    "BEGIN DELETE FROM search_index WHERE rowid = old.id * 2; "
    "INSERT INTO search_index(rowid, body) SELECT new.id * 2, new.note WHERE new.note != ''; "
    "END",
    # notes: rowid = id * 2 + 1
    "CREATE TRIGGER IF NOT EXISTS note_ai AFTER INSERT ON note "
    "BEGIN INSERT INTO search_index(rowid, body) VALUES (new.id * 2 + 1, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS note_ad AFTER DELETE ON note "
    "BEGIN DELETE FROM search_index WHERE rowid = old.id * 2 + 1; END",
    "CREATE TRIGGER IF NOT EXISTS note_au AFTER UPDATE OF text ON note "
    "BEGIN DELETE FROM search_index WHERE rowid = old.id * 2 + 1; "
    "INSERT INTO search_index(rowid, body) VALUES (new.id * 2 + 1, new.text); END",
]


def create_search_index(db: Database) -> None:
    for statement in FTS_SQL:
        db.execute_sql(statement)
    db.execute_sql("INSERT INTO search_index(rowid, body) "
                   "SELECT id * 2, note FROM touchpoint WHERE note != ''")
    db.execute_sql("INSERT INTO search_index(rowid, body) SELECT id * 2 + 1, text FROM note")


@dataclass(frozen=True)
class SearchHit:
    type: str  # "touchpoint" or "note"
    row_id: int
    contact_id: int
    contact: str
    at: datetime
    kind: str
    snippet: str  # matched words wrapped in MARK_START / MARK_END

    @property
    def id(self) -> str:
        return f"{self.type}:{self.row_id}"


_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str | None:
    """Turn what a person typed into a safe FTS5 query: every word must match,
    the last one as a prefix (search as you type). None if there is no word."""
    words = _WORD.findall(text or "")
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def search(text: str, limit: int = 50) -> list[SearchHit]:
    query = fts_query(text)
    if query is None:
        return []
    cursor = db_proxy.execute_sql(
        "SELECT rowid, snippet(search_index, 0, ?, ?, '…', 16) FROM search_index "
        "WHERE search_index MATCH ? ORDER BY rowid DESC LIMIT ?",
        (MARK_START, MARK_END, query, limit * 2))
    found = cursor.fetchall()
    tp_ids = [rowid // 2 for rowid, _ in found if rowid % 2 == 0]
    note_ids = [rowid // 2 for rowid, _ in found if rowid % 2 == 1]
    alive = ContactRow.deleted_at.is_null()
    rows = {}
    if tp_ids:
        for r in (TouchpointRow.select(TouchpointRow.id, TouchpointRow.contact, ContactRow.name,
                                       TouchpointRow.at, TouchpointRow.kind)
                  .join(ContactRow).where(TouchpointRow.id.in_(tp_ids), alive).tuples()):
            rows[r[0] * 2] = ("touchpoint", r)
    if note_ids:
        for r in (NoteRow.select(NoteRow.id, NoteRow.contact, ContactRow.name, NoteRow.at)
                  .join(ContactRow).where(NoteRow.id.in_(note_ids), alive).tuples()):
            rows[r[0] * 2 + 1] = ("note", (*r, "note"))
    hits = []
    for rowid, snippet in found:
        if rowid in rows:
            kind, r = rows[rowid]
            hits.append(SearchHit(kind, r[0], r[1], r[2], to_utc(r[3]), r[4], snippet))
    hits.sort(key=lambda h: h.at, reverse=True)
    return hits[:limit]


def plain(snippet: str, start: str = "", end: str = "") -> str:
    return snippet.replace(MARK_START, start).replace(MARK_END, end)
