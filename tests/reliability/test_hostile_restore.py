"""A database file handed to the app is data, never code (issue 17).

Backups tampered with in every way that could act on the app later — triggers, views,
extra tables, indexes (expression ones too), changed columns, defaults and constraints,
a dropped index or search trigger, an extra virtual table, a trigger inside an
encrypted backup — are refused by ``planner restore`` (exit 1, one line, the current
database byte-for-byte as it was) and by ``planner --db FILE`` (the file untouched);
every file the app makes itself is accepted: ``planner backup`` output, each older
schema version, encrypted backups, the demo, a JSON import, a restored database.
Files are hashed only while this process holds no connection to them.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from planner.domain.errors import DatabaseProblem
from tests.helpers.cli import invoke, ok, refused

SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"
XDG = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def folder_state(db: Path) -> tuple:
    """The database's bytes and every file beside it (and in backups/)."""
    listing = sorted(str(p.relative_to(db.parent)) for p in db.parent.rglob("*"))
    return sha(db), listing


def names_in(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return sorted(r[0] for r in conn.execute("SELECT name FROM contact"))
    finally:
        conn.close()


def schema_names(path: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A database made by the CLI (people, a ring, an e-mail touchpoint, a note) and its
    ``planner backup``; made once, copied by each test."""
    root = tmp_path_factory.mktemp("hostile-restore")
    with pytest.MonkeyPatch.context() as env:
        for name in XDG:
            env.setenv(name, str(root / name.lower()))
        db = root / "made" / "planner.db"
        db.parent.mkdir()
        ok(invoke("contacts", "add", "Ada Lovelace", "--ring", "inner", db=db))
        ok(invoke("contacts", "add", "Grace Hopper", db=db))
        ok(invoke("log", "Ada", "email", "--note", "sent the draft", db=db))
        ok(invoke("note", "Ada", "Prefers mornings", db=db))
        backup = root / "made" / "backup.db"
        ok(invoke("backup", "-o", str(backup), db=db))
    return db, backup


@pytest.fixture
def current(made, tmp_path) -> Path:
    """The database to restore into (a copy of the one made by the CLI)."""
    db = tmp_path / "data" / "planner.db"
    db.parent.mkdir()
    shutil.copyfile(made[0], db)
    return db


def tamper(path: Path, statements: list[str]) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")  # only the column rewrites need it
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


def rewrite(table: str, old: str, new: str) -> str:
    return (f"UPDATE sqlite_master SET sql = replace(sql, '{old}', '{new}') "
            f"WHERE type = 'table' AND name = '{table}'")


#: kind → (statements run on a real backup, what the one-line refusal names)
TAMPERING = {
    "trigger copying notes away": (
        ["CREATE TABLE loot (text TEXT)",
         "CREATE TRIGGER copy_notes AFTER INSERT ON note BEGIN "
         "INSERT INTO loot VALUES (new.text); "
         "UPDATE contact SET notes = notes || new.text WHERE id = new.contact_id; END"],
        "has a trigger `copy_notes` that Mentorship Planner does not make"),
    "trigger deleting notes on e-mail": (
        ["CREATE TRIGGER wipe AFTER INSERT ON touchpoint WHEN new.kind = 'email' "
         "BEGIN DELETE FROM note; END"],
        "has a trigger `wipe` that Mentorship Planner does not make"),
    "search trigger rewritten": (
        ["DROP TRIGGER note_ai",
         "CREATE TRIGGER note_ai AFTER INSERT ON note BEGIN "
         "INSERT INTO note_fts(rowid, body) VALUES (new.id, new.text); DELETE FROM ring_move; END"],
        "has a trigger `note_ai` that differs from the one Mentorship Planner makes"),
    "search trigger dropped": (
        ["DROP TRIGGER note_ai"],
        "lacks the trigger `note_ai` that Mentorship Planner makes"),
    "view": (
        ["CREATE VIEW everyone AS SELECT name, notes FROM contact"],
        "has a view `everyone` that Mentorship Planner does not make"),
    "extra table": (
        ["CREATE TABLE exfiltrate (id INTEGER PRIMARY KEY, blob BLOB)"],
        "has a table `exfiltrate` that Mentorship Planner does not make"),
    "extra virtual table": (
        ["CREATE VIRTUAL TABLE spy USING fts5(body)"],
        "has a virtual table `spy` that Mentorship Planner does not make"),
    "extra index": (
        ["CREATE INDEX contact_name ON contact (name)"],
        "has an index `contact_name` that Mentorship Planner does not make"),
    "expression index": (
        ["CREATE INDEX contact_shout ON contact (upper(name) || char(65))"],
        "has an index `contact_shout` that Mentorship Planner does not make"),
    "dropped index": (
        ["DROP INDEX note_at"],
        "lacks the index `note_at` that Mentorship Planner makes"),
    "extra column": (
        ["ALTER TABLE contact ADD COLUMN spy TEXT DEFAULT 'x'"],
        "has a table `contact` with a column `spy` that Mentorship Planner does not make"),
    "changed column type": (
        [rewrite("contact", '"notes" TEXT NOT NULL', '"notes" BLOB NOT NULL')],
        "has a table `contact` whose column `notes` has the type `BLOB`, not `TEXT`"),
    "changed default": (
        [rewrite("note", '"author" VARCHAR(255) NOT NULL',
                 '"author" VARCHAR(255) NOT NULL DEFAULT (hex(randomblob(8)))')],
        "has a table `note` whose column `author` has the default `hex(randomblob(8))`, not none"),
    "check constraint": (
        [rewrite("note", '"version" INTEGER NOT NULL,',
                 '"version" INTEGER NOT NULL CHECK (length(text) < 5),')],
        "has a table `note` with constraints or options that Mentorship Planner does not make"),
    "application id": (
        ["PRAGMA application_id = 1234"],
        "has the application id 1234, which Mentorship Planner does not set"),
}


@pytest.mark.parametrize("kind", list(TAMPERING))
def test_a_tampered_backup_is_refused_and_the_database_is_unchanged(made, current, tmp_path,
                                                                    kind):
    statements, named = TAMPERING[kind]
    bad = tmp_path / "backup.db"
    shutil.copyfile(made[1], bad)
    tamper(bad, statements)
    before = folder_state(current)

    line = refused(invoke("restore", str(bad), db=current), "cannot restore: ")
    assert line == f"planner: cannot restore: backup.db {named}; nothing was changed"
    assert folder_state(current) == before  # no byte changed, no pre-restore copy made

    tampered = sha(bad)
    line = refused(invoke("rings", db=bad), "so it will not be opened", "left untouched")
    assert f"{bad} {named}" in line
    assert sha(bad) == tampered and not Path(f"{bad}-wal").exists()


def test_db_encrypt_refuses_a_tampered_database_so_the_trigger_cannot_survive(made, tmp_path):
    bad = tmp_path / "planner.db"
    shutil.copyfile(made[1], bad)
    tamper(bad, TAMPERING["trigger deleting notes on e-mail"][0])
    tampered = sha(bad)
    line = refused(invoke("db", "encrypt", db=bad), "has a trigger `wipe`")
    assert "so it will not be encrypted; nothing was changed" in line
    assert sha(bad) == tampered


# ------------------------------------------------------------- encrypted backups


@pytest.fixture
def encrypted(made, tmp_path, monkeypatch):
    """The current database encrypted, and its (encrypted) ``planner backup``; the
    recovery passphrase opens both."""
    from planner.storage.sqlite import encryption

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    db = tmp_path / "data" / "planner.db"
    db.parent.mkdir()
    shutil.copyfile(made[0], db)
    key = encryption.generate_key()
    encryption.encrypt(db, key)
    passphrase = encryption.recovery_passphrase(key) + "\n"
    backup = tmp_path / "encrypted-backup.db"
    ok(invoke("--passphrase-stdin", "backup", "-o", str(backup), db=db, input=passphrase))
    assert encryption.file_state(backup) == "encrypted"
    return db, backup, key, passphrase


def test_a_trigger_hidden_in_an_encrypted_backup_is_refused(encrypted, tmp_path):
    from planner.storage.sqlite import encryption

    db, backup, key, passphrase = encrypted
    conn = encryption.connect(backup, key)
    conn.execute("CREATE TRIGGER wipe AFTER INSERT ON touchpoint BEGIN DELETE FROM note; END")
    conn.close()
    before = folder_state(db)
    line = refused(invoke("--passphrase-stdin", "restore", str(backup), db=db, input=passphrase))
    assert line == ("planner: cannot restore: encrypted-backup.db has a trigger `wipe` that "
                    "Mentorship Planner does not make; nothing was changed")
    assert folder_state(db) == before
    refused(invoke("--passphrase-stdin", "rings", db=backup, input=passphrase),
            "has a trigger `wipe`", "left untouched")


def test_an_encrypted_backup_made_by_the_app_is_restored(encrypted):
    db, backup, _key, passphrase = encrypted
    ok(invoke("--passphrase-stdin", "contacts", "add", "Later", db=db, input=passphrase))
    ok(invoke("--passphrase-stdin", "restore", str(backup), db=db, input=passphrase))
    out = ok(invoke("--passphrase-stdin", "contacts", "list", "--json", db=db, input=passphrase))
    assert sorted(c["name"] for c in json.loads(out)) == ["Ada Lovelace", "Grace Hopper"]
    # decrypted again, the file is still one of ours
    ok(invoke("--passphrase-stdin", "db", "decrypt", db=db, input=passphrase))
    ok(invoke("restore", str(db), db=db.with_name("elsewhere.db")))


# ---------------------------------------------------------- the app's own files


def test_a_backup_of_the_app_restores_and_a_restored_database_backs_up_and_restores(made, current,
                                                                                   tmp_path):
    ok(invoke("contacts", "add", "Linus", db=current))
    out = ok(invoke("restore", str(made[1]), db=current))
    assert "Restored" in out and names_in(current) == ["Ada Lovelace", "Grace Hopper"]
    again = tmp_path / "again.db"
    ok(invoke("backup", "-o", str(again), db=current))
    ok(invoke("restore", str(again), db=tmp_path / "second" / "planner.db"))
    ok(invoke("rings", db=tmp_path / "second" / "planner.db"))


@pytest.mark.parametrize("fixture", sorted(SCHEMAS.glob("planner-v*.db")), ids=lambda p: p.stem)
def test_every_older_schema_version_opens_and_restores(fixture, current, tmp_path):
    mine = tmp_path / fixture.name
    shutil.copyfile(fixture, mine)
    ok(invoke("restore", str(mine), db=current))  # as a backup
    ok(invoke("rings", db=current))
    opened = tmp_path / "opened" / "planner.db"  # and opened directly with --db
    opened.parent.mkdir()
    shutil.copyfile(fixture, opened)
    ok(invoke("rings", db=opened))


def test_the_demo_database_and_a_json_import_restore(current, tmp_path):
    demo = tmp_path / "demo.db"
    ok(invoke("demo", "--contacts", "30", "--touchpoints", "60", "--seed", "3", db=demo))
    ok(invoke("restore", str(demo), db=current))
    assert len(names_in(current)) == 30
    export = tmp_path / "everything.json"
    ok(invoke("export", "--format", "json", "-o", str(export), db=current))
    imported = tmp_path / "imported.db"
    ok(invoke("import", str(export), db=imported))
    ok(invoke("restore", str(imported), db=tmp_path / "fresh" / "planner.db"))
    assert len(names_in(tmp_path / "fresh" / "planner.db")) == 30


def test_restoring_a_real_backup_over_a_tampered_database_replaces_it(made, current):
    tamper(current, TAMPERING["trigger deleting notes on e-mail"][0])
    refused(invoke("rings", db=current), "has a trigger `wipe`")
    ok(invoke("restore", str(made[1]), db=current))
    assert "wipe" not in schema_names(current)
    ok(invoke("log", "Ada", "email", "--note", "again", db=current))
    ok(invoke("timeline", "Ada", db=current))
    (kept,) = (current.parent / "backups").glob("*-pre-restore.db")
    assert "wipe" in schema_names(kept)  # the evidence is kept, never opened by the app


# ------------------------------------------------------------------ services


def test_the_restore_service_and_open_refuse_a_tampered_file(made, current, tmp_path):
    from planner.services.backups import restore
    from planner.storage.database import open_database

    bad = tmp_path / "backup.db"
    shutil.copyfile(made[1], bad)
    tamper(bad, TAMPERING["view"][0])
    before = folder_state(current)
    with pytest.raises(DatabaseProblem, match="has a view `everyone`") as caught:
        restore(None, bad, current)  # (nothing is open: as the command line restores)
    assert "\n" not in str(caught.value)
    assert folder_state(current) == before
    tampered = sha(bad)
    with pytest.raises(DatabaseProblem, match="has a view `everyone`"):
        open_database(str(bad))
    assert sha(bad) == tampered


def test_the_window_refuses_a_tampered_backup(qtbot, made, current, tmp_path):
    from tests.gui.helpers import open_window
    from tests.gui.test_import_gui import content_hash

    bad = tmp_path / "backup.db"
    shutil.copyfile(made[1], bad)
    tamper(bad, TAMPERING["trigger copying notes away"][0])
    window = open_window(qtbot, current)
    controller = window.transfer
    before = content_hash(current)
    controller.ask_open_path = lambda caption, filters, done: done(bad)
    dialog = controller.start_restore()
    with qtbot.waitSignal(controller.job_finished):  # the file is looked at first
        qtbot.mouseClick(dialog.file_button, qtbot_left())
    assert controller.confirm_box is None  # refused before a confirmation is asked for
    error = controller.error_box
    assert error is not None and error.isVisible()
    assert error.text().endswith(", so it is not restored from. Nothing was changed.")
    assert "trigger `copy_notes`" in error.text()
    assert content_hash(current) == before
    assert not list((current.parent / "backups").glob("*-pre-restore.db"))


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
