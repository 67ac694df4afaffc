"""Contact photos (schema version 5)."""

from __future__ import annotations

from peewee import BlobField, ForeignKeyField

from planner.storage.fields import UTCDateTimeField
from planner.storage.models import BaseModel, ContactRow


class ContactPhotoRow(BaseModel):
    """A person's picture: one small square thumbnail (PNG or JPEG, at most 256 px, made
    once by ``planner.importers.photos``), in its own table so lists never load it."""

    contact = ForeignKeyField(
        ContactRow, on_delete="CASCADE", column_name="contact_id", unique=True
    )
    photo = BlobField()
    updated_at = UTCDateTimeField()

    class Meta:
        table_name = "contact_photo"


#: the tables schema version 5 adds
PHOTO_MODELS_V5 = [ContactPhotoRow]
