"""planner.app.quicker_qt_imports: PySide6's look at every imported module (does it use
PySide6, for ``from __feature__ import …``) waits until a module asks for a feature, and
then gives the answers PySide6 itself gives. Each case runs in a fresh interpreter: a
feature, once asked for, stays on for the whole process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

MODULES = {
    # mentions PySide6 only inside a function (imported lazily, as the app's modules do)
    "lazy_user.py": """
        def name():
            from PySide6.QtCore import QObject
            obj = QObject()
            obj.setObjectName("camel")
            return obj.objectName()
    """,
    "plain.py": "VALUE = 1\n",
    # asks for snake_case names: from here on PySide6 tells modules apart
    "snake.py": """
        from __feature__ import snake_case
        from PySide6.QtCore import QObject

        def name():
            obj = QObject()
            obj.set_object_name("snake")
            return obj.object_name()
    """,
    "later_user.py": """
        from PySide6.QtCore import QObject

        def name():
            obj = QObject()
            obj.setObjectName("later")
            return obj.objectName()
    """,
    "later_plain.py": "VALUE = 2\n",
}

PROGRAM = """
import json, sys
from PySide6 import QtCore
import planner.app
feature = sys.modules["shibokensupport.feature"]
seen = feature.pyside_feature_dict
out = {}
import lazy_user, plain
out["before"] = [name in seen for name in ("lazy_user", "plain")]
out["read_before"] = planner_reads
import snake
out["after"] = [seen.get("lazy_user"), seen.get("plain"), seen.get("snake")]
import later_user, later_plain
out["later"] = [seen.get("later_user"), seen.get("later_plain")]
out["names"] = [snake.name(), lazy_user.name(), later_user.name()]
print(json.dumps(out))
"""

# counts the files the app's quick check reads (wrapped after planner.app installed it)
COUNTER = """
import builtins
planner_reads = 0
_open = builtins.open
def _counting_open(file, mode="r", *args, **kwargs):
    global planner_reads
    if mode == "rb" and str(file).endswith(("lazy_user.py", "plain.py")):
        planner_reads += 1
    return _open(file, mode, *args, **kwargs)
builtins.open = _counting_open
"""


def run(tmp_path: Path, program: str) -> dict:
    for name, text in MODULES.items():
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), os.getcwd()]),
               QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_modules_are_looked_at_only_once_a_feature_is_asked_for(tmp_path):
    out = run(tmp_path, COUNTER + PROGRAM)
    # nothing decided, and no file read, while no module has asked for a feature
    assert out["before"] == [False, False]
    assert out["read_before"] == 0
    # the first `from __feature__ import` looks at them as PySide6 does: 0 uses
    # PySide6 (no feature), -1 ignores the module; the asking module gets its feature
    assert out["after"] == [0, -1, 1]
    # from then on each module is looked at as it is imported
    assert out["later"] == [0, -1]
    # snake_case where it was asked for, camelCase in the others, before and after
    assert out["names"] == ["snake", "camel", "later"]


def test_pyside6_alone_gives_the_same_answers(tmp_path):
    """The same program without the app's hooks: PySide6's own answers, to compare."""
    out = run(tmp_path, COUNTER + PROGRAM.replace("import planner.app\n", ""))
    assert out["before"] == [True, True]  # PySide6 decides at once
    assert out["after"] == [0, -1, 1]
    assert out["later"] == [0, -1]
    assert out["names"] == ["snake", "camel", "later"]
