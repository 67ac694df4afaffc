"""Installs the lock guard (tests/helpers/lock_guard.py) in every Python subprocess
that the tests start; what it finds goes to ``$PLANNER_LOCK_GUARD_LOG``."""

import os
import sys

if os.environ.get("PLANNER_LOCK_GUARD_LOG"):
    _repo = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))))
    sys.path.insert(0, _repo)
    try:
        from tests.helpers import lock_guard

        lock_guard.install()
    finally:
        sys.path.remove(_repo)
