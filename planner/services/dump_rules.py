"""What each value of a JSON dump may be, beyond its type: ranges, lengths, references.

A dump is a file handed to the app, so it may be crafted: ids beyond what a
database integer holds, a lone surrogate no UTF-8 can store, minutes in the
billions, a row pointing at a person who is not in the file, a setting no
screen could show. :mod:`planner.services.exporting` checks each value here
before anything is written, and the refusal names the first bad value and
where it is (``touchpoints[3].minutes``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from planner.domain.advocacy import MAX_LINK, MAX_WIN_TEXT
from planner.domain.contact import MAX_FIELD, MAX_TEXT
from planner.domain.errors import InvalidInput
from planner.services.touchpoints import MAX_MINUTES

MAX_ID = 2**63 - 1  # the largest integer SQLite (and PostgreSQL's bigint) stores
MAX_POSITION = 1_000_000
MAX_DEPTH_MESSAGE = "the file is not a Mentorship Planner export (its JSON is nested too deeply)"

#: column → (lowest, highest) for whole numbers; others are 0..MAX_ID
_INT_RANGES = {
    "id": (1, MAX_ID),
    "contact_id": (1, MAX_ID),
    "for_ask_id": (1, MAX_ID),
    "celebrated_by_id": (1, MAX_ID),
    "version": (0, MAX_ID),
    "position": (0, MAX_POSITION),
    "minutes": (0, MAX_MINUTES),
    "cadence_days": (1, 3650),
    "days": (1, 3650),
}
#: column → longest text; others MAX_FIELD
_TEXT_LIMITS = {"note": MAX_TEXT, "notes": MAX_TEXT, "text": MAX_TEXT, "link": MAX_LINK}
_WIN_TEXT = ("wins", "text")

#: (section, column) → the section whose ids it refers to
REFERENCES = {
    "contact_id": "contacts",
    "for_ask_id": "asks",
    "celebrated_by_id": "touchpoints",
}


def check_int(column: str, value: int, where: str) -> int:
    low, high = _INT_RANGES.get(column, (0, MAX_ID))
    if not low <= value <= high:
        shown = str(value) if abs(value) < 10**30 else f"a {len(str(abs(value)))}-digit number"
        raise InvalidInput(f"{where}: {shown} is out of range ({low} to {high})")
    return value


def check_text(section: str, column: str, value: str, where: str) -> str:
    check_unicode(value, where)
    limit = MAX_WIN_TEXT if (section, column) == _WIN_TEXT else _TEXT_LIMITS.get(column, MAX_FIELD)
    if len(value) > limit:
        raise InvalidInput(f"{where}: too long ({len(value)} characters; the limit is {limit})")
    return value


def check_items(items: Iterable[str], where: str) -> None:
    """The texts of a list or map (phones, tags, handles and their services)."""
    for n, item in enumerate(items):
        check_unicode(item, f"{where}[{n}]")
        if len(item) > MAX_FIELD:
            raise InvalidInput(f"{where}[{n}]: too long ({len(item)} characters)")


def shown(text: str) -> str:
    """``text`` safe to print: a lone surrogate becomes ``\\udc80``."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")[:200]


def check_unicode(value: str, where: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput(
            f"{where}: holds a character that is not valid Unicode (a lone surrogate at "
            f"position {exc.start})"
        ) from None


def check_references(prepared: dict[str, list[dict]]) -> None:
    """Every ``contact_id``, ``for_ask_id`` and ``celebrated_by_id`` names a row of the file."""
    ids = {section: {row["id"] for row in rows} for section, rows in prepared.items() if rows
           and "id" in rows[0]}
    for section, rows in prepared.items():
        for index, row in enumerate(rows):
            for column, target in REFERENCES.items():
                value: Any = row.get(column.removesuffix("_id"))  # rows use field names
                if value is None:
                    continue
                if value not in ids.get(target, set()):
                    raise InvalidInput(
                        f"{section}[{index}].{column}: refers to id {value}, which is not in "
                        f"{target}"
                    )


#: the sections whose rows belong to one planner user (their ``owner``)
OWNED = ("placements", "ring_moves", "cadence_overrides", "snoozes")


def check_rings(prepared: dict[str, list[dict]]) -> None:
    """The rings as the commands keep them: no more people on a ring than its capacity
    (the dump's own ``ring_capacity``, else the default) and no two at one position, per
    owner. A crafted dump put 30 people on the inner ring of 3, or three at position 0."""
    import json

    from planner.domain.rings import DEFAULT_CAPACITY, Ring

    capacity = {ring.value: n for ring, n in DEFAULT_CAPACITY.items()}
    for row in prepared.get("settings", []):
        if row["key"] == "ring_capacity":
            capacity.update(json.loads(row["value"]))  # checked by its rule already
    counts: dict[tuple[str, str], int] = {}
    seen: set[tuple[str, str, int]] = set()
    placed: set[tuple[str, int]] = set()
    for index, row in enumerate(prepared.get("placements", [])):
        owner, ring = row["owner"], Ring(row["ring"]).value
        if (owner, row["contact"]) in placed:
            raise InvalidInput(f"placements[{index}].contact_id: person {row['contact']} is "
                               "placed twice (two rows clash)")
        placed.add((owner, row["contact"]))
        counts[owner, ring] = counts.get((owner, ring), 0) + 1
        if counts[owner, ring] > capacity[ring]:
            whose = f" of {shown(owner)}" if owner else ""
            raise InvalidInput(f"placements[{index}]: one more than the {ring} ring{whose} "
                               f"holds (its capacity is {capacity[ring]})")
        spot = (owner, ring, row["position"])
        if spot in seen:
            raise InvalidInput(f"placements[{index}].position: two people at position "
                               f"{row['position']} of the {ring} ring")
        seen.add(spot)


def own_rows_for_a_file(prepared: dict[str, list[dict]]) -> None:
    """A file database has one user, whose rows have the owner "": rows of one planner
    user (a team database's export) become theirs; rows of several are refused (they
    were kept, hidden: the person looked unplaced and the rows went into later exports)."""
    owners = sorted({row["owner"] for section in OWNED for row in prepared.get(section, [])}
                    - {""})
    if len(owners) > 1:
        raise InvalidInput(
            f"the export holds the rings of several planner users ({shown(', '.join(owners))}); "
            "a database file has one user: import it into a team database, or export each "
            "user's own")
    if owners:
        for section in OWNED:
            for row in prepared.get(section, []):
                row["owner"] = ""


def check_photo(text: str, where: str) -> bytes:
    """A photo of a dump: base64 of a small thumbnail of a known picture type."""
    import binascii

    from planner.importers.photos import MAX_STORED_BYTES, check_stored

    if len(text) > MAX_STORED_BYTES * 4 // 3 + 8:
        raise InvalidInput(f"{where}: too large for a thumbnail ({len(text)} characters of "
                           f"base64; the limit is {MAX_STORED_BYTES} bytes)")
    try:
        data = binascii.a2b_base64(text.encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise InvalidInput(f"{where}: not valid base64") from None
    try:
        check_stored(data)
    except ValueError as exc:
        raise InvalidInput(f"{where}: {exc}") from None
    return data
