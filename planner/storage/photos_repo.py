"""People's pictures (``contact_photo``): one small thumbnail per person.

Reads and writes the stored thumbnails; making one from a picture, and which
writes may replace a picture, are the service's (:mod:`planner.services.photos`).
Nothing here opens a transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import cast

from peewee import chunked

from planner.storage.models import ContactPhotoRow, ContactRow


def person_living(contact_id: int) -> bool:
    """Whether the person exists and is not in the trash."""
    return ContactRow.select().where(ContactRow.id == contact_id,
                                     ContactRow.deleted_at.is_null()).exists()


def delete_photo(contact_id: int) -> int:
    """Remove the person's picture; how many rows went (0 or 1)."""
    return ContactPhotoRow.delete().where(ContactPhotoRow.contact == contact_id).execute()


def photo_of(contact_id: int) -> bytes | None:
    row = (ContactPhotoRow.select(ContactPhotoRow.photo)
           .where(ContactPhotoRow.contact == contact_id).tuples().first())
    return bytes(row[0]) if row else None


def _pairs(query) -> Iterable[tuple[int, bytes | memoryview]]:
    """The (contact id, photo) rows of a ``.tuples()`` query (typed as its model)."""
    return cast("Iterable[tuple[int, bytes | memoryview]]", query)


def photos_of(contact_ids: Iterable[int] | None = None) -> dict[int, bytes]:
    """id → thumbnail for these people (every person with a photo when None); 500 ids
    per query."""
    query = ContactPhotoRow.select(ContactPhotoRow.contact, ContactPhotoRow.photo)
    if contact_ids is None:
        return {cid: bytes(photo) for cid, photo in _pairs(query.tuples())}
    out: dict[int, bytes] = {}
    for ids in chunked(sorted(set(contact_ids)), 500):
        found = query.where(ContactPhotoRow.contact.in_(ids)).tuples()
        out.update((cid, bytes(photo)) for cid, photo in _pairs(found))
    return out


def upsert(contact_id: int, data: bytes, stamp: datetime, *, replace: bool) -> None:
    """Store the person's thumbnail: ``replace`` one they have, or else leave it be."""
    query = ContactPhotoRow.insert(contact=contact_id, photo=data, updated_at=stamp)
    if replace:
        query = query.on_conflict(
            conflict_target=[ContactPhotoRow.contact],
            update={ContactPhotoRow.photo: data, ContactPhotoRow.updated_at: stamp},
        )
    else:
        query = query.on_conflict_ignore()
    query.execute()
