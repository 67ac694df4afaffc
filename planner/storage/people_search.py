"""The people list's search as you type, over a compact copy of what it searches.

Searching the ``contact`` table itself reads every row of it (names, notes, JSON
lists, times: 100,000 people are some 50 MB spread over the file) for every key
typed: 90–500 ms at 100,000 people. This index holds one line per living person —
the name, email, organisation and tags, case-folded as the list always matched them
(``str.casefold``, any script) — in the list's name order, in an in-memory SQLite
database. It is built off the GUI thread (:func:`build`, a worker's own connection
to the file) and then used by the GUI thread alone: a search is one ``instr`` scan of
short lines in memory.

It is a cache of the file, never written back; the window rebuilds it when the
people may have changed (:meth:`PeopleIndex.stale`).
"""

from __future__ import annotations

import json
import sqlite3

from planner.storage.models import db_proxy


def _texts(ids: list[int] | None = None):
    """(id, folded search text) of the living people (of ``ids``), in name order: an
    iterator over the cursor (100,000 rows held at once were 80 MB)."""
    name = '"name" COLLATE NOCASE' if _is_sqlite() else 'lower("name")'
    where = '"deleted_at" IS NULL'
    params: list = []
    if ids is not None:
        p = db_proxy.obj.param
        where += f' AND "id" IN ({", ".join([p] * len(ids))})'
        params = list(ids)
    cursor = db_proxy.execute_sql(
        f'SELECT "id", "name", "email", "organization", CAST("tags" AS TEXT) FROM "contact" '
        f'WHERE {where} ORDER BY {name}, "id"', params)
    for cid, name_, email, organization, tags in cursor:
        try:
            tag_list = json.loads(tags) if tags else []
        except ValueError:
            tag_list = []
        text = " ".join((name_ or "", email or "", organization or "",
                         " ".join(str(t) for t in tag_list)))
        yield cid, text.casefold()


def _is_sqlite() -> bool:
    from peewee import SqliteDatabase

    return isinstance(db_proxy.obj, SqliteDatabase)


class PeopleIndex:
    """The folded search lines in name order (see the module's docstring).

    Table ``p``: one line per person, its rowid the place in name order. Table ``f``:
    an FTS5 trigram index of the same lines (same rowids), which finds a needle of
    three characters or more without reading every line; shorter needles scan ``p``.
    """

    def __init__(self, rows):
        self._conn = sqlite3.connect(":memory:", check_same_thread=False)
        self._conn.execute("CREATE TABLE p (rank INTEGER PRIMARY KEY, id INTEGER, t TEXT)")
        self._conn.executemany("INSERT INTO p VALUES (?, ?, ?)",
                               ((rank, cid, text) for rank, (cid, text) in enumerate(rows)))
        self._conn.execute("CREATE INDEX p_id ON p (id)")
        self._trigrams = True
        try:
            self._conn.execute("CREATE VIRTUAL TABLE f USING fts5(t, content='p', "
                               "content_rowid='rank', tokenize='trigram')")
            self._conn.execute("INSERT INTO f(f) VALUES ('rebuild')")
        except sqlite3.OperationalError:  # an SQLite without FTS5's trigrams (< 3.34)
            self._trigrams = False
        self.size = self._conn.execute("SELECT COUNT(*) FROM p").fetchone()[0]

    def match(self, needle: str) -> list[int]:
        """The ids whose line holds ``needle`` (already case-folded), in name order."""
        if self._trigrams and len(needle) >= 3:
            quoted = '"' + needle.replace('"', '""') + '"'
            return [row[0] for row in self._conn.execute(
                "SELECT p.id FROM f JOIN p ON p.rank = f.rowid WHERE f MATCH ? "
                "AND instr(p.t, ?) > 0 ORDER BY f.rowid", (quoted, needle))]
        return [row[0] for row in self._conn.execute(
            "SELECT id FROM p WHERE instr(t, ?) > 0 ORDER BY rank", (needle,))]

    def first(self, needle: str, limit: int) -> list[int]:
        """The first ``limit`` matches in name order (stops as soon as it has them)."""
        return [row[0] for row in self._conn.execute(
            "SELECT id FROM p WHERE instr(t, ?) > 0 ORDER BY rank LIMIT ?", (needle, limit))]

    def count(self, needle: str) -> int:
        return self._conn.execute(
            "SELECT COUNT(*) FROM p WHERE instr(t, ?) > 0", (needle,)).fetchone()[0]

    def among(self, needle: str, ids) -> set[int]:
        """Which of ``ids`` (a few: the placed) match."""
        ids = list(ids)
        if not ids:
            return set()
        return {row[0] for row in self._conn.execute(
            f"SELECT id FROM p WHERE id IN ({', '.join('?' * len(ids))}) AND instr(t, ?) > 0",
            [*ids, needle])}

    def stale(self, ids: list[int]) -> bool:
        """True when what the file says of these people is not what the index holds (a
        name, email, organisation or tags changed, someone came or went): rebuild."""
        fresh = dict(_texts(list(ids)))
        held = dict(self._conn.execute(
            f"SELECT id, t FROM p WHERE id IN ({', '.join('?' * len(ids))})", list(ids)))
        return fresh != held

    def close(self) -> None:
        self._conn.close()


def build() -> PeopleIndex:
    """Read the people's search lines through this thread's connection and index them.
    On a worker thread: its connection is closed afterwards."""
    return PeopleIndex(_texts())
