"""The schema as a whole: every table in the order the migrations add them, and the
touchpoint table as schema version 1 made it (what the version-1 step creates). Used by
the migrations, the full schema check and a team database's setup, never by a command's
everyday reads and writes."""

from __future__ import annotations

from peewee import AutoField, CharField, ForeignKeyField, IntegerField, TextField

from planner.storage.fields import UTCDateTimeField
from planner.storage.models import (
    BaseModel,
    ContactRow,
    NoteRow,
    PlacementRow,
    PlannerMeta,
    RingMoveRow,
    SettingRow,
)
from planner.storage.models.advocacy import ADVOCACY_MODELS_V3
from planner.storage.models.cadence import CADENCE_MODELS_V4
from planner.storage.models.capture import CAPTURE_MODELS_V7
from planner.storage.models.own_settings import OWN_SETTING_MODELS_V9
from planner.storage.models.photos import PHOTO_MODELS_V5
from planner.storage.models.snoozes import SNOOZE_MODELS_V6


class TouchpointRowV1(BaseModel):
    """The touchpoint table as schema 1 made it (before ``source``): what the version-1
    step creates, so a fresh database and an upgraded one get the very same table."""

    id = AutoField()
    contact = ForeignKeyField(ContactRow, on_delete="CASCADE", column_name="contact_id",
                              backref="+")
    kind = CharField()
    at = UTCDateTimeField(index=True)
    minutes = IntegerField(null=True)
    note = TextField(default="")
    author = CharField(default="")
    created_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()
    version = IntegerField(default=1)

    class Meta:
        table_name = "touchpoint"
        indexes = ((("contact", "at"), False),)


ALL_MODELS_V1 = [
    PlannerMeta,
    ContactRow,
    PlacementRow,
    RingMoveRow,
    TouchpointRowV1,
    NoteRow,
    SettingRow,
]

#: every table of the planner, in the order the migrations add them
ALL_MODELS = (ALL_MODELS_V1 + ADVOCACY_MODELS_V3 + CADENCE_MODELS_V4 + PHOTO_MODELS_V5
              + SNOOZE_MODELS_V6 + CAPTURE_MODELS_V7 + OWN_SETTING_MODELS_V9)
