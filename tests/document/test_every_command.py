"""Every undo command of the document has its perform → undo → redo test here (a new
command without one fails this)."""

from __future__ import annotations

import ast
from pathlib import Path

import planner.document
from planner.document.commands import DocumentCommand

HERE = Path(__file__).parent


def _concrete(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        if not sub.__name__.startswith("_"):
            found.append(sub)
        found.extend(_concrete(sub))
    return found


def test_every_command_is_driven_on_both_engines():
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(planner.document.__path__):
        if module.name.endswith("commands"):
            importlib.import_module(f"planner.document.{module.name}")
    commands = {cls.__name__ for cls in _concrete(DocumentCommand)}
    driven = set()
    for path in HERE.glob("test_*_commands.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "run"
                    and node.args and isinstance(node.args[0], ast.Name)):
                driven.add(node.args[0].id)
    assert len(commands) >= 24
    assert commands <= driven, f"commands without a perform/undo/redo test: {commands - driven}"
