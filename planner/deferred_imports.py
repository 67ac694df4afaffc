"""Standard modules a library imports at its own import but uses only in calls made
late or never, imported when first used instead (issue 23: every command and the
window's start pay for each import).

``with deferring(("socket",)): import peewee`` gives peewee a :class:`Deferred` stand-in
for ``socket`` (in peewee's namespace only: once the block ends, every other ``import
socket`` gets the real module, as always; planner.storage.drivers). A library that uses
the module while it is imported (click's ``uuid.UUID`` in a class statement) gains
nothing from it — unless the stand-in is given what it takes beforehand (``provided``:
peewee's ``from inspect import isclass``). The stand-in imports the real module the
first time anything else of it is asked for, from any thread, and then holds its names.
"""

from __future__ import annotations

import importlib
import sys
import threading
import types
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

_loading = threading.RLock()


class Deferred(types.ModuleType):
    """A standard module imported when first used (one thread at a time); it then holds
    the real module's names, so later uses cost nothing more."""

    def __getattr__(self, attribute: str):
        if attribute.startswith("__"):  # asked by tools that look at every module (Qt's
            raise AttributeError(attribute)  # import hook asks __file__): not a use
        with _loading:
            name = self.__dict__["__name__"]
            real = sys.modules.get(name)
            if real is None or real is self:
                sys.modules.pop(name, None)
                real = importlib.import_module(name)
            self.__dict__.update(real.__dict__)  # (one step: no thread sees it half-made)
        return getattr(real, attribute)


def import_deferring(module: str, names: Iterable[str]) -> None:
    """Import ``module`` (if no one has yet) with ``names`` deferred for it."""
    if module not in sys.modules:
        with deferring(names):
            importlib.import_module(module)


@contextmanager
def deferring(names: Iterable[str],
              provided: Mapping[str, Mapping[str, object]] | None = None) -> Iterator[None]:
    """While the block imports a library, ``names`` (those not imported yet) are stand-ins.

    ``provided``: for a module of ``names``, attributes its stand-in holds from the start
    (each exactly what the real module has, e.g. a one-line function), so that a library
    taking them by name at its import does not import the module for them."""
    stand_ins = {name: Deferred(name) for name in names if name not in sys.modules}
    for name, attributes in (provided or {}).items():
        if name in stand_ins:
            stand_ins[name].__dict__.update(attributes)
    sys.modules.update(stand_ins)
    try:
        yield
    finally:
        for name, stand_in in stand_ins.items():  # the real module for everyone else
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]
