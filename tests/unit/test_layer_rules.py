"""Layer rules import-linter cannot see (.importlinter holds the ones it can): a module
above the services never reaches a repository through a service module's attribute
(``contacts.repo.people_ids(...)`` imports nothing new, so no import contract fails)."""

from __future__ import annotations

import ast
from pathlib import Path

PLANNER = Path(__file__).resolve().parents[2] / "planner"
BELOW = ("services", "storage", "domain")  # allowed to hold and use a repository


def _service_names(tree: ast.Module) -> set[str]:
    """The local names this module binds to a planner.services module."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "planner.services":
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("planner.services.") and alias.asname:
                    names.add(alias.asname)
    return names


def reaches_into_storage(source: str) -> list[int]:
    """The lines of ``source`` that use a service module's ``repo`` (or any attribute
    named like a repository) — storage, reached around the services."""
    tree = ast.parse(source)
    services = _service_names(tree)
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in services
                and (node.attr == "repo" or node.attr.endswith("_repo"))):
            found.append(node.lineno)
    return found


def test_the_rule_sees_a_repository_reached_through_a_service():
    source = ("from planner.services import contacts as contact_svc\n"
              "import planner.services.placement as placement_svc\n"
              "ids = contact_svc.repo.people_ids()\n"
              "rows = placement_svc.contacts_repo.placement_snapshot()\n"
              "fine = contact_svc.people_ids()\n")
    assert reaches_into_storage(source) == [3, 4]


def test_nothing_above_the_services_reaches_into_storage_through_them():
    offences = []
    for path in sorted(PLANNER.rglob("*.py")):
        part = path.relative_to(PLANNER).parts[0]
        if part in BELOW:
            continue
        for line in reaches_into_storage(path.read_text("utf-8")):
            offences.append(f"{path.relative_to(PLANNER.parent)}:{line}")
    assert offences == [], "use (or add) a service function instead:\n" + "\n".join(offences)


# Issue 22: the backend is passed in. Storage keeps which database the models are bound
# to to itself; a service (and the document, the CLI, the window) is given the backend
# of the database its caller opened — never the backend module's current() / bound().
BOUND_LOOKUPS = ("current", "bound")


def _backend_module_names(tree: ast.Module) -> set[str]:
    """The local names this module binds to planner.storage.backend."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "planner.storage":
            names.update(alias.asname or alias.name for alias in node.names
                         if alias.name == "backend")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "planner.storage.backend":
                    names.add(alias.asname or "planner")
    return names


def looks_up_the_bound_backend(source: str) -> list[int]:
    """The lines of ``source`` that ask the backend module for the bound database's
    backend (``backend.current()``, ``backend.bound()``, imported by name or reached
    through the whole dotted path)."""
    tree = ast.parse(source)
    modules = _backend_module_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "planner.storage.backend":
            if any(alias.name in BOUND_LOOKUPS for alias in node.names):
                found.append(node.lineno)
        elif isinstance(node, ast.Attribute) and node.attr in BOUND_LOOKUPS:
            owner = ast.unparse(node.value)
            if owner in modules or owner == "planner.storage.backend":
                found.append(node.lineno)
    return sorted(found)


def test_the_rule_sees_the_bound_backend_looked_up():
    source = ("from planner.storage import backend\n"
              "from planner.storage import backend as engines\n"
              "import planner.storage.backend\n"
              "from planner.storage.backend import bound\n"
              "with backend.current().write(): pass\n"
              "path = engines.bound().path\n"
              "found = planner.storage.backend.current()\n"
              "fine = backend.backend_for(db)\n"
              "also_fine = document.backend.current_user()\n")
    assert looks_up_the_bound_backend(source) == [4, 5, 6, 7]


def test_only_storage_knows_which_database_the_models_are_bound_to():
    offences = []
    for path in sorted(PLANNER.rglob("*.py")):
        if path.relative_to(PLANNER).parts[0] == "storage":
            continue
        for line in looks_up_the_bound_backend(path.read_text("utf-8")):
            offences.append(f"{path.relative_to(PLANNER.parent)}:{line}")
    assert offences == [], ("take the backend as a parameter (``store``) from the caller "
                            "that opened the database:\n" + "\n".join(offences))
