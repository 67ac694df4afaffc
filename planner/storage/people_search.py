"""The people list's search as you type, over a compact copy of what it searches.

Searching the ``contact`` table itself reads every row of it (names, notes, JSON
lists, times: 100,000 people are some 50 MB spread over the file) for every key
typed: 90–500 ms at 100,000 people. This index holds one line per living person —
the name, email, organisation and tags, case-folded as the list always matched them
(``str.casefold``, any script) — in the list's name order, in an in-memory SQLite
database. It is built off the GUI thread (:func:`read` through a worker's own
connection to the file, then :class:`PeopleIndex`, which needs the file no more) and
then used by the GUI thread alone.

A needle of any length is answered from an FTS5 index of the lines' trigrams, each
written as the hexadecimal of its three UTF-16 code units (``"ann"`` is the token
``610061006e00``), with prefix indexes of one and two code units: a one- or two-letter
needle is a prefix query (exact: every letter and pair of letters of a line begins
one of its trigrams, the last ones padded with U+FFFF), a longer one the trigrams it
holds, checked with ``instr`` on the line. So no search reads 100,000 lines (a one-
or two-letter scan took 15–60 ms per key), and what it finds is read a page at a
time (:class:`Hits`): the count, the first screenful, the rest as the list scrolls.

It is a cache of the file, never written back; the window rebuilds it when the
people may have changed (:meth:`PeopleIndex.stale`).

The build is some 2.5 s of a worker thread at 100,000 people, with a statement step
per line read and per line inserted (300,000 of them), each of which lets go of the
interpreter and takes it back: beside the scrolled people list the GUI thread then
handed the interpreter over hundreds of times in a frame, and the slowest frames took
12-44 ms of its time where they take 5-10 ms with no build running (issue 23). So it
goes ``STEP`` lines at a time and calls ``between`` (when given) before each step: the
caller's way to make it wait while the window is busy, or to stop it.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from typing import TypeVar

from planner.storage.fields import decode_json
from planner.storage.models import db_proxy

T = TypeVar("T")

#: hex digits per UTF-16 code unit, and per token (a trigram of code units)
_UNIT = 4
_TOKEN = 3 * _UNIT
#: what ends every line in the token stream: two code units no needle holds
_PAD = "\uffff\uffff"
#: lines turned into tokens at a time (bounds the memory the hex text takes)
_CHUNK = 5000
#: lines read or inserted between two calls of a build's ``between`` (some 5-25 ms of the
#: worker's time: how long it goes on once the window has asked it to wait)
STEP = 1000
#: distinct trigrams of a long needle looked up (the line is checked anyway)
_MAX_TERMS = 12
#: searches kept with what they read (typing back over a search finds it again)
_CACHED = 12


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
        tag_list = decode_json(tags, list, True, "contact.tags")
        text = " ".join((name_ or "", email or "", organization or "",
                         " ".join(str(t) for t in tag_list)))
        yield cid, text.casefold()


def _is_sqlite() -> bool:
    from peewee import SqliteDatabase

    return isinstance(db_proxy.obj, SqliteDatabase)


def _hex(text: str) -> str:
    return text.encode("utf-16-le", "surrogatepass").hex()


def _token_lines(texts: list[str]):
    """Each text's trigram tokens, space-separated (see the module's docstring): built a
    chunk of lines at a time from one hex string with strided copies, not per letter."""
    width = _TOKEN + 1
    for start in range(0, len(texts), _CHUNK):
        chunk = texts[start:start + _CHUNK]
        hexed = (_PAD.join(chunk) + _PAD * 3).encode("utf-16-le", "surrogatepass") \
            .hex().encode("ascii")
        positions = len(hexed) // _UNIT - 4  # every unit of every line and its padding
        out = bytearray(width * positions)
        for k in range(_TOKEN):  # digit k of token p is digit k of the units from p on
            out[k::width] = hexed[k:k + _UNIT * positions:_UNIT]
        out[_TOKEN::width] = b" " * positions
        tokens = out.decode("ascii")
        del out, hexed
        at = 0
        for text in chunk:
            units = len(text.encode("utf-16-le", "surrogatepass")) // 2
            yield tokens[width * at:width * (at + units)]
            at += units + 2


class PeopleIndex:
    """The folded search lines in name order (see the module's docstring).

    Table ``p``: one line per person, its rowid the place in name order. Table ``g``:
    the FTS5 index of the lines' trigrams (same rowids). Without FTS5 (an SQLite built
    without it) every search scans ``p``.
    """

    def __init__(self, rows, between: Callable[[], None] | None = None):
        """``between``: called before each ``STEP`` lines are inserted (see the module's
        text); what it raises stops the build."""
        rows = rows if isinstance(rows, list) else list(rows)
        texts = [text for _cid, text in rows]
        self._conn = sqlite3.connect(":memory:", check_same_thread=False)
        self._conn.execute("CREATE TABLE p (rank INTEGER PRIMARY KEY, id INTEGER, t TEXT)")
        for step in _steps(enumerate(rows), between):
            self._conn.executemany("INSERT INTO p VALUES (?, ?, ?)",
                                   ((rank, cid, text) for rank, (cid, text) in step))
        self._conn.execute("CREATE INDEX p_id ON p (id)")
        del rows
        # how many lines hold each letter: a one-letter search is counted at once
        self._letters: Counter[str] = Counter()
        for start in range(0, len(texts), _CHUNK):
            self._letters.update(chain.from_iterable(map(set, texts[start:start + _CHUNK])))
        self._fts = True
        try:
            self._conn.execute(
                f"CREATE VIRTUAL TABLE g USING fts5(t, tokenize='ascii', "
                f"prefix='{_UNIT} {2 * _UNIT}', detail=none, content='', columnsize=0)")
        except sqlite3.OperationalError:  # an SQLite without FTS5
            self._fts = False
        else:
            for step in _steps(enumerate(_token_lines(texts)), between):
                self._conn.executemany("INSERT INTO g (rowid, t) VALUES (?, ?)", step)
        self.size = len(texts)
        self._hits: OrderedDict[tuple, Hits] = OrderedDict()

    # -- one search ---------------------------------------------------------------------------
    def _plan(self, needle: str) -> tuple[str, tuple, str, tuple]:
        """(the FROM/WHERE of the matching lines, its parameters) for rank and id, then the
        same without the line when only counting is needed."""
        if not self._fts or "\uffff" in needle:
            where = "FROM p WHERE instr(p.t, ?) > 0"
            return where, (needle,), where, (needle,)
        hexed = _hex(needle)
        units = len(hexed) // _UNIT
        if units <= 2:  # a prefix query of the prefix index: exact
            expression = f'"{hexed}" *'
            return ("FROM g JOIN p ON p.rank = g.rowid WHERE g MATCH ?", (expression,),
                    "FROM g WHERE g MATCH ?", (expression,))
        terms = sorted({hexed[i * _UNIT:i * _UNIT + _TOKEN] for i in range(units - 2)})
        expression = " AND ".join(f'"{term}"' for term in terms[:_MAX_TERMS])
        where = "FROM g JOIN p ON p.rank = g.rowid WHERE g MATCH ? AND instr(p.t, ?) > 0"
        return where, (expression, needle), where, (expression, needle)

    def _page(self, needle: str, after: int, limit: int) -> list[tuple[int, int]]:
        """(rank, id) of the next ``limit`` matches after rank ``after``, in name order."""
        where, params, _, _ = self._plan(needle)
        rank = "p.rank" if where.startswith("FROM p ") else "g.rowid"
        return self._conn.execute(
            f"SELECT {rank}, p.id {where} AND {rank} > ? ORDER BY {rank} LIMIT ?",
            (*params, after, limit)).fetchall()

    def _count(self, needle: str) -> int:
        if len(needle) == 1:
            return self._letters.get(needle, 0)
        _, _, where, params = self._plan(needle)
        return self._conn.execute(f"SELECT COUNT(*) {where}", params).fetchone()[0]

    def hits(self, needle: str, exclude=()) -> Hits:
        """The people whose line holds ``needle`` (case-folded), but ``exclude``, in name
        order, read as needed; a search made lately (typed back to) is found again."""
        key = (needle, frozenset(exclude))
        found = self._hits.get(key)
        if found is None:
            found = self._hits[key] = Hits(self, needle, key[1])
            while len(self._hits) > _CACHED:
                self._hits.popitem(last=False)
        else:
            self._hits.move_to_end(key)
        return found

    # -- the former interface (tests, the status order) ----------------------------------------
    def match(self, needle: str) -> list[int]:
        """The ids whose line holds ``needle`` (already case-folded), in name order."""
        return list(self.hits(needle))

    def first(self, needle: str, limit: int) -> list[int]:
        """The first ``limit`` matches in name order (stops as soon as it has them)."""
        return self.hits(needle)[:limit]

    def count(self, needle: str) -> int:
        return len(self.hits(needle))

    def among(self, needle: str, ids) -> set[int]:
        """Which of ``ids`` (a few: the placed) match."""
        ids = list(ids)
        if not ids:
            return set()
        return {row[0] for row in self._conn.execute(
            f"SELECT id FROM p WHERE id IN ({', '.join('?' * len(ids))}) AND instr(t, ?) > 0",
            [*ids, needle])}

    def rank_of(self, cid: int) -> int | None:
        row = self._conn.execute("SELECT rank FROM p WHERE id = ?", (cid,)).fetchone()
        return row[0] if row else None

    def stale(self, ids: list[int]) -> bool:
        """True when what the file says of these people is not what the index holds (a
        name, email, organisation or tags changed, someone came or went): rebuild."""
        fresh = dict(_texts(list(ids)))
        held = dict(self._conn.execute(
            f"SELECT id, t FROM p WHERE id IN ({', '.join('?' * len(ids))})", list(ids)))
        return fresh != held

    def close(self) -> None:
        self._conn.close()


class Hits:
    """The ids a search matches, in name order, read a page at a time: the count and the
    first screenful at once (a one-letter search matches nearly everyone: reading all
    100,000 ids cost 40 ms per key), the rest as the list is scrolled. It behaves as the
    list of those ids (length, slices, ``in``, ``index``, ``==``); slices are lists."""

    def __init__(self, index: PeopleIndex, needle: str, exclude: frozenset = frozenset()):
        self._index, self._needle, self._exclude = index, needle, exclude
        self._ids = array("q")  # read so far
        self._last = -1  # the rank of the last line read
        self._done = False
        self._len: int | None = None

    def _read(self, wanted: int | None) -> None:
        """Read on until ``wanted`` ids are held (None: all)."""
        while not self._done and (wanted is None or len(self._ids) < wanted):
            limit = max(64, (wanted or 0) - len(self._ids)) if wanted is not None else 5000
            rows = self._index._page(self._needle, self._last, limit + len(self._exclude))
            if len(rows) < limit + len(self._exclude):
                self._done = True
            if rows:
                self._last = rows[-1][0]
                exclude = self._exclude
                self._ids.extend(cid for _rank, cid in rows if cid not in exclude)

    def __len__(self) -> int:
        if self._len is None:
            if self._done:
                self._len = len(self._ids)
            else:
                self._len = self._index._count(self._needle) - len(
                    self._index.among(self._needle, self._exclude) if self._exclude else ())
        return self._len

    def __getitem__(self, key):
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            if step != 1 or start < 0:
                self._read(None)
            else:
                self._read(stop)
            return list(self._ids[key])
        if key < 0:
            self._read(None)
        else:
            self._read(key + 1)
        return self._ids[key]

    def __iter__(self):
        self._read(None)
        return iter(list(self._ids))

    def __contains__(self, cid) -> bool:
        return cid not in self._exclude and bool(self._index.among(self._needle, [cid]))

    def index(self, cid) -> int:
        if cid not in self:
            raise ValueError(f"{cid} is not a match")
        at = 0
        while True:
            try:
                return self._ids.index(cid, at)
            except ValueError:
                at = len(self._ids)
                if self._done:
                    raise
                self._read(len(self._ids) + 500)

    def among(self, ids) -> set[int]:
        return self._index.among(self._needle, ids) - self._exclude

    def __eq__(self, other) -> bool:
        if isinstance(other, Hits) and len(other) != len(self):
            return False
        return list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __add__(self, other):
        return list(self) + list(other)

    def __radd__(self, other):
        return list(other) + list(self)


def _steps(items: Iterable[T], between: Callable[[], None] | None) -> Iterator[list[T]]:
    """``items`` ``STEP`` at a time, ``between`` called before each step."""
    iterator = iter(items)
    while True:
        if between is not None:
            between()
        step = list(islice(iterator, STEP))
        if not step:
            return
        yield step


def read(between: Callable[[], None] | None = None) -> list[tuple[int, str]]:
    """The people's search lines (id, folded text), read through this thread's
    connection: the index is built from them once the connection is closed.
    ``between``: called before each ``STEP`` lines are read (one statement throughout:
    while it waits, the read keeps its snapshot of the file open, as any reader does)."""
    return [row for step in _steps(_texts(), between) for row in step]


def build(between: Callable[[], None] | None = None) -> PeopleIndex:
    """Read the people's search lines through this thread's connection and index them."""
    return PeopleIndex(read(between), between)
