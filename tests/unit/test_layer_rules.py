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
