"""Focus list, timeline pages and search: each against its baseline, in one process.

The models are bound to one database at a time (``db_proxy``); when a figure
compares two files, each sample binds its file first, outside the timed part.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from tests.benchmarks.harness import Figure, fmt_value, median, p95, paired, timed

RAW_AGGREGATE = "SELECT contact_id, MAX(at) FROM touchpoint GROUP BY contact_id"


@pytest.fixture
def open_db():
    """Open cached databases for reading; rebind ``db_proxy`` with ``bind``."""
    from planner.storage.database import open_database

    opened = []

    def _open(path: Path):
        handle = open_database(str(path), migrate=False)
        opened.append(handle)
        return handle

    yield _open
    for handle in opened:
        handle.close()


def bind(handle) -> None:
    from planner.storage.models import db_proxy

    db_proxy.initialize(handle.db)


def raw_aggregate(path: Path):
    """The hand-written baseline: last touch per contact with plain sqlite3."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def run() -> float:
        start = time.perf_counter()
        conn.execute(RAW_AGGREGATE).fetchall()
        return time.perf_counter() - start

    return conn, run


# -- focus list --------------------------------------------------------------------------------
def _focus_samples(benchmark, open_db, path: Path, rounds: int):
    from planner.services.focus import focus_list

    handle = open_db(path)
    conn, baseline = raw_aggregate(path)

    def measured() -> float:
        bind(handle)
        return timed(focus_list)()

    try:
        return paired(benchmark, measured, baseline, rounds=rounds, warmup=2)
    finally:
        conn.close()


def test_focus_list(benchmark, figures, open_db, big_db):
    m, b = _focus_samples(benchmark, open_db, big_db, rounds=20)
    ratio = median(m) / median(b)
    figures.add(Figure(
        "05", "Focus list, 10k contacts / 200k touchpoints", median(m), median(b),
        baseline_name="sqlite3 MAX(at) GROUP BY contact", target="≤ 2× and < 100 ms",
        met=ratio <= 2 and median(m) < 0.1, detail=f"median of {len(m)}"))


SCALES = [("1k", "scale_1k_db", "1,000 / 20k"), ("10k", "big_db", "10,000 / 200k"),
          ("100k", "scale_100k_db", "100,000 / 2M")]


@pytest.mark.parametrize("db_fixture", [s[1] for s in SCALES], ids=[s[0] for s in SCALES])
def test_focus_list_scaling(benchmark, figures, open_db, request, db_fixture):
    _label, _, size = next(s for s in SCALES if s[1] == db_fixture)
    path = request.getfixturevalue(db_fixture)
    m, b = _focus_samples(benchmark, open_db, path, rounds=10)
    index = [s[1] for s in SCALES].index(db_fixture)
    figures.add(Figure(
        f"12{'abc'[index]}", f"Scaling: focus list, {size} contacts / touchpoints",
        median(m), median(b), baseline_name="sqlite3 aggregate, same file",
        target="see growth", detail=f"median of {len(m)}"))


# -- timeline --------------------------------------------------------------------------------
def busiest_contact(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT contact_id, COUNT(*) AS n FROM touchpoint GROUP BY contact_id "
                            "ORDER BY n DESC, contact_id LIMIT 1").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def stub_document(qapp):
    """What TimelineModel listens to, without loading every contact."""
    from PySide6.QtCore import QObject, Signal

    class StubDocument(QObject):
        reset = Signal()
        timeline_changed = Signal(list)
        entries_changed = Signal(list)  # PlannerDocument's precise signal (issue 22)

    doc = StubDocument()
    yield doc
    doc.deleteLater()


@pytest.mark.parametrize("scope", ["global", "person"])
def test_timeline_first_page(benchmark, figures, open_db, big_db, history_20k_db, stub_document,
                             scope):
    """Opening a timeline: the model reads its first page (100 entries + day headers)."""
    from planner.ui.timeline.timeline_model import TimelineModel

    big, small = open_db(big_db), open_db(history_20k_db)
    person = {id(big): busiest_contact(big_db), id(small): busiest_contact(history_20k_db)}

    def opening(handle):
        def run() -> float:
            bind(handle)
            start = time.perf_counter()
            model = TimelineModel(stub_document, person_scope=scope == "person")
            if scope == "person":
                model.set_contact(person[id(handle)])  # what selecting a person does
            rows = model.rowCount()
            elapsed = time.perf_counter() - start
            assert rows > 0
            model.deleteLater()
            return elapsed

        return run

    m, b = paired(benchmark, opening(big), opening(small), rounds=40, warmup=3)
    ratio = median(m) / median(b)
    who = "everyone's" if scope == "global" else "one person's (the busiest)"
    figures.add(Figure(
        "06" + ("a" if scope == "global" else "b"),
        f"Timeline first page, {who}: 200k vs 20k touchpoints", median(m), median(b),
        baseline_name="same at 20k", target="≤ 1.2× and < 50 ms",
        met=ratio <= 1.2 and max(median(m), median(b)) < 0.05,
        detail=f"median of {len(m)}, p95 {fmt_value(p95(m))}"))


# -- search ------------------------------------------------------------------------------------
def pick_words(big: Path, small: Path) -> dict[str, str]:
    """A common word (the one in the most notes) and a rare one: a word that finds the
    same few entries (1–5) in both files, so that only the size of the history differs."""

    def connect(path: Path):
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, touchpoint_fts, row)")
        return conn

    def hits(conn, word: str) -> int:
        return sum(conn.execute(f"SELECT count(*) FROM {table} WHERE {table} MATCH ?",
                                (f'"{word}"*',)).fetchone()[0]
                   for table in ("touchpoint_fts", "note_fts"))

    conn, other = connect(big), connect(small)
    try:
        common = conn.execute("SELECT term FROM temp.vocab WHERE length(term) >= 5 "
                              "ORDER BY doc DESC, term LIMIT 1").fetchone()[0]
        # (any script: in a history built afresh the rare words can all be names in
        # Greek, Arabic or Cyrillic; a word found nowhere would measure nothing)
        candidates = [r[0] for r in conn.execute(
            "SELECT term FROM temp.vocab WHERE length(term) >= 4 AND doc BETWEEN 1 AND 5 "
            "ORDER BY term GLOB '[a-z]*' DESC, length(term) >= 6 DESC, doc DESC, term "
            "LIMIT 400")]
        found = {w: hits(conn, w) for w in candidates}
        rare = next((w for w in candidates if 0 < found[w] == hits(other, w) <= 5),
                    min((w for w in candidates if found[w]), key=found.__getitem__,
                        default="zyzzyva"))
        return {"common": common, "rare": rare}
    finally:
        conn.close()
        other.close()


@pytest.mark.parametrize("which", ["common", "rare"])
def test_search(benchmark, figures, open_db, big_db, history_20k_db, which):
    from planner.services.search import search

    word = pick_words(big_db, history_20k_db)[which]
    big, small = open_db(big_db), open_db(history_20k_db)
    hits = {}

    def searching(handle):
        def run() -> float:
            bind(handle)
            start = time.perf_counter()
            found = search(word)
            elapsed = time.perf_counter() - start
            hits[id(handle)] = len(found)
            return elapsed

        return run

    m, b = paired(benchmark, searching(big), searching(small), rounds=40, warmup=3)
    ratio = median(m) / median(b)
    detail = f"median of {len(m)}, p95 {fmt_value(p95(m))}"
    if hits[id(big)] != hits[id(small)]:  # the same number of results from the big file
        bind(big)
        same = []
        for _ in range(40):
            start = time.perf_counter()
            search(word, limit=max(1, hits[id(small)]))
            same.append(time.perf_counter() - start)
        detail += f"; {fmt_value(median(same))} for the first {hits[id(small)]} hits at 200k"
    figures.add(Figure(
        "07" + ("a" if which == "common" else "b"),
        f"Search, {which} word “{word}” ({hits[id(big)]} vs {hits[id(small)]} hits): 200k vs 20k",
        median(m),
        median(b), baseline_name="same at 20k", target="≤ 1.2× and < 50 ms",
        met=ratio <= 1.2 and max(median(m), median(b)) < 0.05, detail=detail))
