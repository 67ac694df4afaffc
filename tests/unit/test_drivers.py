"""peewee imported without its server drivers and with its late-used standard modules
deferred (planner.storage.drivers, issue 23): in a fresh interpreter, as a command or
the window imports it."""

from __future__ import annotations

import json
import subprocess
import sys

_CHECK = r"""
import json, sys, threading
from planner.storage.drivers import import_peewee_without_drivers

import_peewee_without_drivers()
import peewee

before = [n for n in ("socket", "uuid", "calendar", "hashlib", "_hashlib", "psycopg2",
                      "inspect", "ast", "dis") if n in sys.modules]  # (the tests' lock
# guard imports traceback, with linecache and tokenize, into every Python process)
db = peewee.SqliteDatabase("things.db", timeout=30, check_same_thread=False)

class Thing(peewee.Model):
    key = peewee.UUIDField(null=True)
    class Meta:
        database = db

db.create_tables([Thing])
errors = []
start = threading.Barrier(8)

def work():
    try:
        start.wait()
        with db.atomic():
            with db.atomic():  # a savepoint: peewee names it with uuid, first used here
                Thing.create(key=None)
    except Exception as exc:  # noqa: BLE001  (reported below)
        errors.append(repr(exc))

threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
import uuid
row = Thing.create(key=uuid.UUID(int=7))
print(json.dumps({
    "before": before, "errors": errors, "rows": Thing.select().count(),
    "uuid is real": sys.modules["uuid"] is uuid and peewee.uuid.UUID is uuid.UUID,
    "read back": str(Thing.get_by_id(row.id).key),
    "timestamp": peewee.TimestampField(utc=True).db_value(  # utc: timegm, not local mktime
        __import__("datetime").datetime(2026, 1, 2)),
    "ip": peewee.IPField().db_value("10.0.0.1"),
    "md5": peewee.hashlib.md5(b"x").hexdigest(),  # (a long constraint name's hash)
    "is model": [peewee.is_model(x) for x in (Thing, Thing(), peewee.Model, int, None)],
}))
"""


def test_peewee_defers_what_it_uses_late_and_works_the_same(tmp_path):
    run = subprocess.run([sys.executable, "-c", _CHECK], capture_output=True, text=True,
                         timeout=120, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert seen["before"] == []  # none of them imported by peewee's import
    assert seen["errors"] == [] and seen["rows"] == 9  # 8 threads used it first at once
    assert seen["uuid is real"] is True
    assert seen["read back"] == "00000000-0000-0000-0000-000000000007"
    assert seen["timestamp"] == 1767312000  # calendar.timegm, through the stand-in
    assert seen["ip"] == 167772161  # socket.inet_aton, through the stand-in
    assert seen["md5"] == "9dd4e461268c8034f5c8564e155c67a6"  # hashlib, through it
    assert seen["is model"] == [True, False, True, False, False]  # isclass, provided


_LOGGING_CHECK = r"""
import io, json, sys
from planner.storage.drivers import import_peewee_without_drivers

import_peewee_without_drivers()  # logging is first imported by peewee, as in a command
import logging
before = [n for n in ("traceback", "textwrap") if n in sys.modules]
stand_in = type(logging.traceback).__name__
stream = io.StringIO()
log = logging.getLogger("check")
log.addHandler(logging.StreamHandler(stream))
try:
    1 / 0
except ZeroDivisionError:
    log.exception("failed")  # formatted by traceback, through the stand-in
lines = stream.getvalue().splitlines()
print(json.dumps({"before": before, "stand-in": stand_in, "logged": lines[:2] + lines[-1:],
                  "real": type(logging.traceback).__name__}))
"""


def test_logging_formats_an_exception_with_traceback_imported_when_first_needed(tmp_path):
    import os

    from tests.helpers import lock_guard

    # without the tests' lock guard, which imports traceback into every Python process
    site = os.path.join(os.path.dirname(lock_guard.__file__), "lock_guard_site")
    path = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != site]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    run = subprocess.run([sys.executable, "-c", _LOGGING_CHECK], capture_output=True, text=True,
                         timeout=120, cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert seen["before"] == [] and seen["stand-in"] == "Deferred"
    assert seen["logged"] == ["failed", "Traceback (most recent call last):",
                              "ZeroDivisionError: division by zero"]
    assert seen["real"] == "Deferred"  # (holding the real module's names from then on)


def test_the_isclass_given_to_peewee_is_inspects():
    import abc
    import inspect
    import typing

    from planner.storage.drivers import PROVIDED, isclass

    class Meta(type):
        pass

    class WithMeta(metaclass=Meta):
        pass

    class Abstract(abc.ABC):
        @abc.abstractmethod
        def work(self) -> None: ...

    samples = [int, type, object, Meta, WithMeta, WithMeta(), Abstract, abc.ABC, None, 3,
               "int", typing.Any, list[int], int | str, inspect, isclass,
               type(None), NotImplemented, Ellipsis]
    assert [isclass(x) for x in samples] == [inspect.isclass(x) for x in samples]
    assert PROVIDED["inspect"]["isclass"] is isclass


_DATACLASSES_CHECK = r"""
import json, sys
from planner.storage.drivers import import_dataclasses

import_dataclasses()
from dataclasses import dataclass, fields

@dataclass(frozen=True)
class Documented:
    '''A record with a docstring.'''
    a: int
    b: str = ""

made = [f.name for f in fields(Documented(1))]
before = "inspect" in sys.modules

@dataclass
class Bare:
    a: int

print(json.dumps({"made": made, "inspect before": before, "doc": Bare.__doc__,
                  "inspect after": "inspect" in sys.modules}))
"""


def test_dataclasses_import_inspect_only_for_a_class_without_a_docstring(tmp_path):
    run = subprocess.run([sys.executable, "-c", _DATACLASSES_CHECK], capture_output=True,
                         text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    # (Python 3.12's dataclasses use inspect for every class made: there it is imported
    # all the same, and only 3.11's command line is spared it)
    spared = sys.version_info < (3, 12)
    assert json.loads(run.stdout) == {"made": ["a", "b"], "inspect before": not spared,
                                      "doc": "Bare(a: int)", "inspect after": True}
