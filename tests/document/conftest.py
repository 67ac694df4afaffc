"""The document layer on its own: the real PlannerDocument and its QUndoStack, headless,
on SQLite and on PostgreSQL (``backend``, tests/helpers/postgres.py)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from planner.storage.postgres.team_setup import planner_tables

#: columns a step may move on without changing what is stored (optimistic-locking
#: counters, write stamps): an undo writes the old values back as a new version
VOLATILE = {"version", "updated_at"}
#: tables whose own id nothing points at (a picture is found by its person): a picture
#: put back by an undo may get a new one
SURROGATE_ID = {"contact_photo"}


STAMP = re.compile(r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d")


def snapshot(handle, *, replayed: bool = False) -> dict[str, list[tuple]]:
    """Every planner table's rows (volatile columns left out), in a stable order.

    ``replayed``: as a redo that does the action again may leave it — the same rows, but
    with new time stamps and new row ids of their own (a history row, a trash stamp, a
    re-inserted picture); the ids other rows point at must stay the same."""
    tables = {}
    for table in planner_tables():
        if table == "planner_meta":
            continue
        cursor = handle.db.execute_sql(f"SELECT * FROM {table}")
        names = [c[0] for c in cursor.description]
        keep = [i for i, name in enumerate(names) if name not in VOLATILE
                and not (name == "id" and (table in SURROGATE_ID
                                           or (replayed and table != "contact")))]
        rows = [tuple(_plain(row[i], replayed) for i in keep) for row in cursor.fetchall()]
        tables[table] = sorted(rows, key=repr)
    return tables


def _plain(value, replayed: bool):
    if isinstance(value, memoryview):
        return bytes(value)
    if replayed and (isinstance(value, datetime)
                     or (isinstance(value, str) and STAMP.match(value))):
        return "<a time>"
    return value


class Steps:
    """Drives one command through perform → undo → redo → undo → redo, checking after
    each step what the database holds (the whole snapshot) and what the document says."""

    covered: set[type] = set()

    def __init__(self, handle, document):
        self.handle, self.document = handle, document
        self.messages: list[str] = []
        document.message.connect(self.messages.append)

    def run(self, command_type: type, action, done, undone) -> object:
        """``action()`` pushes the command (through document.editing); ``done()`` and
        ``undone()`` assert on the database and the document in each state."""
        stack = self.document.undo_stack
        before, depth = snapshot(self.handle), stack.count()
        assert action() not in (False, None), self.messages
        assert stack.count() == depth + 1, "one user action is one undo step"
        command = stack.command(stack.count() - 1)
        assert type(command) is command_type
        Steps.covered.add(command_type)
        after = snapshot(self.handle)
        assert after != before, "the step changed nothing in the database"
        after_replayed = snapshot(self.handle, replayed=True)
        done()
        for _ in range(2):
            assert self.document.undo(), self.messages
            assert snapshot(self.handle) == before, "undo did not put every row back"
            undone()
            assert self.document.redo(), self.messages
            assert snapshot(self.handle, replayed=True) == after_replayed, (
                "redo did not make the same rows")
            done()
        assert self.messages == [], "nothing was refused"
        assert stack.index() == stack.count()
        return command


@pytest.fixture
def document(backend, qapp):
    from planner.document.document import PlannerDocument

    doc = PlannerDocument(backend)
    yield doc
    doc.undo_stack.clear()
    doc.deleteLater()


@pytest.fixture
def steps(backend, document):
    return Steps(backend, document)
