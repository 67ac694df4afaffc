"""Snoozes (schema version 6)."""

from __future__ import annotations

from peewee import AutoField, CharField, ForeignKeyField

from planner.storage.fields import UTCDateTimeField
from planner.storage.models import BaseModel, ContactRow


class SnoozeRow(BaseModel):
    """A person snoozed by one planner user: out of their focus list from ``at`` until
    ``until`` (the local midnight they come back, in UTC). Rows are kept as history (the
    timeline shows them); ``cleared_at`` ends one early."""

    id = AutoField()
    contact = ForeignKeyField(ContactRow, on_delete="CASCADE", column_name="contact_id")
    owner = CharField(default="")  # the planner user ("" is filled with the login role)
    at = UTCDateTimeField(index=True)
    until = UTCDateTimeField()
    cleared_at = UTCDateTimeField(null=True)

    class Meta:
        table_name = "snooze"
        indexes = ((("owner", "contact", "until"), False), (("contact", "at"), False))


#: the tables schema version 6 adds
SNOOZE_MODELS_V6 = [SnoozeRow]
