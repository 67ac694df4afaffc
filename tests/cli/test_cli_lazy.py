"""The command line imports only what the command needs (issue 23)."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys

from planner.cli.lazy import COMMANDS


def _imported(*args: str, env_extra: dict | None = None) -> tuple[set[str], str]:
    """The modules a real ``planner ARGS`` process imported (from ``-X importtime``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANNER_")}
    env.update(env_extra or {})
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "planner", *args],
                          capture_output=True, text=True, env=env, timeout=120)
    modules = {line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines()
               if line.startswith("import time:") and "|" in line}
    return modules, proc.stdout


def test_help_lists_every_command_without_importing_them():
    modules, out = _imported("--help")
    listed = {line.split()[0] for line in out.split("Commands:", 1)[1].splitlines()
              if line.strip()}
    assert listed == set(COMMANDS)
    assert not {m for m in modules if m.startswith("planner.cli.") and
                m not in ("planner.cli.common", "planner.cli.lazy", "planner.cli.passphrase",
                          "planner.cli.process", "planner.cli.quick", "planner.cli.window")}
    assert "peewee" not in modules and not any(m.startswith("PySide6") for m in modules)


def test_the_static_help_table_matches_each_command():
    import planner.cli as cli_module
    from planner.cli.common import cli

    cli_module._register()
    assert set(cli.commands) == set(COMMANDS)
    for name, command in cli.commands.items():
        first = inspect.cleandoc(command.help or "").split("\n\n")[0].replace("\n", " ")
        assert COMMANDS[name][1] == first, name


def test_version_imports_no_qt_no_click_no_peewee():
    modules, out = _imported("--version")
    assert out.strip().startswith("planner ")
    assert "peewee" not in modules and "click" not in modules
    assert not any(m.startswith(("PySide6", "keyring", "planner.storage")) for m in modules)


NULL_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}


def _file_with_ada(tmp_path):
    """A database file with one person, Ada, made by the real command line."""
    db = tmp_path / "p.db"
    subprocess.run([sys.executable, "-m", "planner", "--db", str(db), "contacts", "add", "Ada"],
                   check=True, capture_output=True, env={**os.environ, **NULL_KEYRING})
    return db, NULL_KEYRING


def test_log_imports_no_qt_no_keyring_no_other_features(tmp_path):
    db, env = _file_with_ada(tmp_path)
    modules, out = _imported("--db", str(db), "log", "Ada", "coffee", env_extra=env)
    assert out.startswith("Logged coffee with Ada")
    assert not any(m.startswith(("PySide6", "keyring")) for m in modules)
    unrelated = ("planner.cli.advocacy", "planner.cli.transfer", "planner.cli.team",
                 "planner.services.advocacy", "planner.services.importing",
                 "planner.services.exporting", "planner.storage.advocacy_repo",
                 "planner.storage.postgres", "planner.ui", "planner.document")
    assert not [m for m in modules if m.startswith(unrelated)]
    # a plain file: no entry-by-entry schema check, nothing of encrypted files (that no
    # PostgreSQL driver is imported is checked in test_cli_start_up: -X importtime lists
    # the import peewee tries while the driver is hidden)
    assert not [m for m in modules if m.startswith(("planner.storage.sqlite.schema_",
                                                    "planner.storage.sqlite.unlock", "playhouse"))]
    # nor OpenSSL's hashes (the schema's digest is CPython's own SHA-256), nor the
    # timeline (its entries, their order), nor the secret store (only its notice's handler)
    assert not {"hashlib", "_hashlib", "planner.domain.timeline", "planner.domain.timeline_order",
                "planner.storage.secrets"} & modules
    # nor the rules of typed times, with no time given (at now: not in the future)
    assert "planner.domain.when" not in modules
    # nor the tables of other features (advocacy, cadences, photos, snoozes, capture, own
    # settings) or the schema as a whole: planner/storage/models/ makes those when named
    assert not [m for m in modules if m.startswith("planner.storage.models.")]
    # nor click: such a command line is recognised and run by planner.cli.quick (click's
    # import, its group and the log command's options were ~50 M instructions of ~370)
    assert not [m for m in modules if m == "click" or m.startswith("click.")]
    # nor inspect (with ast, dis, tokenize): peewee is given its isclass, and every
    # dataclass made has a docstring (dataclasses writes an undocumented one's signature);
    # Python 3.12's dataclasses use inspect for every class made, so there it comes all
    # the same (test_drivers says which)
    if sys.version_info < (3, 12):
        assert not {"inspect", "ast", "dis", "tokenize"} & modules
    assert not [m for m in modules if m.startswith("planner.cli.") and m not in (
        "planner.cli.quick", "planner.cli.process", "planner.cli.window",
        "planner.cli.passphrase")]


def test_contacts_show_imports_no_ring_rules_no_advocacy(tmp_path):
    db, env = _file_with_ada(tmp_path)
    modules, out = _imported("--db", str(db), "contacts", "show", "Ada", env_extra=env)
    assert out.startswith("Name:")
    unwanted = ("PySide6", "keyring", "planner.services.placement",
                "planner.services.settings", "planner.domain.advocacy",
                "planner.storage.sqlite.schema_", "planner.storage.timeline_repo")
    assert not [m for m in modules if m.startswith(unwanted)]
    # nor click, nor any command's module: planner.cli.quick runs it (click was ~18 ms of
    # its ~82, 2.8× `python -c pass`)
    assert not [m for m in modules if m == "click" or m.startswith("click.")]
    assert not [m for m in modules if m.startswith("planner.cli.") and m not in (
        "planner.cli.quick", "planner.cli.process", "planner.cli.window",
        "planner.cli.passphrase")]


def test_a_command_of_the_db_group_from_the_team_module_is_found():
    import click

    from planner.cli.common import cli

    db = cli.get_command(None, "db")
    assert isinstance(db, click.Group)
    assert {"status", "encrypt", "init", "add-user", "login"} <= set(db.commands)
