"""A worker thread's own connection to the open database is closed when its work ends,
also when the work failed; the other threads keep theirs (planner.storage.threads, used by
the window's background jobs, the daily backup and the people search index)."""

from __future__ import annotations

import threading

import pytest

from planner.services import contacts
from planner.storage.models import db_proxy
from planner.storage.threads import open_database_identity, worker_connection


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
    contacts.add_contact("Ada")
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
