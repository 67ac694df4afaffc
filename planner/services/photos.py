"""A person's photo: set (from a file or an import), read, removed.

Pictures are made into a small square thumbnail once (``planner.importers.photos``,
with Pillow: no Qt below the UI) and only that is stored, in ``contact_photo``.
A picture that cannot be used is one :class:`InvalidInput` line; the person is
never touched by a failed photo.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from planner.domain.errors import InvalidInput, NotFound
from planner.storage import photos_repo as repo

if TYPE_CHECKING:
    from planner.storage.backend import Backend


def make_thumbnail(data: bytes) -> bytes:
    """The stored form of a picture; InvalidInput saying why it cannot be one."""
    # the importers package (every file format) is imported when a picture is set, not
    # when the window reads the pictures it shows (issue 23)
    from planner.importers.photos import thumbnail

    try:
        return thumbnail(data)
    except ValueError as exc:
        raise InvalidInput(f"the picture cannot be used: {exc}") from None


def set_photo(store: Backend, contact_id: int, data: bytes) -> bytes:
    """Give the person this picture (as a thumbnail, replacing any); returns what is stored."""
    small = make_thumbnail(data)
    with store.write():
        if not repo.person_living(contact_id):
            raise NotFound(f"no person #{contact_id}")
        repo.upsert(contact_id, small, datetime.now(UTC), replace=True)
    return small


def set_photo_from_file(store: Backend, contact_id: int, path: str | Path) -> bytes:
    """The window's "Choose Picture…": a regular file, read with a hard size limit."""
    from planner.importers.photos import MAX_PHOTO_BYTES
    from planner.importers.user_file import read_user_file

    return set_photo(store, contact_id, read_user_file(path, MAX_PHOTO_BYTES, "picture"))


def clear_photo(store: Backend, contact_id: int) -> bool:
    """Remove the person's picture (initials are shown again); True if there was one."""
    with store.write():
        return repo.delete_photo(contact_id) > 0


def get_photo(contact_id: int) -> bytes | None:
    return repo.photo_of(contact_id)


def photos_of(contact_ids: Iterable[int] | None = None) -> dict[int, bytes]:
    """id → thumbnail for these people (every person with a photo when None)."""
    return repo.photos_of(contact_ids)


def store_photos(photos: dict[int, bytes], stamp: datetime) -> int:
    """Inside an import's transaction: give these people these thumbnails where they have
    none yet (a merge never overwrites); returns how many were stored."""
    have = set(photos_of(photos))
    stored = 0
    for contact_id, data in photos.items():
        if contact_id not in have:
            repo.upsert(contact_id, data, stamp, replace=False)
            stored += 1
    return stored
