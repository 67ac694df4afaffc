"""A worker thread's own connection to the open database is closed when its work ends,
also when the work failed; the other threads keep theirs (planner.storage.threads, used by
the window's background jobs, the daily backup and the people search index)."""

from __future__ import annotations

import threading

import pytest

from planner.services import contacts
from planner.storage.models import db_proxy
from planner.storage.threads import open_database_identity, worker_connection
from tests.helpers.stores import bound


def _in_a_thread(fail: bool) -> dict:
    seen: dict = {}

    def work() -> None:
        try:
            with worker_connection():
                seen["read"] = [c.name for c in contacts.list_contacts()]
                seen["open inside"] = not db_proxy.obj.is_closed()
                if fail:
                    raise RuntimeError("the work failed")
        except RuntimeError:
            seen["failed"] = True
        seen["open after"] = not db_proxy.obj.is_closed()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(30)
    return seen


@pytest.mark.parametrize("fail", [False, True])
def test_the_threads_connection_is_closed_after_its_work(opened, fail):
    contacts.add_contact(opened.backend, "Ada")
    seen = _in_a_thread(fail)
    assert seen["read"] == ["Ada"] and seen["open inside"]
    assert seen["open after"] is False
    assert seen.get("failed", False) is fail
    assert not db_proxy.obj.is_closed()  # this thread's own connection is still open
    assert [c.name for c in contacts.list_contacts()] == ["Ada"]


def test_a_database_closed_meanwhile_is_left_alone(opened):
    with worker_connection():
        opened.close()  # the window went away while the work ran
    assert open_database_identity() is db_proxy.obj


def test_a_switch_of_database_meanwhile_still_closes_the_threads_own(opened, tmp_path):
    """The window switched to another database while the work ran: the thread's
    connection to the one it worked on is closed, not the other's (none)."""
    from planner.storage.database import open_database

    contacts.add_contact(bound(), "Ada")
    first = db_proxy.obj
    other: dict = {}
    seen: dict = {}

    def work() -> None:
        with worker_connection():
            seen["read"] = [c.name for c in contacts.list_contacts()]
            other["handle"] = open_database(str(tmp_path / "other.db"))  # the switch
        seen["first open after"] = not first.is_closed()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(30)
    try:
        assert seen == {"read": ["Ada"], "first open after": False}
    finally:
        other["handle"].close()
        opened.bind()
