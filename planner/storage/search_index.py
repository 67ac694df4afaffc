"""Full-text search over notes and touchpoint notes.

SQLite: FTS5 tables kept in step by triggers, so every writer (the window,
the CLI, an import) indexes the same way. Each source is read newest-written
first and stops after ``limit`` matches, so a search costs the same however
much history there is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from peewee import JOIN, Database

from planner.storage.fields import to_utc
from planner.storage.models import ContactRow, NoteRow, TouchpointRow, db_proxy

MARK_START, MARK_END = "\x02", "\x03"

_TOKENIZER = "tokenize = 'unicode61 remove_diacritics 2'"

FTS_SQL = [
    # One index per source, rowid = the source row's id: deletes and updates touch
    # one row, and "newest first" is rowid order within each source.
    f"CREATE VIRTUAL TABLE IF NOT EXISTS touchpoint_fts USING fts5(body, {_TOKENIZER})",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS note_fts USING fts5(body, {_TOKENIZER})",
    "CREATE TRIGGER IF NOT EXISTS touchpoint_ai AFTER INSERT ON touchpoint WHEN new.note != '' "
    "BEGIN INSERT INTO touchpoint_fts(rowid, body) VALUES (new.id, new.note); END",
    "CREATE TRIGGER IF NOT EXISTS touchpoint_ad AFTER DELETE ON touchpoint "
    "BEGIN DELETE FROM touchpoint_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER IF NOT EXISTS touchpoint_au AFTER UPDATE OF note ON touchpoint "
    "BEGIN DELETE FROM touchpoint_fts WHERE rowid = old.id; "
    "INSERT INTO touchpoint_fts(rowid, body) SELECT new.id, new.note WHERE new.note != ''; "
    "END",
    "CREATE TRIGGER IF NOT EXISTS note_ai AFTER INSERT ON note "
    "BEGIN INSERT INTO note_fts(rowid, body) VALUES (new.id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS note_ad AFTER DELETE ON note "
    "BEGIN DELETE FROM note_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER IF NOT EXISTS note_au AFTER UPDATE OF text ON note "
    "BEGIN DELETE FROM note_fts WHERE rowid = old.id; "
    "INSERT INTO note_fts(rowid, body) VALUES (new.id, new.text); END",
]


def _is_postgres(db) -> bool:
    from peewee import PostgresqlDatabase

    return isinstance(getattr(db, "obj", db), PostgresqlDatabase)


def create_search_index(db: Database) -> None:
    if _is_postgres(db):  # a team database: PostgreSQL full-text search
        from planner.storage.postgres import search as postgres_search

        return postgres_search.create_search_index(db)
    for statement in FTS_SQL:
        db.execute_sql(statement)
    db.execute_sql(
        "INSERT INTO touchpoint_fts(rowid, body) SELECT id, note FROM touchpoint WHERE note != ''"
    )
    db.execute_sql("INSERT INTO note_fts(rowid, body) SELECT id, text FROM note")


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


def _matches(table: str, query: str, limit: int) -> list[tuple[int, str]]:
    cursor = db_proxy.execute_sql(
        f"SELECT rowid, snippet({table}, 0, ?, ?, '…', 16) FROM {table} "
        f"WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?",
        (MARK_START, MARK_END, query, limit),
    )
    return cursor.fetchall()


def search(text: str, limit: int = 50) -> list[SearchHit]:
    """The newest-written matches of each source (at most ``limit`` each), merged by time."""
    if _is_postgres(db_proxy):
        from planner.storage.postgres import search as postgres_search

        return postgres_search.search(text, limit, SearchHit, MARK_START, MARK_END)
    query = fts_query(text)
    if query is None:
        return []
    alive = ContactRow.deleted_at.is_null()
    hits: list[SearchHit] = []
    found = dict(_matches("touchpoint_fts", query, limit))
    if found:
        t = TouchpointRow
        touchpoints = (
            t.select(t.id, t.contact, ContactRow.name, t.at, t.kind)
            .join(ContactRow, JOIN.LEFT_OUTER)  # from the hits out (see timeline_repo)
            .where(t.id.in_(list(found)), alive)
            .tuples()
        )
        for r in cast("Iterable[tuple[int, int, str, datetime, str]]", touchpoints):  # tuples
            hits.append(SearchHit("touchpoint", r[0], r[1], r[2], _at(r[3]), r[4], found[r[0]]))
    found = dict(_matches("note_fts", query, limit))
    if found:
        n = NoteRow
        notes = (
            n.select(n.id, n.contact, ContactRow.name, n.at)
            .join(ContactRow, JOIN.LEFT_OUTER)  # from the hits out (see timeline_repo)
            .where(n.id.in_(list(found)), alive)
            .tuples()
        )
        for row in cast("Iterable[tuple[int, int, str, datetime]]", notes):  # rows as tuples
            hits.append(SearchHit("note", row[0], row[1], row[2], _at(row[3]), "note",
                                  found[row[0]]))
    hits.sort(key=lambda h: (h.at, h.type, h.row_id), reverse=True)
    return hits[:limit]


def _at(stored: object) -> datetime:
    """A NOT NULL time column's value as aware UTC (``to_utc`` gives None only for no value)."""
    return cast(datetime, to_utc(stored))


def plain(snippet: str, start: str = "", end: str = "") -> str:
    return snippet.replace(MARK_START, start).replace(MARK_END, end)
