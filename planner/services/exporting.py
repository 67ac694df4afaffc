"""Getting everything out: a full JSON dump (and its exact restore), vCard and CSV.

The JSON dump
=============

:func:`export_json` returns, and :func:`write_json` writes (UTF-8, owner-only),
one JSON object holding everything in the database. :func:`import_json`
restores it into an **empty** database exactly: same ids, same times, same
fields. It refuses a database that already holds people, placements, history,
touchpoints or notes, and it validates the whole file before writing anything
(one transaction: all or nothing).

Times are UTC in ISO 8601 with microseconds and a ``Z``
(``2026-01-31T09:30:00.000000Z``). Ids are integers; ``contact_id`` refers to
``contacts[].id``. Lists and maps are JSON arrays and objects.

===========================  ===============================================================
Field                        Meaning
===========================  ===============================================================
``format``                   always ``"mentorship-planner-dump"``
``version``                  version of this dump format (``1``); a newer number is refused
``schema_version``           database schema the dump was made from (information only)
``app_version``              version of Mentorship Planner that wrote it
``exported_at``              when the dump was made (the only field a round trip changes)
``contacts[]``               every person, including those in the trash
``.id``                      the person's id
``.name``                    display name (1–200 characters)
``.email``                   primary email address, or ``""``
``.phones``                  list of phone numbers
``.handles``                 map service → handle (``{"github": "ada"}``); further email
                             addresses from imports are kept as ``"email-2"``, ``"email-3"``…
``.channels``                preferred channels, most preferred first (``["im", "email"]``)
``.tags``                    list of tags
``.timezone``                IANA time zone (``"Europe/Berlin"``) or ``""``
``.birthday``                ``"YYYY-MM-DD"``, ``"--MM-DD"`` when the year is unknown, or ``""``
``.organization``            organisation, or ``""``
``.title``                   job title, or ``""``
``.notes``                   free notes about the person (may be several lines)
``.cadence_days``            days between touches overriding the ring's, or ``null``
``.stage``                   ``none``, ``cultivating``, ``succeeded`` or ``advocate``
``.created_at``              when the person was added
``.updated_at``              when they were last changed
``.deleted_at``              when they were moved to the trash, or ``null``
``.deleted``                 ``true`` for people in the trash (same as ``deleted_at != null``;
                             ignored on import)
``.version``                 edit counter (optimistic locking)
``placements[]``             who sits on which ring; a person without one is unplaced
``.id``                      row id
``.contact_id``              the person
``.owner``                   whose rings (``""`` = the local user)
``.ring``                    ``inner``, ``middle`` or ``outer``
``.position``                order around the ring, from 0
``ring_moves[]``             the history of ring changes
``.id``                      row id
``.contact_id``              the person
``.owner``                   whose rings (``""`` = the local user)
``.from_ring``               ring before the move, ``null`` = unplaced
``.to_ring``                 ring after the move, ``null`` = unplaced
``.at``                      when it happened
``touchpoints[]``            contact moments
``.id``                      row id
``.contact_id``              the person
``.kind``                    ``coffee``, ``im``, ``sms``, ``call``, ``video``, ``email``,
                             ``meal``, ``in-person``, ``event``, ``collab``, ``amplify``,
                             ``meeting``, ``other``
``.at``                      when it happened
``.minutes``                 how long, or ``null``
``.note``                    what was said or done, or ``""``
``.author``                  who logged it (``""`` = the local user)
``.created_at``              when it was logged
``.updated_at``              when it was last edited
``.version``                 edit counter
``.source``                  a digest of the calendar or mail item it was captured from, or ``""``
``notes[]``                  notes about a person
``.id``                      row id
``.contact_id``              the person
``.at``                      the moment the note is about
``.text``                    the note
``.author``                  who wrote it (``""`` = the local user)
``.shared``                  ``true`` if shared with the team
``.created_at``              when it was written
``.updated_at``              when it was last edited
``.version``                 edit counter
``stage_changes[]``          the history of advocacy stages (schema 3)
``.id``                      row id
``.contact_id``              the person
``.from_stage``              stage before: ``none``, ``cultivating``, ``succeeded``, ``advocate``
``.to_stage``                stage after
``.at``                      when it changed
``asks[]``                   what was asked of a person (schema 3)
``.id``                      row id
``.contact_id``              the person
``.type``                    ``reference-call``, ``case-study``, ``talk``,
                             ``co-authored-post``, ``review-draft``, ``intro``, ``feedback``,
                             ``beta-test``, ``other``
``.status``                  ``planned``, ``asked``, ``done`` or ``declined``
``.at``                      when it was (or is to be) asked
``.closed_at``               when it became done or declined, or ``null``
``.note``                    what exactly, or ``""``
``.created_at``              when it was noted
``.updated_at``              when it was last changed
``.version``                 edit counter
``gives[]``                  what was given back (schema 3)
``.id``                      row id
``.contact_id``              the person
``.type``                    ``thank-you-note``, ``congratulations``, ``early-access``,
                             ``intro``, ``amplify``, ``invitation``, ``gift``, ``other``
``.at``                      when
``.note``                    what, or ``""``
``.for_ask_id``              the ask (``asks[].id``) it thanks them for, or ``null``
``.created_at``              when it was noted
``.updated_at``              when it was last changed
``.version``                 edit counter
``wins[]``                   their successes (schema 3)
``.id``                      row id
``.contact_id``              the person
``.text``                    what they did (1–300 characters)
``.at``                      when
``.link``                    where to see it, or ``""``
``.note``                    more about it, or ``""``
``.celebrated_by_id``        the touchpoint (``touchpoints[].id``) that celebrated it, or
                             ``null`` while it waits to be celebrated
``.created_at``              when it was noted
``.updated_at``              when it was last changed
``.version``                 edit counter
``cadence_overrides[]``      a planner user's own cadence for a person (schema 4; team
                             databases only — a file keeps ``contacts[].cadence_days``)
``.id``                      row id
``.contact_id``              the person
``.owner``                   whose cadence (``""`` = the importing user)
``.days``                    days between touches, or ``null`` = the ring's for this user
``photos[]``                 a person's picture (schema 5): one per person
``.id``                      row id
``.contact_id``              the person
``.photo``                   the thumbnail (PNG or JPEG, at most 256 px square), base64;
                             at most 256 KB, and a picture of one of those types
``.updated_at``              when the picture was set
``snoozes[]``                a person out of a planner user's focus list for a while
                             (schema 6), kept as history
``.id``                      row id
``.contact_id``              the person
``.owner``                   whose snooze (``""`` = the importing user)
``.at``                      when it was snoozed
``.until``                   when they come back (the local midnight of that day)
``.cleared_at``              when the snooze was ended early, or ``null``
``settings``                 map of setting → JSON value: ``ring_capacity``
                             (``{"inner": 3, …}``), ``ring_cadence_days``, ``backup_keep``…
===========================  ===============================================================

The full-text search index is not in the dump: it is rebuilt from the notes.
"""

from __future__ import annotations

import base64
import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner import __version__
from planner.domain.errors import InvalidInput
from planner.domain.kinds import Kind
from planner.domain.rings import Ring
from planner.domain.when import MAX_YEAR, MIN_YEAR
from planner.importers.user_file import read_user_file
from planner.services import dump_rules
from planner.services.contacts import clean_fields, list_contacts
from planner.services.setting_rules import RETIRED, clean_setting, warn_once
from planner.storage import dump, export_repo
from planner.storage.atomic_file import write_private
from planner.storage.contacts_repo import team
from planner.storage.export_repo import (
    BLOB,
    BOOL,
    INT,
    JSON,
    TEXT,
    TIME,
    Column,
    RowsRefused,
    Table,
)
from planner.storage.failures import Failure
from planner.storage.write_target import refuse_unsafe

if TYPE_CHECKING:
    from planner.storage.backend import Backend

log = logging.getLogger(__name__)

DUMP_FORMAT = "mentorship-planner-dump"
DUMP_VERSION = 1
CONTACT_FORMATS = ("vcard", "csv")
EXPORT_FORMATS = ("json", *CONTACT_FORMATS)
EXTENSIONS = {"json": "json", "vcard": "vcf", "csv": "csv"}
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
#: the dump's sections with rules of their own (names of :data:`planner.storage.dump.DATA_TABLES`)
CONTACTS, SETTINGS = "contacts", "settings"


# --------------------------------------------------------------------- export


def export_json(store: Backend) -> dict:
    """Everything in the open database as the documented dump (see the module docstring)."""
    out: dict[str, Any] = {
        "format": DUMP_FORMAT,
        "version": DUMP_VERSION,
        "schema_version": export_repo.schema_version(store), "app_version": __version__,
        "exported_at": format_time(datetime.now(UTC)),
    }
    with store.snapshot():  # rows of different tables agree
        for section, model in dump.DATA_TABLES:
            if section == SETTINGS:
                out[section] = _export_settings()
                continue
            columns = export_repo.columns(model)
            rows = [_export_row(columns, row) for row in export_repo.all_rows(model)]
            if section == CONTACTS:
                for row in rows:
                    row["deleted"] = row["deleted_at"] is not None
            out[section] = rows
    _leave_out_orphans(out)
    return out


def _leave_out_orphans(out: dict[str, Any]) -> None:
    """Rows naming a person (an ask, a touchpoint) the export does not hold are left out,
    and a link to such a row is dropped, with one warning: the restore refuses a dump that
    does not hang together. (On a team database a teammate's row written while an admin
    purged the person can outlive them: private rows name people by id, without a key.)"""
    left = 0
    ids = {section: {row["id"] for row in out[section]}
           for section, _ in dump.DATA_TABLES if section != SETTINGS}
    for section, _ in dump.DATA_TABLES:
        if section in (SETTINGS, CONTACTS):
            continue
        kept = [row for row in out[section]
                if row.get("contact_id") is None or row["contact_id"] in ids[CONTACTS]]
        left += len(out[section]) - len(kept)
        out[section] = kept
    ids = {section: {row["id"] for row in out[section]}
           for section, _ in dump.DATA_TABLES if section != SETTINGS}
    for section, _ in dump.DATA_TABLES:
        for row in out.get(section, []) if section != SETTINGS else []:
            for column, target in dump_rules.REFERENCES.items():
                if column != "contact_id" and row.get(column) is not None and (
                        row[column] not in ids[target]):
                    row[column] = None
    if left:
        warn_once(f"the export leaves out {left} row(s) about people no longer in the "
                  "database (written while they were removed)")


def dumps(data: dict) -> str:
    """The dump as JSON text (UTF-8 characters kept, two-space indent, newline at the end)."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_json(store: Backend, path: str | Path) -> Path:
    """Write :func:`export_json` to ``path`` (owner-only, replaced atomically)."""
    return write_text(path, dumps(export_json(store)))


def export_contacts(fmt: str, *, escape_formulas: bool = True) -> str:
    """The people (not the trash) as vCard 4.0 or CSV text."""
    from planner.export.contacts_csv import write_contacts_csv
    from planner.export.contacts_vcard import write_vcards

    if fmt not in CONTACT_FORMATS:
        raise InvalidInput(f"unknown contact format {fmt!r}: use {' or '.join(CONTACT_FORMATS)}")
    people = list_contacts("all")
    if fmt == "vcard":
        from planner.services.photos import photos_of

        return write_vcards(people, photos_of([c.id for c in people]))
    return write_contacts_csv(people, escape_formulas=escape_formulas)


def export_text(store: Backend, fmt: str) -> str:
    """``json``, ``vcard`` or ``csv`` as text, for the CLI and the Export dialog."""
    if fmt == "json":
        return dumps(export_json(store))
    return export_contacts(fmt)


def write_bytes(path: str | Path, data: bytes) -> Path:
    """:func:`write_text` for bytes already made (a PDF): owner-only, fsynced, atomic."""
    path = Path(path).expanduser().absolute()
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file name")
    refuse_unsafe(path)
    try:
        return write_private(path, data)
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}") from None


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path``: owner-only, fsynced, replaced atomically.

    The one writer of every export the user keeps (full dumps, people, the focus
    list): see :mod:`planner.storage.atomic_file` for why a planted
    ``FILE.partial`` or link cannot redirect it.
    """
    path = Path(path).expanduser().absolute()
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file name")
    refuse_unsafe(path)
    try:
        return write_private(path, text.encode("utf-8"))
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}") from None


def _export_row(columns: tuple[Column, ...], values: tuple) -> dict:
    row = {}
    for column, value in zip(columns, values, strict=True):
        kind = column.kind
        if kind == TIME:
            value = format_time(value)
        elif kind == BLOB:
            value = base64.b64encode(bytes(value)).decode("ascii")
        elif kind == BOOL:
            value = bool(value)
        row[column.column] = value
    return row


def _export_settings() -> dict:
    """The stored settings this version knows, with valid values (as a restore cleans
    them). Any other key or value is left out, and said once: on a team database any
    teammate may store one, and a dump holding it could not be restored (its import
    checks each setting, ``_prepare_setting``). A retired one is left out quietly (a
    restore leaves it out too)."""
    out: dict[str, Any] = {}
    left_out = []
    for key, text in export_repo.setting_texts():
        if key in RETIRED:
            continue
        try:
            out[key] = clean_setting(key, json.loads(text))
        except (InvalidInput, ValueError, RecursionError):
            left_out.append(dump_rules.shown(key))
    if left_out:
        message = (f"the export leaves out {len(left_out)} stored setting(s) that this version "
                   f"does not know or that are not valid: {', '.join(sorted(left_out))} "
                   "(a restore would refuse them)")
        warn_once(message)
        log.warning(message)
    return out


def format_time(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).strftime(_TIME_FORMAT)


def parse_time(text: str, where: str) -> datetime:
    if not isinstance(text, str):
        raise InvalidInput(f"{where}: expected a time like 2026-01-31T09:30:00Z")
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{where}: {text!r} is not a time like 2026-01-31T09:30:00Z") from None
    if value.tzinfo is None:
        raise InvalidInput(f"{where}: {text!r} has no time zone (end it with Z)")
    return value.astimezone(UTC)


# ------------------------------------------------------------------- restore


def is_json_dump(data: bytes) -> bool:
    """Does ``data`` look like a dump (a JSON object naming our format near its start)?"""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and DUMP_FORMAT.encode() in data[:4096]


def read_dump(source: str | Path | bytes | dict) -> dict:
    """Load a dump from a path, bytes, JSON text or an already-parsed dict; check its header."""
    if isinstance(source, dict):
        data = source
    else:
        if isinstance(source, bytes | bytearray):
            raw = bytes(source)
        elif isinstance(source, str) and source.lstrip().startswith("{"):
            raw = source.encode("utf-8")
        else:
            raw = read_user_file(source, what="Mentorship Planner export")
        if not raw.strip():
            raise InvalidInput("the file is empty")
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise InvalidInput("the JSON file is not UTF-8 text") from None
        except RecursionError:  # [[[[… 100,000 deep: refused, never a crash
            raise InvalidInput(dump_rules.MAX_DEPTH_MESSAGE) from None
        except ValueError as exc:
            raise InvalidInput(
                f"the file is not valid JSON (line {getattr(exc, 'lineno', '?')}: "
                f"{getattr(exc, 'msg', exc)})"
            ) from None
    if not isinstance(data, dict) or data.get("format") != DUMP_FORMAT:
        raise InvalidInput("the file is not a Mentorship Planner JSON export")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InvalidInput("the export has no format version")
    if version > DUMP_VERSION:
        raise InvalidInput(
            f"the export was written by a newer Mentorship Planner (format {version}; this "
            f"version reads up to {DUMP_VERSION}); update the app to import it"
        )
    if version < 1:
        raise InvalidInput(f"unknown export format version {version}")
    return data


def what_it_holds(store: Backend) -> str | None:
    """What the open database holds, in words ("150 contacts, 87 placements, …"); None when
    it is empty (a full export can be restored into it)."""
    with store.snapshot():
        if dump.is_empty():
            return None
        return describe_counts({s: n for s, n in dump.row_counts().items() if n})


def import_json(store: Backend, source: str | Path | bytes | dict, *, dry_run: bool = False,
                require_empty: bool = True) -> dict[str, int]:
    """Restore a dump into the open, empty database, exactly; return rows per section.

    Everything is checked before anything is written, and the writing is one
    transaction. ``dry_run`` checks the file and the database and writes nothing;
    ``require_empty=False`` (with ``dry_run`` only) checks the file alone.
    """
    if not require_empty and not dry_run:
        raise ValueError("a dump is restored only into an empty database")
    data = read_dump(source)
    prepared = {
        section: _prepare_section(section, model, data.get(section))
        for section, model in dump.DATA_TABLES
    }
    dump_rules.check_references(prepared)
    dump_rules.check_rings(prepared)
    counts = {section: len(rows) for section, rows in prepared.items()}
    with store.write():
        if require_empty and not dump.is_empty():
            have = describe_counts({s: n for s, n in dump.row_counts().items() if n})
            raise InvalidInput(
                f"a full JSON export can only be imported into an empty database, and this one "
                f"holds {have}; use a new database (planner --db NEW.db import FILE)"
            )
        if not team():
            dump_rules.own_rows_for_a_file(prepared)
        if dry_run:
            return counts
        try:
            export_repo.write_all([(model, prepared[section])
                                   for section, model in dump.DATA_TABLES])
        except RowsRefused as refused:  # leaving the block rolls everything back
            if refused.integrity:
                raise InvalidInput(
                    f"the export does not hang together ({_integrity_reason(refused)}); "
                    "nothing was imported"
                ) from None
            # a team database: rows of another planner user (PERMISSION_DENIED)
            raise InvalidInput(
                "the export holds rings or private notes of other planner users, which only "
                "they (or a database admin) can write; nothing was imported"
            ) from None
        dump.advance_sequences([model for _, model in dump.DATA_TABLES])  # team database ids
    return counts


def describe_counts(counts: dict[str, int]) -> str:
    """``{"contacts": 2, "ring_moves": 1, "photos": 0}`` → ``"2 contacts, 1 ring move"``
    (what there is: no zeros; thousands grouped, "3,000 touchpoints")."""
    parts = []
    for section, n in counts.items():
        if n:
            word = section.replace("_", " ")
            parts.append(f"{n:,} {word[:-1] if n == 1 else word}")
    return ", ".join(parts) or "nothing"


def _integrity_reason(refused: RowsRefused) -> str:
    text = str(refused)
    failure = refused.failure  # by SQLite's extended code / SQLSTATE 23503, 23505
    if failure is Failure.FOREIGN_KEY:
        return "a row refers to a person who is not in it"
    if failure is Failure.DUPLICATE:
        return f"two rows clash: {text.removeprefix('UNIQUE constraint failed: ')}"
    return text


def _prepare_section(section: str, model: Table, value: Any) -> list[dict]:
    if section == SETTINGS:
        if value is None:
            return []
        if not isinstance(value, dict):
            raise InvalidInput("settings: expected an object of setting → value")
        return [_prepare_setting(key, item) for key, item in value.items()
                if key not in RETIRED]
    if value is None:
        value = []
    if not isinstance(value, list):
        raise InvalidInput(f"{section}: expected a list")
    rows = [_prepare_row(section, model, item, i) for i, item in enumerate(value)]
    ids = [row["id"] for row in rows]
    if len(set(ids)) != len(ids):
        raise InvalidInput(f"{section}: the same id appears twice")
    return rows


def _prepare_row(section: str, model: Table, item: Any, index: int) -> dict:
    where = f"{section}[{index}]"
    if not isinstance(item, dict):
        raise InvalidInput(f"{where}: expected an object")
    columns = export_repo.columns(model)
    known = {c.column for c in columns} | ({"deleted"} if section == CONTACTS else set())
    unknown = sorted(set(item) - known)
    if unknown:
        raise InvalidInput(f"{where}: unknown field(s) {dump_rules.shown(', '.join(unknown))}")
    row: dict[str, Any] = {}
    for column in columns:
        name = column.column
        if name not in item:
            raise InvalidInput(f"{where}: missing field {name!r}")
        row[column.name] = _value(column, item[name], f"{where}.{name}", section)
    if section == CONTACTS:
        _check_contact(row, where)
    for name in ("ring", "from_ring", "to_ring"):
        if row.get(name) is not None:
            try:
                Ring(row[name])
            except ValueError:
                raise InvalidInput(f"{where}.{name}: unknown ring {row[name]!r}") from None
    if section == "touchpoints":
        try:
            Kind(row["kind"])
        except ValueError:
            raise InvalidInput(f"{where}.kind: unknown kind {row['kind']!r}") from None
    _check_ledger(section, row, where)
    return row


def _check_ledger(section: str, row: dict, where: str) -> None:
    """Advocacy rows use the same words as the app (schema 3 sections)."""
    from planner.domain import advocacy as rules

    checks = {
        "stage_changes": (("from_stage", rules.Stage), ("to_stage", rules.Stage)),
        "asks": (("type", rules.AskType), ("status", rules.AskStatus)),
        "gives": (("type", rules.GiveType),),
    }
    for name, enum in checks.get(section, ()):
        try:
            enum(row[name])
        except ValueError:
            raise InvalidInput(f"{where}.{name}: unknown value {row[name]!r}") from None


def _prepare_setting(key: str, value: Any) -> dict:
    """A setting of the dump, checked against what it means (settings.ring_capacity: …)."""
    where = f"settings.{dump_rules.shown(key)}"
    dump_rules.check_unicode(key, where)
    try:
        cleaned = clean_setting(key, value)
    except InvalidInput as exc:
        raise InvalidInput(f"{where}: {exc}") from None
    return {"key": key, "value": json.dumps(cleaned)}


def _value(column: Column, value: Any, where: str, section: str = "") -> Any:
    kind = column.kind
    if value is None:
        if column.null:
            return None
        raise InvalidInput(f"{where}: must not be null")
    if kind == TIME:
        try:
            parsed = parse_time(value, where)
        except (OverflowError, ValueError):  # e.g. year 1 at +14:00 is before year 1 in UTC
            raise InvalidInput(f"{where}: {value!r} is out of the range of times") from None
        if parsed is not None and not MIN_YEAR <= parsed.year <= MAX_YEAR:  # as the commands
            raise InvalidInput(f"{where}: {value!r} is outside the years {MIN_YEAR}–{MAX_YEAR}")
        return parsed
    if kind == JSON:
        empty = column.empty
        if not isinstance(value, type(empty)):
            raise InvalidInput(f"{where}: expected a {'list' if empty == [] else 'map'}")
        items = value if isinstance(value, list) else list(value.values())
        if not all(isinstance(x, str) for x in items):
            raise InvalidInput(f"{where}: expected text items")
        dump_rules.check_items([*items, *(value if isinstance(value, dict) else [])], where)
        return value
    if kind == BOOL:
        if not isinstance(value, bool):
            raise InvalidInput(f"{where}: expected true or false")
        return value
    if kind == BLOB:
        if not isinstance(value, str):
            raise InvalidInput(f"{where}: expected base64 text")
        return dump_rules.check_photo(value, where)
    if kind == INT:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(f"{where}: expected a whole number")
        return dump_rules.check_int(column.column, value, where)
    if kind == TEXT:
        if not isinstance(value, str):
            raise InvalidInput(f"{where}: expected text")
        return dump_rules.check_text(section, column.column, value, where)
    raise TypeError(f"no dump rule for {column.field!r}")  # a new column type: extend this


def _check_contact(row: dict, where: str) -> None:
    """The same rules as editing a person; a dump of ours always passes unchanged."""
    editable = {
        k: v for k, v in row.items() if k not in ("id", "created_at", "updated_at", "deleted_at")
    }
    editable.pop("version", None)
    try:
        cleaned = clean_fields(editable)
    except InvalidInput as exc:
        raise InvalidInput(f"{where} ({row.get('name')!r}): {exc}") from None
    row.update(cleaned)
