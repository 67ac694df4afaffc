"""Storing an import preview: new people 500 at a time, merges that never overwrite.

Runs inside :func:`planner.services.importing.apply_import`'s one transaction.
"""

from __future__ import annotations

import json
import re

from planner.domain.contact import clean_list
from planner.services.import_rows import DUPLICATE, INVALID, NEW, PreviewRow
from planner.storage import contacts_repo

CHUNK = 500  # rows written between progress reports and cancel checks
CHECK_EVERY = 100  # rows between cancel checks while sorting and merging
_EXTRA_EMAIL = re.compile(r"^email-(\d+)$")
_FILL = ("email", "organization", "title", "birthday", "notes", "timezone")


class Writer:
    """Stores a preview 500 rows at a time (inside the caller's transaction).

    New people are inserted as they come, so a million-row import never holds a
    million row dicts; only the new rows that later rows of the same file merge
    into are kept back until the end.
    """

    def __init__(self, preview, on_duplicate, summary, stamp, check, progress):
        self.preview, self.on_duplicate, self.summary = preview, on_duplicate, summary
        self.stamp, self.check, self.progress = stamp, check, progress
        self.next_id = contacts_repo.next_contact_id()
        merging = on_duplicate == "merge"
        self.targets = _merge_targets(preview) if merging else {}
        self.current = {cid: dict(values) for cid, values in self.targets.items()}
        self.kept = {r.match_row for r in preview.rows
                     if merging and r.status == DUPLICATE and r.match_row is not None}
        self.pending: dict[int, dict] = {}  # kept rows, by preview index
        self.batch: list[tuple[int, dict]] = []
        self.added: list[tuple[int, int]] = []  # (preview index, new id)
        self.updates: dict[int, dict] = {}
        self.merged_photos: dict[int, bytes] = {}  # pictures given to merged people
        self.done = 0
        self.total = sum(1 for r in preview.rows if r.status != INVALID) if on_duplicate == "add" \
            else preview.new + (preview.duplicates if merging else 0)

    def run(self) -> None:
        if self.progress is not None:
            self.progress(0, self.total)
        on_duplicate, summary = self.on_duplicate, self.summary
        for row in self.preview.rows:
            if row.index % CHECK_EVERY == 0:
                self.check()
            if row.status == INVALID:
                summary.invalid += 1
            elif row.status == NEW or on_duplicate == "add":
                self.add(row)
            elif on_duplicate == "skip":
                summary.skipped += 1
            elif row.match_row is not None and row.match_row in self.pending:
                self.merge(self.pending[row.match_row], row)
            elif row.match_id is not None and row.match_id in self.current:
                self.merge(self.current[row.match_id], row)
            else:  # the person it matched was removed since the preview
                summary.problems.append(f"{row.where}: the matching person is gone; added instead")
                self.add(row)
        self.flush()
        self.batch = list(self.pending.items())
        self.flush()
        self.write_merges()
        self.write_photos()

    def write_photos(self) -> None:
        """The pictures of the people added, and of merged people who had none."""
        ids = dict(self.added)  # preview index → new id
        photos: dict[int, bytes] = {}
        for row in self.preview.rows:
            if not row.photo or row.status == INVALID:
                continue
            cid = ids.get(row.index)
            if cid is None and self.on_duplicate == "merge":
                cid = row.match_id if row.match_id is not None else ids.get(row.match_row)
            if cid is not None:
                photos.setdefault(cid, row.photo)
        if photos:
            from planner.services.photos import photos_of, store_photos

            added = set(ids.values())
            had = set(photos_of([cid for cid in photos if cid not in added]))
            self.merged_photos = {cid: data for cid, data in photos.items()
                                  if cid not in added and cid not in had}
            store_photos(photos, self.stamp)

    def merged_before_after(self) -> dict[int, tuple[dict, dict]]:
        """Each merged person's changed fields: (before the import, after it)."""
        return {cid: ({k: self.targets[cid][k] for k in changes}, dict(changes))
                for cid, changes in self.updates.items()}

    def merge(self, existing: dict, row: PreviewRow) -> None:
        """Merge one duplicate; one that brings nothing new is counted as unchanged."""
        if merge_into(existing, row.values or {}):
            self.summary.merged += 1
        else:
            self.summary.unchanged += 1
        self.step(1)

    def add(self, row: PreviewRow) -> None:
        values = dict(row.values or {})
        values["handles"] = dict(values.get("handles", {}))
        new = {"id": self.next_id, **values, "created_at": self.stamp, "updated_at": self.stamp}
        self.next_id += 1
        self.summary.added += 1
        if row.index in self.kept:
            self.pending[row.index] = new
            return
        self.batch.append((row.index, new))
        if len(self.batch) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        self.check()
        rows = [new for _, new in self.batch]
        contacts_repo.insert_contacts(rows)
        self.added.extend((index, new["id"]) for index, new in self.batch)
        self.batch = []
        self.step(len(rows))

    def step(self, count: int) -> None:
        before, self.done = self.done, self.done + count
        if self.progress is not None and (before // CHUNK != self.done // CHUNK
                                          or self.done == self.total):
            self.progress(self.done, self.total)

    def write_merges(self) -> None:
        for cid, values in self.current.items():
            changes = {k: v for k, v in values.items() if v != self.targets[cid][k]}
            if changes:
                self.updates[cid] = changes
        for n, (cid, changes) in enumerate(self.updates.items(), 1):
            if n % CHUNK == 0:
                self.check()
            contacts_repo.update_contact(cid, changes, self.stamp)


def _merge_targets(preview) -> dict[int, dict]:
    """The mergeable fields of the people the duplicates point at (still alive)."""
    ids = sorted({r.match_id for r in preview.rows if r.match_id is not None})
    return contacts_repo.living_fields(ids, _MERGED)


_MERGED = ("email", "phones", "handles", "tags", *_FILL[1:])


def merge_into(existing: dict, incoming: dict) -> bool:
    """Fill ``existing`` (field → value) from ``incoming`` without overwriting anything;
    True if that changed anything."""
    before = json.dumps(existing, sort_keys=True, default=str)
    for key in _FILL:
        if key != "email" and not existing.get(key) and incoming.get(key):
            existing[key] = incoming[key]
    for key in ("phones", "tags"):
        united = list(clean_list([*existing.get(key, []), *incoming.get(key, [])], key))
        if len(united) != len(existing.get(key, [])):
            existing[key] = united
    handles = dict(existing.get("handles") or {})
    for service, value in (incoming.get("handles") or {}).items():
        if not _EXTRA_EMAIL.match(service):
            handles.setdefault(service, value)
    existing["handles"] = handles
    for address in _emails(incoming):
        _add_email(existing, address)
    return json.dumps(existing, sort_keys=True, default=str) != before


def _emails(values: dict) -> list[str]:
    """A person's addresses: the primary one, then the ``email-N`` handles in order."""
    extra = sorted(
        (int(m.group(1)), address)
        for service, address in (values.get("handles") or {}).items()
        if (m := _EXTRA_EMAIL.match(service)) and address
    )
    primary = [values["email"]] if values.get("email") else []
    return primary + [address for _, address in extra]


def _add_email(values: dict, address: str) -> None:
    """Give the person ``address`` unless they have it: as primary if empty, else ``email-N``."""
    if not address or address.casefold() in {a.casefold() for a in _emails(values)}:
        return
    if not values.get("email"):
        values["email"] = address
        return
    handles = values.setdefault("handles", {})
    n = 2
    while f"email-{n}" in handles:
        n += 1
    handles[f"email-{n}"] = address
