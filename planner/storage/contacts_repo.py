"""Reading and writing contacts and placements; returns domain objects."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any, cast

from peewee import JOIN, Case, Expression, IntegrityError, fn

from planner.domain.contact import Birthday, Contact
from planner.domain.rings import Ring
from planner.storage import query_cache, stored_values
from planner.storage.backend import backend_for
from planner.storage.fields import decode_json, fits, to_utc
from planner.storage.models import ContactRow, PlacementRow, RingMoveRow, TouchpointRow, db_proxy

#: ids per IN (...) list: well under every backend's limit of bound parameters
_IN_CHUNK = 500
OWNER = ""  # this user's rings: "" in a file; on a team database the login role (see who)


def who(owner: str = OWNER) -> str:
    """The owner column value of ``owner``: "" means the connected user, which on a team
    database is the login role (planner.storage.postgres sets ``planner_user``)."""
    if owner == OWNER:
        db = db_proxy.obj
        return backend_for(db).current_user() if db is not None else OWNER
    return owner


def team() -> bool:
    """True on a team database: cadences and last touches are the connected user's own."""
    return who() != OWNER


def _birthday(text: str) -> Birthday | None:
    return stored_values.birthday(text)


def to_domain(
    row: ContactRow,
    placement: tuple[str, int] | None,
    last: tuple[datetime | None, str | None] = (None, None),
) -> Contact:
    return Contact(
        id=row.id,
        name=row.name,
        email=row.email,
        phones=tuple(row.phones),
        handles=dict(row.handles),
        channels=tuple(row.channels),
        tags=tuple(row.tags),
        timezone=row.timezone,
        birthday=_birthday(row.birthday),
        organization=row.organization,
        title=row.title,
        notes=row.notes,
        ring=Ring(placement[0]) if placement else None,
        position=placement[1] if placement else None,
        cadence_days=row.cadence_days,
        stage=row.stage,
        last_touch=last[0],
        last_touch_kind=last[1],
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
    )


def last_touches(contact_ids: list[int] | None = None) -> dict[int, tuple[datetime, str]]:
    """Latest touchpoint (time, kind) per contact, in one query; on a team database the
    connected user's own (author), see team_last_touch for anyone's.

    Two correlated subqueries walk each person's ``(contact, at)`` index backwards
    and stop at the first entry: 40 ms for 10,000 people and 200,000 touchpoints,
    where ``GROUP BY`` with the kind had to read every touchpoint row (330 ms).
    """
    t = TouchpointRow.alias("t")

    def newest(column):
        return (t.select(column).where(own_touches(t, t.contact == ContactRow.id))
                .order_by(t.at.desc(), t.id.desc()).limit(1))

    def build(ids: list[int] | None):
        query = ContactRow.select(ContactRow.id, newest(t.at), newest(t.kind))
        return query if ids is None else query.where(ContactRow.id.in_(ids))

    rows = (db_proxy.execute(build(None)) if contact_ids is None
            else query_cache.execute(("last_touches", who()), build, list(contact_ids)))
    return {cid: (_at(at), kind) for cid, at, kind in rows if at is not None}


def _at(stored: object) -> datetime:
    """A time that is there as aware UTC (``to_utc`` gives None only for no value)."""
    return cast(datetime, to_utc(stored))


def own_touches(t, condition: Expression) -> Expression:
    """``condition`` on touchpoint alias ``t``, limited to the connected user's touchpoints
    on a team database; unchanged in a file (every author is "" there)."""
    return condition & (t.author == who()) if team() else condition


def team_last_touch(contact_id: int) -> tuple[datetime, str, str] | None:
    """The newest touchpoint with a person by anyone: (time, kind, author), or None."""
    row = (TouchpointRow.select(TouchpointRow.at, TouchpointRow.kind, TouchpointRow.author)
           .where(TouchpointRow.contact == contact_id)
           .order_by(TouchpointRow.at.desc(), TouchpointRow.id.desc()).limit(1).tuples().first())
    return (_at(row[0]), row[1], row[2]) if row else None


@cache
def _own_cadence():
    """The connected user's cadence_override row, as joined to the contact (a team
    database's table: its model is made when first used, not by a command on a file)."""
    from planner.storage.models.cadence import CadenceOverrideRow

    return CadenceOverrideRow.alias("own_cadence")


def cadence_column():
    """The person's cadence override as the connected user sees it (on a team database
    the query needs join_own_cadence): their own cadence_override row if any, else
    ``contact.cadence_days``."""
    if not team():
        return ContactRow.cadence_days
    own = _own_cadence()
    return Case(None, [(own.id.is_null(), ContactRow.cadence_days)], own.days)


def join_own_cadence(query):
    """``query`` (from ContactRow) with the connected user's cadence_override row joined
    on a team database; unchanged in a file."""
    if not team():
        return query
    own = _own_cadence()
    return query.join_from(ContactRow, own, JOIN.LEFT_OUTER,
                           on=(own.contact == ContactRow.id) & (own.owner == who()))


def set_own_cadence(contact_id: int, days: int | None) -> None:
    """Team database: the connected user's cadence for a person. None removes their row,
    or keeps one saying "the ring's" where the shared ``contact.cadence_days`` is set."""
    from planner.storage.models.cadence import CadenceOverrideRow

    shared = ContactRow.select(ContactRow.cadence_days).where(ContactRow.id == contact_id).scalar()
    o = CadenceOverrideRow
    if days is None and shared is None:
        o.delete().where(o.owner == who(), o.contact == contact_id).execute()
        return
    # update, else insert (not INSERT … ON CONFLICT: on a team database cadence_override
    # is a view, whose INSTEAD OF triggers PostgreSQL does not run for an upsert)
    mine = (o.owner == who()) & (o.contact == contact_id)
    with db_proxy.atomic():
        if o.update(days=days).where(mine).execute():
            return
        try:
            with db_proxy.savepoint():  # another client of the same user raced us
                o.insert(contact=contact_id, owner=who(), days=days).execute()
        except IntegrityError:
            o.update(days=days).where(mine).execute()


def placements(owner: str = OWNER, ids: list[int] | None = None) -> dict[int, tuple[str, int]]:
    whose = who(owner)

    def build(some: list[int] | None):
        query = PlacementRow.select(
            PlacementRow.contact, PlacementRow.ring, PlacementRow.position
        ).where(PlacementRow.owner == whose)
        return query if some is None else query.where(PlacementRow.contact.in_(some))

    rows = (db_proxy.execute(build(None)) if ids is None
            else query_cache.execute(("placements", whose), build, list(ids)))
    return {cid: (ring, pos) for cid, ring, pos in rows}


def _contact_columns() -> tuple:
    """The columns load_contacts reads, in the order _contact() unpacks them."""
    return (
        ContactRow.id, ContactRow.name, ContactRow.email, ContactRow.phones, ContactRow.handles,
        ContactRow.channels, ContactRow.tags, ContactRow.timezone, ContactRow.birthday,
        ContactRow.organization, ContactRow.title, ContactRow.notes, cadence_column(),
        ContactRow.stage, ContactRow.created_at, ContactRow.updated_at, ContactRow.version,
    )


def _json_column(values: Sequence[Any], empty: str, what: str) -> list:
    """Decode one JSON list/map column of every row in ONE json.loads call: two to three
    times faster than a call per value (10,000 people × 4 columns). A value that is not a
    list (map) of texts reads as empty (``fields.decode_json``)."""
    kind = dict if empty == "{}" else list
    if not all(isinstance(v, str) and v for v in values):
        values = [v if isinstance(v, str) and v else empty for v in values]
    try:
        decoded = json.loads("[" + ",".join(values) + "]")
        if len(decoded) == len(values) and all(fits(v, kind, True) for v in decoded):
            return decoded
    except (ValueError, RecursionError):
        pass
    return [decode_json(v, kind, True, what) for v in values]  # a damaged value on its own


def _contact(row, phones, handles, channels, tags, placement, last) -> Contact:
    (cid, name, email, _, _, _, _, timezone, birthday, organization,
     title, notes, cadence_days, stage, created_at, updated_at, version) = row
    return Contact(
        id=cid,
        name=name,
        email=email,
        phones=tuple(phones),
        handles=dict(handles),
        channels=tuple(channels),
        tags=tuple(tags),
        timezone=timezone,
        birthday=_birthday(birthday),
        organization=organization,
        title=title,
        notes=notes,
        ring=Ring(placement[0]) if placement else None,
        position=placement[1] if placement else None,
        cadence_days=cadence_days,
        stage=stage,
        last_touch=last[0],
        last_touch_kind=last[1],
        created_at=to_utc(created_at),
        updated_at=to_utc(updated_at),
        version=version,
    )


def load_contacts(ids: list[int] | None = None, include_deleted: bool = False) -> list[Contact]:
    """People as domain objects. Rows are read as plain tuples and converted here:
    building 10,000 peewee model instances first took longer than the query."""
    def build(some: list[int] | None):
        query = join_own_cadence(ContactRow.select(*_contact_columns()))
        if not include_deleted:
            query = query.where(ContactRow.deleted_at.is_null())
        if some is not None:
            query = query.where(ContactRow.id.in_(some))
        return query.order_by(fn.LOWER(ContactRow.name), ContactRow.id)

    if ids is None:
        rows = db_proxy.execute(build(None)).fetchall()
    else:  # one person, or a few: the SQL is kept (planner.storage.query_cache)
        key = ("load_contacts", include_deleted, who())
        rows = query_cache.execute(key, build, list(ids)).fetchall()
    wanted = [r[0] for r in rows] if ids is not None else None
    places = placements(ids=wanted)
    touches = last_touches(wanted)
    if not rows:
        return []
    columns = list(zip(*rows, strict=True))
    phones, handles, channels, tags = (
        _json_column(columns[i], "{}" if i == 4 else "[]", f"contact.{name}")
        for i, name in ((3, "phones"), (4, "handles"), (5, "channels"), (6, "tags")))
    none = (None, None)
    return [_contact(r, p, h, c, t, places.get(r[0]), touches.get(r[0], none))
            for r, p, h, c, t in zip(rows, phones, handles, channels, tags, strict=True)]


def load_contact(contact_id: int, include_deleted: bool = False) -> Contact | None:
    found = load_contacts([contact_id], include_deleted=include_deleted)
    return found[0] if found else None


def insert_contact(values: dict, stamp: datetime) -> int:
    """A new person with these (checked) fields, made and changed at ``stamp``; their id."""
    return ContactRow.create(created_at=stamp, updated_at=stamp, **values).id


def update_contact(contact_id: int, values: dict, stamp: datetime,
                   expected_version: int | None = None) -> int:
    """One UPDATE of the person's fields (their version moves on) — only if their version
    is still ``expected_version`` when given; how many rows it changed (0 or 1)."""
    query = ContactRow.update(updated_at=stamp, version=ContactRow.version + 1, **values)
    query = query.where(ContactRow.id == contact_id)
    if expected_version is not None:
        query = query.where(ContactRow.version == expected_version)
    return query.execute()


def set_deleted_at(contact_id: int, deleted_at: datetime | None, stamp: datetime) -> int:
    """Move the person to the trash at ``deleted_at`` (None: back out of it), changed at
    ``stamp``; how many rows it changed (0: no such person)."""
    return (
        ContactRow.update(deleted_at=deleted_at, updated_at=stamp,
                          version=ContactRow.version + 1)
        .where(ContactRow.id == contact_id)
        .execute()
    )


def _like_escaped(text: str) -> str:
    """``text`` matched literally by LIKE ... ESCAPE '\\' (its % and _ are not wildcards)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


#: SQLite refuses a LIKE pattern longer than this many bytes ("LIKE or GLOB pattern too
#: complex", SQLITE_MAX_LIKE_PATTERN_LENGTH): a 100,000-character name typed or pasted
#: where a person is looked up ended `planner log` in "unexpected error".
_LIKE_PATTERN_BYTES = 50_000


def _like_takes(pattern: str) -> bool:
    """True if SQLite's LIKE accepts ``pattern`` (else the caller compares another way)."""
    return len(pattern.encode("utf-8", "surrogatepass")) <= _LIKE_PATTERN_BYTES


# The characters above ASCII whose casefold holds an ASCII character ("ß" → "ss", "ﬁ" →
# "fi", the Kelvin sign → "k"): of all that casefold can turn into ASCII, these 19 alone
# (a unit test compares them with the running Python's Unicode tables).
_FOLD_TO_ASCII = "ßİŉſǰẖẗẘẙẚẞ\u212aﬀﬁﬂﬃﬄﬅﬆ"
#: above this many of them to look for, one GLOB for any character beyond ASCII is cheaper
#: (SQLite's instr ~0.06 µs a name, a GLOB with a character class ~0.5 µs)
_MOST_INSTR = 6


def _like_cannot_decide(first: str) -> tuple[str, list[str]]:
    """SQL (and its parameters) true for the names LIKE '%first%' may judge otherwise
    than casefold, which must then be read for casefold to decide.

    For a word of ASCII alone, casefold finds it in a name only in a run of the name's
    ASCII letters (which LIKE folds the same way) or across the fold of a _FOLD_TO_ASCII
    character sharing a letter with the word ("ß" for "gross", none for "zz"): the names
    holding one of those. For a word beyond ASCII, any name with a character beyond
    ASCII (LIKE compares those as they are: "TUẤN" is not "tuấn" to it)."""
    if first.isascii():
        letters = set(first)
        wanted = [c for c in _FOLD_TO_ASCII if letters & set(c.casefold())]
        if not wanted:
            return "0", []
        if len(wanted) <= _MOST_INSTR:
            return " OR ".join(['instr("name", ?) > 0'] * len(wanted)), wanted
    return "\"name\" GLOB '*[^ -~]*'", []


def find_by_name(name: str) -> list[tuple[int, str]]:
    """Exact (case-insensitive) name matches; failing that, names with a word
    starting with what was typed ("ada" finds "Ada Lovelace").

    The names are read as plain rows (no peewee row objects) and the text
    compared only where it can match: ``planner log NAME`` at 10,000 people spent
    150 ms here, building a peewee tuple per person."""
    folded = " ".join(name.casefold().split())
    first = folded.split(" ", 1)[0]
    pattern = f"%{_like_escaped(first)}%"
    if first and _is_sqlite() and _like_takes(pattern):
        # In a file, the names that cannot hold the first word are left out in SQL (reading
        # all 10,000 was 11 ms of `planner log`'s ~100). LIKE folds the ASCII letters only,
        # so it decides alone where it agrees with casefold; every other name is read, for
        # casefold to decide (_like_cannot_decide).
        undecided, params = _like_cannot_decide(first)
        # the living people's names are all in the name-order index: reading it alone is
        # ~2x faster than SQLite's own choice (the deleted_at index, then every row of the
        # table: 5 ms of a 10,000-people `planner log`, 2.7 through the index)
        indexed = ' INDEXED BY "contact_name_order"' if _has_name_order_index() else ""
        everyone = db_proxy.execute_sql(
            f'SELECT "id", "name" FROM "contact"{indexed} WHERE "deleted_at" IS NULL AND '
            f'("name" LIKE ? ESCAPE \'\\\' OR {undecided}) ORDER BY "id"',
            [pattern, *params]).fetchall()
    else:
        query = (ContactRow.select(ContactRow.id, ContactRow.name)
                 .where(ContactRow.deleted_at.is_null()).order_by(ContactRow.id))
        everyone = db_proxy.execute(query).fetchall()
    candidates = [(cid, n) for cid, n in everyone if first in n.casefold()]
    exact = [(cid, n) for cid, n in candidates if " ".join(n.casefold().split()) == folded]
    if exact or not folded:
        return exact
    return [
        (cid, n)
        for cid, n in candidates
        if n.casefold().startswith(folded)
        or any(word.startswith(folded) for word in n.casefold().split())
    ]


def ring_members(ring: Ring, owner: str = OWNER) -> list[tuple[int, str]]:
    """(id, name) of the people on ``ring`` in their order around it."""
    query = (
        PlacementRow.select(PlacementRow.contact, ContactRow.name)
        .join(ContactRow, JOIN.INNER, on=(PlacementRow.contact == ContactRow.id))
        .where(PlacementRow.owner == who(owner), PlacementRow.ring == ring.value)
        .order_by(PlacementRow.position, PlacementRow.contact)
    )
    return list(cast("Iterable[tuple[int, str]]", query.tuples()))  # rows as tuples


def write_ring_order(ring: Ring, ids: list[int], owner: str = OWNER) -> None:
    """Give the people on ``ring`` the positions 0..n-1 in the order of ``ids``."""
    current = placements(owner)
    new = [(cid, pos) for pos, cid in enumerate(ids) if cid not in current]
    moved = [(cid, pos) for pos, cid in enumerate(ids)
             if cid in current and current[cid] != (ring.value, pos)]
    if moved:  # one statement, not one per person (a reorder shifts up to the whole ring)
        (
            PlacementRow.update(ring=ring.value, position=Case(PlacementRow.contact, moved))
            .where(PlacementRow.owner == who(owner),
                   PlacementRow.contact.in_([c for c, _ in moved]))
            .execute()
        )
    if new:
        PlacementRow.insert_many(
            [{"contact": cid, "owner": who(owner), "ring": ring.value, "position": pos}
             for cid, pos in new]
        ).execute()


def remove_placement(contact_id: int, owner: str = OWNER) -> None:
    (
        PlacementRow.delete()
        .where(PlacementRow.owner == who(owner), PlacementRow.contact == contact_id)
        .execute()
    )


def placement_snapshot(owner: str = OWNER) -> tuple[tuple[int, str, int, int], ...]:
    """Every placement as (contact, ring, position, row id): restoring it is exact."""
    # plain SQL: read at every move (a drag's commit), where building the query with peewee
    # was a tenth of the service's time
    rows = db_proxy.execute_sql(
        'SELECT "contact_id", "ring", "position", "id" FROM "placement" WHERE "owner" = '
        f"{db_proxy.obj.param}", [who(owner)]).fetchall()
    return tuple(sorted(tuple(row) for row in rows))


def restore_placements(snapshot, owner: str = OWNER) -> None:
    PlacementRow.delete().where(PlacementRow.owner == who(owner)).execute()
    if snapshot:
        PlacementRow.insert_many(
            [
                {"id": row_id, "contact": cid, "owner": who(owner), "ring": ring, "position": pos}
                for cid, ring, pos, row_id in snapshot
            ]
        ).execute()


def record_move(
    contact_id: int, from_ring: Ring | None, to_ring: Ring | None, at: datetime, owner: str = OWNER
) -> dict:
    row = RingMoveRow.create(
        contact=contact_id,
        owner=who(owner),
        at=at,
        from_ring=from_ring.value if from_ring else None,
        to_ring=to_ring.value if to_ring else None,
    )
    return {
        "id": row.id,
        "contact": contact_id,
        "owner": who(owner),
        "at": at,
        "from_ring": row.from_ring,
        "to_ring": row.to_ring,
    }


def delete_moves(ids: list[int]) -> None:
    """Take these ring moves out of the history (an undo of the moves that wrote them)."""
    RingMoveRow.delete().where(RingMoveRow.id.in_(ids)).execute()


def insert_moves(rows: list[dict]) -> None:
    """Put ring moves back with their ids (the dicts :func:`record_move` gave)."""
    RingMoveRow.insert_many(rows).execute()


def ring_counts(owner: str = OWNER) -> dict[str, int]:
    query = (
        PlacementRow.select(PlacementRow.ring, fn.COUNT(PlacementRow.contact))
        .join(ContactRow, on=(PlacementRow.contact == ContactRow.id))
        .where(PlacementRow.owner == who(owner), ContactRow.deleted_at.is_null())
        .group_by(PlacementRow.ring)
    )
    return dict(cast("Iterable[tuple[str, int]]", query.tuples()))  # rows as tuples


def dump_contact(contact_id: int) -> dict:
    """Every row that belongs to a person, so it can be put back with the same ids."""
    from planner.storage.models import NoteRow
    from planner.storage.models.cadence import CadenceOverrideRow
    from planner.storage.models.photos import ContactPhotoRow
    from planner.storage.models.snoozes import SnoozeRow
    from planner.storage.private_rows import rows_of

    def rows(model):
        source = rows_of(model, [contact_id])  # a private table: read by the person
        return [r.__data__.copy() for r in source.select().where(source.contact == contact_id)]

    return {
        "contact": ContactRow.get_by_id(contact_id).__data__.copy(),
        "placements": rows(PlacementRow),
        "moves": rows(RingMoveRow),
        "touchpoints": rows(TouchpointRow),
        "notes": rows(NoteRow),
        "cadences": rows(CadenceOverrideRow),
        "photos": rows(ContactPhotoRow),
        "snoozes": rows(SnoozeRow),
    }


_DUMPED = (("placements", "PlacementRow"), ("moves", "RingMoveRow"),
           ("touchpoints", "TouchpointRow"), ("notes", "NoteRow"),
           ("cadences", "CadenceOverrideRow"), ("photos", "ContactPhotoRow"),
           ("snoozes", "SnoozeRow"))


def _dumped_models() -> list[tuple[str, Any]]:
    from planner.storage import models

    return [(key, getattr(models, name)) for key, name in _DUMPED]


def _id_runs(ids: Iterable[int], per: int = 200) -> Iterable[list[tuple[int, int]]]:
    """Sorted ids as runs of consecutive ones, ``per`` runs at a time: an import's people
    have consecutive ids, so a query per table reads or deletes them all (an ``IN`` list
    of 500 ids cost more in peewee than in SQLite)."""
    runs: list[tuple[int, int]] = []
    for cid in sorted(set(ids)):
        if runs and cid == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], cid)
        else:
            if len(runs) == per:
                yield runs
                runs = []
            runs.append((cid, cid))
    if runs:
        yield runs


def _within(column, runs: list[tuple[int, int]]) -> Expression:
    condition: Expression | None = None
    for low, high in runs:
        part = (column == low) if low == high else column.between(low, high)
        condition = part if condition is None else (condition | part)
    assert condition is not None
    return condition


def dump_contacts(contact_ids: Sequence[int]) -> list[dict]:
    """:func:`dump_contact` of many people, in their order, read a table at a time: an
    import's undo of 300,000 people read them one by one (eight queries each) and froze
    the window for a quarter of an hour."""
    from planner.storage.private_rows import rows_of

    dumps: dict[int, dict] = {}
    for runs in _id_runs(contact_ids):
        rows = ContactRow.select().where(_within(ContactRow.id, runs)).dicts()
        for row in cast("Iterable[dict]", rows):
            dumps[row["id"]] = {"contact": row, **{key: [] for key, _ in _DUMPED}}
        ids = [cid for low, high in runs for cid in range(low, high + 1)]
        for key, model in _dumped_models():
            source = rows_of(model, ids)  # a private table: read by the people
            query = source.select().where(_within(source.contact, runs)).order_by(source.id)
            for row in cast("Iterable[dict]", query.dicts()):
                found = dumps.get(row["contact"])
                if found is not None:
                    found[key].append(row)
    return [dumps[cid] for cid in contact_ids if cid in dumps]


def hard_delete_many(contact_ids: Sequence[int]) -> None:
    """:func:`hard_delete` of many people (a file: a statement per 200 runs of ids)."""
    if team():
        for contact_id in contact_ids:
            hard_delete(contact_id)
        return
    for runs in _id_runs(contact_ids):
        ContactRow.delete().where(_within(ContactRow.id, runs)).execute()


def load_dumps(dumps: Sequence[dict]) -> None:
    """:func:`load_dump` of many people: their rows put back a table at a time."""
    if team():
        for contact in dumps:
            put_back_contact(contact["contact"])
    else:
        _insert_rows(ContactRow, [d["contact"] for d in dumps])
    for key, model in _dumped_models():
        _insert_rows(model, [row for d in dumps for row in d.get(key) or ()])


def _insert_rows(model, rows: list[dict]) -> None:
    """Rows as :func:`dump_contacts` read them (ids too) put back (``dump.bulk_insert``)."""
    from planner.storage.dump import bulk_insert

    bulk_insert(model, rows)


def load_dump(dump: dict) -> None:
    from planner.storage.models import NoteRow
    from planner.storage.models.cadence import CadenceOverrideRow
    from planner.storage.models.photos import ContactPhotoRow
    from planner.storage.models.snoozes import SnoozeRow

    put_back_contact(dump["contact"])
    for model, key in ((PlacementRow, "placements"), (RingMoveRow, "moves"),
                       (TouchpointRow, "touchpoints"), (NoteRow, "notes"),
                       (CadenceOverrideRow, "cadences"), (ContactPhotoRow, "photos"),
                       (SnoozeRow, "snoozes")):
        if dump.get(key):
            model.insert_many(dump[key]).execute()


def people_for_matching() -> Iterable[tuple[int, str, str, dict[str, Any], str, str]]:
    """(id, name, email, handles, organization, birthday) of everyone not in the trash,
    by id: what an import's duplicate matching reads of the people already there."""
    query = (
        ContactRow.select(ContactRow.id, ContactRow.name, ContactRow.email, ContactRow.handles,
                          ContactRow.organization, ContactRow.birthday)
        .where(ContactRow.deleted_at.is_null())
        .order_by(ContactRow.id)
    )
    return cast("Iterable[tuple[int, str, str, dict[str, Any], str, str]]",  # rows as tuples
                query.tuples())


def living_fields(ids: list[int], names: Sequence[str]) -> dict[int, dict]:
    """id → {field name → value} of ``names`` for those of these people not in the trash
    (a million ids are read 500 at a time)."""
    fields = [getattr(ContactRow, name) for name in ("id", *names)]
    out: dict[int, dict] = {}
    for start in range(0, len(ids), _IN_CHUNK):
        query = ContactRow.select(*fields).where(
            ContactRow.id.in_(ids[start : start + _IN_CHUNK]), ContactRow.deleted_at.is_null()
        )
        for values in cast("Iterable[dict]", query.dicts()):
            out[values.pop("id")] = values
    return out


def next_contact_id() -> int:
    """The id the next person inserted with :func:`insert_contacts` takes in a file."""
    from planner.storage.dump import next_id  # here: only an import needs dump's file checks

    return next_id(ContactRow)


def insert_contacts(rows: list[dict]) -> None:
    """Insert new people (field name → value, ids from :func:`next_contact_id`) with
    ``executemany``; on a team database their ids are drawn from the sequence instead
    (the rows' ``id`` is set to them)."""
    from planner.storage.dump import bulk_insert, take_ids_from_sequence

    take_ids_from_sequence(ContactRow, rows)
    bulk_insert(ContactRow, rows)


def hard_delete(contact_id: int) -> None:
    """Delete a person and (by cascade) everything of theirs: the undo of an add.

    On a team database users may not delete people (the cascade would reach teammates'
    private rows), and no answer may depend on whether teammates keep private rows about
    the person (``planner_purge_contact`` refused then: an oracle, review 1): the person
    goes to the trash instead, with the caller's own rows about them deleted (their rings,
    moves, cadence, notes, snoozes, touchpoints) and the picture; teammates' rows stay,
    whatever they are. :func:`put_back_contact` takes them out again (a redo); an admin's
    ``db purge-trash`` removes them for good. An admin's undo removes the person for good
    when nobody else keeps anything about them (``trash.may_purge``)."""
    if team():
        from planner.storage.models import NoteRow
        from planner.storage.models.cadence import CadenceOverrideRow
        from planner.storage.models.photos import ContactPhotoRow
        from planner.storage.models.snoozes import SnoozeRow
        from planner.storage.postgres.trash import may_purge

        if may_purge(db_proxy.obj, contact_id):
            ContactRow.delete().where(ContactRow.id == contact_id).execute()
            return

        for model in (PlacementRow, RingMoveRow, CadenceOverrideRow, SnoozeRow, NoteRow,
                      TouchpointRow, ContactPhotoRow):  # the views' and policies': own rows
            model.delete().where(model.contact == contact_id).execute()
        stamp = datetime.now(UTC)
        set_deleted_at(contact_id, stamp, stamp)
        return
    ContactRow.delete().where(ContactRow.id == contact_id).execute()


def put_back_contact(data: dict) -> None:
    """Insert again the person ``data`` (a row as stored, with its id) that
    :func:`hard_delete` removed; on a team database, where it moved them to the trash,
    the row is made what ``data`` says again (its version moves on)."""
    if team():
        values = {k: v for k, v in data.items() if k not in ("id", "version")}
        changed = (ContactRow.update(**values, version=ContactRow.version + 1)
                   .where(ContactRow.id == data["id"]).execute())
        if changed:
            return
    ContactRow.insert(**data).execute()


# -- the people list, a page at a time (issue 23) ------------------------------------------------
#: the list's sort keys (columns of the window's people list)
ORDER_NAME, ORDER_RING, ORDER_LAST = "name", "ring", "last"


def _is_sqlite() -> bool:
    from peewee import SqliteDatabase

    return isinstance(db_proxy.obj, SqliteDatabase)


def _fold(text: str | None) -> str:
    return (text or "").casefold()


def count_contacts() -> int:
    """How many living people there are (the name-order index answers it)."""
    return ContactRow.select().where(ContactRow.deleted_at.is_null()).count()


def people_ids(order: str = ORDER_NAME, descending: bool = False, needle: str = "",
               unplaced_only: bool = False, limit: int | None = None,
               after: int | None = None) -> list[int]:
    """The ids of the living people in the people list's order, filtered in SQL.

    Order: by name (case ignored, then id), or by ``order`` first ("ring": inner,
    middle, outer, then the unplaced; "last": never touched first, then oldest) with
    the name order among equals; ``descending`` turns the first key round and keeps
    the name order among equals, as a stable sort did. ``needle`` (case-folded) must
    be in the name, email, organisation or tags; ``unplaced_only`` leaves the placed
    out. Only ids come back: the window reads whole rows a page at a time
    (:func:`people_rows`). By name with no search this walks the ``contact_name_order``
    index (schema 8): 100,000 people in a few milliseconds. ``limit``: the first so
    many only (the list's first fill: 150 ids in 0.04 ms, where a list of all 100,000
    takes some 30 ms). ``after`` (by name, A to Z, only): the ids that come after this
    person's place in the order, read on from there by keyset (their name and id, looked
    up in the statement itself): what ``limit`` more ids cost does not grow with how far
    down the list they are (0.1 ms for a page of 100 at 100 or at 99,900; an OFFSET
    would count its way down). A person gone meanwhile still has a place to read on
    from while their row is there (removed to the trash); one erased reads nothing on.
    """
    if after is not None and (order != ORDER_NAME or descending):
        raise ValueError("people_ids reads on after a person by name, A to Z, only")
    sqlite = _is_sqlite()
    p = db_proxy.obj.param
    name = '"c"."name" COLLATE NOCASE' if sqlite else 'lower("c"."name")'
    params: list = []
    joins = ""
    where = ['"c"."deleted_at" IS NULL']
    if order == ORDER_RING:
        joins = (f' LEFT JOIN "placement" "p" ON "p"."contact_id" = "c"."id" '
                 f'AND "p"."owner" = {p}')
        params.append(who())
    if unplaced_only:
        where.append(f'NOT EXISTS (SELECT 1 FROM "placement" "u" WHERE "u"."contact_id" = '
                     f'"c"."id" AND "u"."owner" = {p})')
        params.append(who())
    if needle:
        text = ("\"c\".\"name\" || ' ' || COALESCE(\"c\".\"email\", '') || ' ' || "
                "COALESCE(\"c\".\"organization\", '') || ' ' || CAST(\"c\".\"tags\" AS TEXT)")
        if sqlite and not needle.isascii():  # SQLite's lower() folds ASCII letters only
            db_proxy.connection().create_function("planner_fold", 1, _fold,
                                                  deterministic=True)
            where.append(f"instr(planner_fold({text}), {p}) > 0")
            params.append(needle)
        elif sqlite and not _like_takes(f"%{_like_escaped(needle)}%"):  # (casefolded: lower)
            where.append(f"instr(lower({text}), {p}) > 0")
            params.append(needle)
        else:
            where.append(f"lower({text}) LIKE {p} ESCAPE '\\'")
            params.append(f"%{_like_escaped(needle)}%")
    if after is not None:  # (name, id) > that person's: the first term bounds the index walk
        theirs = '"k"."name"' if sqlite else 'lower("k"."name")'
        key = f'(SELECT {theirs} FROM "contact" "k" WHERE "k"."id" = {p})'
        where.append(f'{name} >= {key} AND ({name} > {key} OR "c"."id" > {p})')
        params += [after, after, after]
    direction = "DESC" if descending else "ASC"
    keys = []
    if order == ORDER_RING:
        depth = " ".join(f"WHEN '{ring.value}' THEN {ring.depth}" for ring in Ring)
        keys.append(f'CASE "p"."ring" {depth} ELSE 9 END {direction}')
    elif order == ORDER_LAST:  # the column selected below, computed once per person
        keys.append(f'"last_at" {direction} {"NULLS LAST" if descending else "NULLS FIRST"}')
    keys.append(f"{name} {direction if order == ORDER_NAME else 'ASC'}")
    keys.append('"c"."id" ASC')
    # SQLite would rather use the deleted_at index and sort everything: say which one
    indexed = (' INDEXED BY "contact_name_order"'
               if sqlite and order != ORDER_LAST and not (order == ORDER_NAME and descending)
               and _has_name_order_index() else "")
    columns = '"c"."id"'
    if order == ORDER_LAST:
        columns += f', {_last_touch_sql(p)} AS "last_at"'
        params[:0] = [who()] if team() else []  # the select list comes before the rest
    sql = (f'SELECT {columns} FROM "contact" "c"{indexed}{joins} WHERE {" AND ".join(where)} '
           f'ORDER BY {", ".join(keys)}')
    if limit is not None:
        sql += f" LIMIT {p}"
        params.append(limit)
    return [row[0] for row in db_proxy.execute_sql(sql, params).fetchall()]


def _has_name_order_index() -> bool:
    """Schema 8 made it; a file opened read-only at an older version has none."""
    db = db_proxy.obj
    known = getattr(db, "_planner_name_order", None)
    if known is None:
        known = bool(db.execute_sql("SELECT 1 FROM sqlite_master WHERE type = 'index' AND "
                                    "name = 'contact_name_order'").fetchone())
        db._planner_name_order = known
    return known


def _last_touch_sql(p: str) -> str:
    """A person's last touch (on a team database the connected user's own: one parameter,
    who()) as a correlated subquery on ``"c"``. The latest row of the (contact, at) index,
    not MAX(at): SQLite takes MAX over a correlated subquery by reading every touchpoint
    of the person (a page of 100 people: 5 ms instead of 0.5; sorting 100,000 people by
    last touch: 1 s instead of 0.35). ``at`` is never NULL, so the two agree."""
    author = f' AND "t"."author" = {p}' if team() else ""
    return (f'(SELECT "t"."at" FROM "touchpoint" "t" WHERE "t"."contact_id" = "c"."id"'
            f'{author} ORDER BY "t"."at" DESC LIMIT 1)')


def people_rows(ids: list[int]) -> dict[int, tuple]:
    """What the people list shows of these people: id → (name, email, ring value or None,
    last touch as stored (text in SQLite: see fields.to_utc) or None). A page of ids in
    one plain SQL statement: through peewee's query builder, 200 ids cost 15 ms of
    Python per page, more than the rest of a scrolled frame."""
    if not ids:
        return {}
    p = db_proxy.obj.param
    marks = ", ".join([p] * len(ids))
    sql = (f'SELECT "c"."id", "c"."name", "c"."email", "pl"."ring", {_last_touch_sql(p)} '
           'FROM "contact" "c" LEFT JOIN "placement" "pl" ON "pl"."contact_id" = "c"."id" '
           f'AND "pl"."owner" = {p} '
           f'WHERE "c"."id" IN ({marks}) AND "c"."deleted_at" IS NULL')
    params = ([who()] if team() else []) + [who(), *ids]
    return {cid: (name, email, ring, at)
            for cid, name, email, ring, at in db_proxy.execute_sql(sql, params).fetchall()}


def placed_ids(owner: str = OWNER) -> list[int]:
    """The people on a ring (of ``owner``)."""
    return list(placements(owner))



def shift_in_ring(ring: Ring, contact_id: int, frm: int, to: int, owner: str = OWNER) -> None:
    """A reorder on a ring whose positions run 0..n-1: the mover goes from slot ``frm``
    to slot ``to`` and the people between move one place towards ``frm``. Two short
    statements however long the ring (write_ring_order writes any order)."""
    if frm == to:
        return
    lo, hi, delta = (to, frm - 1, 1) if to < frm else (frm + 1, to, -1)
    p = db_proxy.obj.param  # plain SQL: a drag's commit (peewee's query building ~0.2 ms)
    db_proxy.execute_sql(
        f'UPDATE "placement" SET "position" = "position" + {p} WHERE "owner" = {p} AND '
        f'"ring" = {p} AND "position" BETWEEN {p} AND {p} AND "contact_id" != {p}',
        [delta, who(owner), ring.value, lo, hi, contact_id])
    db_proxy.execute_sql(
        f'UPDATE "placement" SET "position" = {p} WHERE "owner" = {p} AND "contact_id" = {p}',
        [to, who(owner), contact_id])
