"""Full-text search on a team database: PostgreSQL's where SQLite uses FTS5.

GIN expression indexes on ``to_tsvector('simple', planner_fts_text(…))`` of
note and touchpoint text; a search is ``to_tsquery`` with every word required
and the last one a prefix (``word:*``), newest-written first. ``planner_fts_text``
folds accents with ``unaccent`` when that extension can be installed, and is the
identity otherwise (accents then must match exactly).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from typing import cast

import peewee
from peewee import JOIN, Database

from planner.storage.fields import to_utc
from planner.storage.models import ContactRow, NoteRow, TouchpointRow, db_proxy

_IDENTITY = ("CREATE OR REPLACE FUNCTION planner_fts_text(t text) RETURNS text "
             "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT pg_catalog.lower(t) $$")
# schema-qualified: pg_restore rebuilds the indexes with an empty search_path
_UNACCENT = ("CREATE OR REPLACE FUNCTION planner_fts_text(t text) RETURNS text "
             "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS "
             "$$ SELECT pg_catalog.lower({schema}.unaccent('{schema}.unaccent'::regdictionary, "
             "t)) $$")

_SOURCES = {"touchpoint": "note", "note": "text"}


def create_search_index(db: Database) -> None:
    try:
        from planner.storage.postgres.connection import savepoint

        with savepoint(db):  # not being allowed to add the extension is fine
            db.execute_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
            schema = db.execute_sql(
                "SELECT quote_ident(n.nspname) FROM pg_extension e "
                "JOIN pg_namespace n ON n.oid = e.extnamespace "
                "WHERE e.extname = 'unaccent'").fetchone()[0]
            db.execute_sql(_UNACCENT.format(schema=schema))
    except peewee.DatabaseError:
        db.execute_sql(_IDENTITY)
    for table, column in _SOURCES.items():
        db.execute_sql(
            f"CREATE INDEX IF NOT EXISTS {table}_fts ON {table} "
            f"USING gin (to_tsvector('simple', planner_fts_text({column})))")


_WORD = re.compile(r"\w+", re.UNICODE)


def ts_query(text: str) -> str | None:
    """A safe to_tsquery string: words only (quoted), all required, the last a prefix.
    The words are folded as the index folds them (``planner_fts_text``) *before* the query
    is built: folding may turn a letter into a quote (``ʻ ʼ ŉ`` become ``'``), which inside
    a built query would break it."""
    words = [w.lower() for w in _WORD.findall(text or "")]
    if not words:
        return None
    folded = db_proxy.execute_sql(
        "SELECT planner_fts_text(w) FROM unnest(%s::text[]) WITH ORDINALITY AS t(w, n) "
        "ORDER BY n", (words,)).fetchall()
    words = [w for (f,) in folded for w in _WORD.findall(f or "")]
    if not words:
        return None
    terms = [f"'{w}'" for w in words]
    terms[-1] += ":*"
    return " & ".join(terms)


def _matches(table: str, query: str, limit: int) -> dict[int, str]:
    column = _SOURCES[table]
    cursor = db_proxy.execute_sql(
        f"SELECT id, {column} FROM {table} "
        f"WHERE to_tsvector('simple', planner_fts_text({column})) @@ "
        f"to_tsquery('simple', %s) ORDER BY id DESC LIMIT %s",
        (query, limit),
    )
    return {row_id: body for row_id, body in cursor.fetchall()}


def _fold(word: str) -> str:
    """Case and accents folded, as the index folds them (near enough for marking hits)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def snippet(body: str, words: list[str], start: str, end: str, size: int = 16) -> str:
    """Up to ``size`` words around the first match, matched words wrapped in start/end.
    Words of one line are joined by a space, of two lines by a line break (as SQLite's
    snippet keeps the text: a note's Markdown list items stay at the start of a line)."""
    placed = [(n, token) for n, line in enumerate(body.splitlines()) for token in line.split()]
    tokens = [token for _n, token in placed]
    folded = tuple(_fold(w) for w in words)

    def hit(token: str) -> bool:
        return any(_fold(t).startswith(folded) for t in _WORD.findall(token))

    first = next((i for i, tok in enumerate(tokens) if hit(tok)), 0)
    lo = max(0, first - size // 2)
    hi = min(len(tokens), lo + size)
    joined = "".join(("" if i == lo else "\n" if placed[i][0] != placed[i - 1][0] else " ") + tok
                     for i, tok in enumerate(tokens[lo:hi], lo))
    text = _WORD.sub(
        lambda w: f"{start}{w.group()}{end}" if _fold(w.group()).startswith(folded) else w.group(),
        joined)
    return ("…" if lo > 0 else "") + text + ("…" if hi < len(tokens) else "")


def search(text: str, limit: int, hit_type, mark_start: str, mark_end: str) -> list:
    query = ts_query(text)
    if query is None:
        return []
    words = [w.lower() for w in _WORD.findall(text)]
    alive = ContactRow.deleted_at.is_null()
    hits = []
    found = _matches("touchpoint", query, limit)
    if found:
        t = TouchpointRow
        touchpoints = (t.select(t.id, t.contact, ContactRow.name, t.at, t.kind)
                       .join(ContactRow, JOIN.LEFT_OUTER)
                       .where(t.id.in_(list(found)), alive).tuples())
        for r in cast("Iterable[tuple[int, int, str, datetime, str]]", touchpoints):  # tuples
            hits.append(hit_type("touchpoint", r[0], r[1], r[2], to_utc(r[3]), r[4],
                                 snippet(found[r[0]], words, mark_start, mark_end)))
    found = _matches("note", query, limit)
    if found:
        n = NoteRow
        notes = (n.select(n.id, n.contact, ContactRow.name, n.at)
                 .join(ContactRow, JOIN.LEFT_OUTER)
                 .where(n.id.in_(list(found)), alive).tuples())
        for row in cast("Iterable[tuple[int, int, str, datetime]]", notes):  # rows as tuples
            hits.append(hit_type("note", row[0], row[1], row[2], to_utc(row[3]), "note",
                                 snippet(found[row[0]], words, mark_start, mark_end)))
    hits.sort(key=lambda h: (h.at, h.type, h.row_id), reverse=True)
    return hits[:limit]
