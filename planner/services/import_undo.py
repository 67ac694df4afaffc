"""Taking an import back, and doing it again: the window's Undo and Redo of an import.

An import (:func:`planner.services.importing.apply_import`) records what it did in an
:class:`ImportRecord`: the people it added, the fields it filled in on people it merged
into (before and after), and the pictures it gave people who had none. Undo removes the
added people as the undo of Add Person does (``contacts_repo.hard_delete``: for good in a
file, to the trash on a team database), puts the merged fields back and takes those
pictures off; Redo puts the very same rows back and fills the fields in again. Each is
one write transaction, refused as a whole when someone changed a merged field since
(the window then says who and keeps theirs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from planner.domain.errors import ConflictError
from planner.storage import contacts_repo, photos_repo

if TYPE_CHECKING:
    from planner.storage.backend import Backend


@dataclass
class ImportRecord:
    """What one import wrote, to take it back."""

    added_ids: list[int] = field(default_factory=list)
    #: person → (their fields before the merge, the same fields after it)
    merged: dict[int, tuple[dict, dict]] = field(default_factory=dict)
    #: pictures given to merged people who had none (the added people's go with them)
    photos: dict[int, bytes] = field(default_factory=dict)
    #: the added people's rows as the undo found them, for the redo (same ids)
    removed: list[dict] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added_ids or self.merged or self.photos)


def undo_import(store: Backend, record: ImportRecord) -> None:
    """Take the import back (one transaction; nothing when refused)."""
    _apply(store, record, back=True)


def redo_import(store: Backend, record: ImportRecord) -> None:
    """Do the import again after :func:`undo_import`."""
    _apply(store, record, back=False)


def _apply(store: Backend, record: ImportRecord, *, back: bool) -> None:
    stamp = datetime.now(UTC)
    with store.write():
        _check_merged(record, expected=1 if back else 0)
        if back:  # (a table at a time, 500 people to a query: a big import's undo took
            # minutes a person at a time)
            record.removed = contacts_repo.dump_contacts(record.added_ids)
            contacts_repo.hard_delete_many(record.added_ids)
        else:
            contacts_repo.load_dumps(record.removed)
        for contact_id, pair in record.merged.items():
            contacts_repo.update_contact(contact_id, pair[0 if back else 1], stamp)
        for contact_id, picture in record.photos.items():
            if back:
                if photos_repo.photo_of(contact_id) == picture:
                    photos_repo.delete_photo(contact_id)
            else:
                photos_repo.upsert(contact_id, picture, stamp, replace=False)


def _check_merged(record: ImportRecord, *, expected: int) -> None:
    """Each merged person's fields are as the import (``expected`` 1) or its undo (0) left
    them: someone's edit since is theirs to keep, and the step is refused."""
    if not record.merged:
        return
    names = sorted({key for pair in record.merged.values() for key in pair[expected]})
    now = contacts_repo.living_fields(list(record.merged), names)
    for contact_id, pair in record.merged.items():
        left = pair[expected]
        found = now.get(contact_id)
        if found is None or any(found.get(key) != value for key, value in left.items()):
            person = contacts_repo.load_contact(contact_id, include_deleted=True)
            who = person.name if person is not None else f"#{contact_id}"
            raise ConflictError(f"{who} was changed after the import, so it cannot be "
                                f"{'undone' if expected else 'done again'}; their details "
                                "are kept as they are now")
