"""``planner import``, ``export``, ``backup`` and ``restore``: data in and out."""

from __future__ import annotations

from pathlib import Path

import click

from planner.cli.common import PathType, cli, db_backend, with_db
from planner.domain.errors import DatabaseProblem, InvalidInput

IMPORT_FORMATS = (
    "auto", "vcard", "jcard", "google", "outlook", "linkedin", "thunderbird", "roundcube", "csv",
    "json",
)
SHOWN_DUPLICATES = 20


def _mapping(items: tuple[str, ...]) -> dict[str, str] | None:
    from planner.importers import MAPPING_FIELDS

    if not items:
        return None
    out = {}
    for item in items:
        key, sep, column = item.partition("=")
        key = key.strip().lower()
        if not sep or not column.strip():
            raise InvalidInput(f"--map {item!r}: write it as FIELD=COLUMN, e.g. email='E-mail 1'")
        if key not in MAPPING_FIELDS and not key.startswith("handle:"):
            raise InvalidInput(
                f"--map {item!r}: unknown field {key!r}; use {', '.join(MAPPING_FIELDS)} "
                "or handle:SERVICE"
            )
        out[key] = column.strip()
    return out


@cli.command("import")
@click.argument("file", type=PathType(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(IMPORT_FORMATS),
    default="auto",
    show_default=True,
    help="What the file is; json is a full export, restored into an empty database.",
)
@click.option("--dry-run", is_flag=True, help="Only show what would happen; write nothing.")
@click.option(
    "--on-duplicate",
    type=click.Choice(("skip", "merge", "add")),
    default="skip",
    show_default=True,
    help="People already known (same email, else same name): leave them, fill their empty "
    "fields, or add them again.",
)
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="CSV column for a field (repeatable), e.g. --map email='E-mail 1'; for any CSV.",
)
@click.option(
    "--encoding",
    metavar="NAME",
    help="Read a CSV (or vCard) in this encoding, e.g. shift_jis, euc-kr, gb18030, big5, "
    "koi8-r, windows-1252, instead of the one detected.",
)
@click.option("-v", "--verbose", is_flag=True, help="List every duplicate.")
@with_db
def import_(
    file: Path, fmt: str, dry_run: bool, on_duplicate: str, mapping, encoding, verbose
) -> None:
    """Bring people in from a vCard or CSV file (phone, Google, Outlook, LinkedIn).

    Shows new, duplicate and invalid entries with their card or line; the
    import is all-or-nothing, after a backup of the database.
    """
    from planner.services import importing

    if encoding is not None:
        from planner.importers.textfile import check_encoding

        check_encoding(encoding)
    chosen = _mapping(mapping)
    try:
        kind = importing.detect_kind(file, encoding) if fmt == "auto" else fmt
    except InvalidInput as exc:
        raise _about(file, exc) from None
    if kind == "json":
        _import_dump(file, dry_run)
        return
    from planner.cli.progress import StderrProgress

    reading = StderrProgress(f"reading {file.name}")
    try:
        preview = importing.preview_import(file, fmt, chosen, progress=reading,
                                           encoding=encoding)
    except InvalidInput as exc:
        raise _about(file, exc) from None
    finally:
        reading.close()
    described = ", ".join(filter(None, (preview.format, preview.encoding_text())))
    click.echo(f"Read {file.name} ({described}): {preview.summary()}")
    warning = preview.encoding_warning()
    if warning:
        click.echo(f"Note: {warning} (--encoding NAME).")
    for note in preview.notes:
        click.echo(f"Note: {note}.")
    problems = preview.problem_lines()
    if problems:
        click.echo("Problems:")
        for line in problems:
            click.echo(f"  {line}")
    duplicates = preview.duplicate_lines()
    if duplicates:
        click.echo(f"Duplicates ({on_duplicate}):")
        shown = duplicates if verbose else duplicates[:SHOWN_DUPLICATES]
        for line in shown:
            click.echo(f"  {line}")
        if len(shown) < len(duplicates):
            click.echo(f"  … and {len(duplicates) - len(shown)} more (--verbose lists them all)")
    if dry_run:
        dups = preview.duplicates
        added = preview.new + (dups if on_duplicate == "add" else 0)
        merged = dups if on_duplicate == "merge" else 0
        skipped = dups if on_duplicate == "skip" else 0
        click.echo(
            f"Dry run, nothing was written: {added} would be added, {merged} merged, "
            f"{skipped} skipped, {preview.invalid} invalid"
        )
        return
    writing = StderrProgress("importing", "people")
    try:
        summary = importing.apply_import(db_backend(), preview, on_duplicate, progress=writing)
    finally:
        writing.close()
    click.echo(f"Imported: {summary.summary()}")
    for line in summary.problems[len(problems) :]:
        click.echo(f"  {line}")
    if summary.backup is not None:
        click.echo(f"The database was backed up first to {summary.backup}")


def _about(file: Path, exc: InvalidInput) -> InvalidInput:
    """A refusal of what the file holds, naming the file as the window does ("cannot import
    people.csv: line 7 …"); one that names it already (too large, a folder…) stays."""
    message = str(exc)
    if message.startswith((file.name, str(file))):
        return exc
    return InvalidInput(f"cannot import {file.name}: {message}")


def _import_dump(file: Path, dry_run: bool) -> None:
    from planner.services.exporting import describe_counts, import_json

    listing = describe_counts(import_json(db_backend(), file, dry_run=dry_run))
    if dry_run:
        click.echo(f"Dry run, nothing was written: the export is valid and would restore {listing}")
    else:
        click.echo(f"Restored {listing} from {file.name}")


@cli.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("json", "vcard", "csv")),
    default="json",
    show_default=True,
    help="json: everything (restorable with 'planner import'); vcard (4.0) or csv: the people.",
)
@click.option(
    "--no-escape",
    is_flag=True,
    help="CSV: do not neutralise cells that start with = + - @ (formula injection).",
)
@click.option(
    "-o",
    "--output",
    type=PathType(dir_okay=False, path_type=Path),
    help="Write to this file (owner-only) instead of standard output.",
)
@with_db
def export(fmt: str, no_escape: bool, output: Path | None) -> None:
    """Take your data out: a full JSON dump, or the people as vCard or CSV."""
    from planner.services import exporting

    if fmt == "csv":
        text = exporting.export_contacts("csv", escape_formulas=not no_escape)
    else:
        text = exporting.export_text(db_backend(), fmt)
    if output is None or str(output) == "-":  # - : standard output, as usual
        click.echo(text, nl=not text.endswith("\n"))
        return
    exporting.write_text(output, text)
    click.echo(f"Wrote {fmt} to {output}", err=True)


@cli.command("backup")
@click.option(
    "-o",
    "--output",
    type=PathType(path_type=Path),
    help="Write the copy here (a file or folder) instead of the backups folder.",
)
@with_db
def backup(output: Path | None) -> None:
    """Copy the database now (consistent even while the window is open).

    In the backups folder the newest copies made this way are kept apart from the
    daily and automatic ones (Preferences → Backups says how many of each)."""
    from planner.services.backups import backup_now, kept_note

    click.echo(f"Backed up to {backup_now(db_backend(), output)}")
    if output is None:  # a chosen file or folder is never rotated
        note = kept_note()
        click.echo(note[0].upper() + note[1:] + ".")


def _backup_key(ctx: click.Context, file: Path, key: str | None) -> str | None:
    """The key of an encrypted backup the database's key does not open (a copy made
    before a change of key): its passphrase, asked for (the next --passphrase-stdin line,
    or the terminal). None when there is nothing to ask: the restore then says why."""
    from planner.cli.passphrase import passphrases
    from planner.storage.sqlite import encryption

    if key is None or encryption.file_state(file) != "encrypted":
        return None
    if encryption.check_key(file, key):
        return None
    source = passphrases(ctx)
    if not source.can_ask():
        raise DatabaseProblem(
            f"cannot restore: {file.name} is encrypted with another key than the database's "
            "(made before a change of passphrase?); give its passphrase as the second line "
            "of planner --passphrase-stdin, or run the command in a terminal. Nothing was "
            "changed")
    typed = source.read(f"Passphrase of the backup {file.name}")
    found = encryption.find_key(file, encryption.keys_for_passphrase(typed))
    if found is None:
        raise DatabaseProblem(f"cannot restore: the passphrase given for {file.name} does "
                              "not open it; nothing was changed")
    return found


@cli.command("restore")
@click.argument("file", type=PathType(dir_okay=False, path_type=Path))
@click.pass_context
def restore(ctx: click.Context, file: Path) -> None:
    """Replace the database with the backup FILE (close the window first).

    The file is checked first; the current database is kept as a pre-restore backup.
    """
    from planner.services.backups import restore as restore_backup
    from planner.storage.database import open_database
    from planner.storage.target import resolve_target

    target = resolve_target(ctx.find_root().obj["database"])
    if target.path is None:
        from planner.services.backups import team_restore_hint

        raise DatabaseProblem(team_restore_hint(target.url or "", file))
    from planner.cli.db import key_if_encrypted

    key = key_if_encrypted(ctx, target)  # an encrypted database stays encrypted
    backup_key = _backup_key(ctx, file, key)
    result = restore_backup(None, file, target.path, key=key,  # (not opened: replaced)
                            backup_key=backup_key)
    open_database(str(result.database), key=key).close()  # upgrades an older backup's schema now
    click.echo(f"Restored {result.database} from {result.source}")
    if result.previous is not None:
        click.echo(f"The previous database was kept as {result.previous}")
