"""The tables. Times are UTC; lists and maps are JSON text; nothing here knows Qt.

Here are the tables every command and the window use: the database's own facts, people,
their places on the rings, ring moves, touchpoints, notes and settings. The tables of
one feature each (the advocacy ledger, per-user cadences, photos, snoozes, capture, a
user's own settings) and the schema as a whole (``ALL_MODELS``, schema 1's touchpoint
table) are in modules of their own, made when first named: a peewee model costs some
0.3 ms to make, and ``planner log`` needs four of the nineteen (issue 23). They are
named from here as before (``from planner.storage.models import AskRow`` makes the
advocacy tables then), or from their module.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from peewee import (
    SQL,
    AutoField,
    BooleanField,
    CharField,
    DatabaseProxy,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from planner.storage.fields import JSONField, UTCDateTimeField

db_proxy = DatabaseProxy()


class BaseModel(Model):
    class Meta:
        database = db_proxy
        legacy_table_names = False


class PlannerMeta(BaseModel):
    """Key/value facts about the database itself (schema version, app id)."""

    key = CharField(primary_key=True)
    value = TextField()


class ContactRow(BaseModel):
    id = AutoField()
    name = CharField(max_length=200)
    email = CharField(default="")
    phones = JSONField(strings=True)
    handles = JSONField(empty=dict, strings=True)
    channels = JSONField(strings=True)
    tags = JSONField(strings=True)
    timezone = CharField(default="")
    birthday = CharField(default="")  # YYYY-MM-DD or --MM-DD
    organization = CharField(default="")
    title = CharField(default="")
    notes = TextField(default="")
    cadence_days = IntegerField(null=True)
    stage = CharField(default="none")
    created_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()
    deleted_at = UTCDateTimeField(null=True, index=True)
    version = IntegerField(default=1)

    class Meta:
        table_name = "contact"


class PlacementRow(BaseModel):
    """Where a contact sits: which ring and where around it. Absent = unplaced."""

    contact = ForeignKeyField(ContactRow, on_delete="CASCADE", column_name="contact_id")
    owner = CharField(default="")  # the planner user the rings belong to ("" = local)
    ring = CharField()
    position = IntegerField()

    class Meta:
        table_name = "placement"
        indexes = ((("owner", "contact"), True), (("owner", "ring", "position"), False))


class RingMoveRow(BaseModel):
    id = AutoField()
    contact = ForeignKeyField(ContactRow, on_delete="CASCADE", column_name="contact_id")
    owner = CharField(default="")
    from_ring = CharField(null=True)
    to_ring = CharField(null=True)
    at = UTCDateTimeField(index=True)

    class Meta:
        table_name = "ring_move"
        indexes = ((("contact", "at"), False),)


class TouchpointRow(BaseModel):
    id = AutoField()
    contact = ForeignKeyField(ContactRow, on_delete="CASCADE", column_name="contact_id")
    kind = CharField()
    at = UTCDateTimeField(index=True)
    minutes = IntegerField(null=True)
    note = TextField(default="")
    author = CharField(default="")
    created_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()
    version = IntegerField(default=1)
    #: where it was captured from (schema 7, issue 24): the capture proposal's stable
    #: ``source_key`` ("ics:<UID>:<start>"…), "" when logged by hand
    source = TextField(default="")

    class Meta:
        table_name = "touchpoint"
        indexes = ((("contact", "at"), False),)


class NoteRow(BaseModel):
    id = AutoField()
    contact = ForeignKeyField(ContactRow, on_delete="CASCADE", column_name="contact_id")
    at = UTCDateTimeField(index=True)
    text = TextField()
    author = CharField(default="")
    shared = BooleanField(default=False)
    created_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()
    version = IntegerField(default=1)

    class Meta:
        table_name = "note"
        indexes = ((("contact", "at"), False),)


class SettingRow(BaseModel):
    key = CharField(primary_key=True)
    value = TextField()

    class Meta:
        table_name = "setting"

__all__ = [
    "ADVOCACY_MODELS_V3",
    "ALL_MODELS",
    "ALL_MODELS_V1",
    "CADENCE_MODELS_V4",
    "CAPTURE_MODELS_V7",
    "OWN_SETTING_MODELS_V9",
    "PHOTO_MODELS_V5",
    "SNOOZE_MODELS_V6",
    "SQL",
    "AskRow",
    "CadenceOverrideRow",
    "CaptureProposalRow",
    "CaptureSourceRow",
    "ContactPhotoRow",
    "GiveRow",
    "OwnSettingRow",
    "SnoozeRow",
    "StageChangeRow",
    "TouchpointRowV1",
    "WinRow",
    "db_proxy",
]

#: a name of a table (or list of tables) made when first named → the module that makes it
_MADE_WHEN_NAMED = {
    "StageChangeRow": "advocacy",
    "AskRow": "advocacy",
    "GiveRow": "advocacy",
    "WinRow": "advocacy",
    "ADVOCACY_MODELS_V3": "advocacy",
    "CadenceOverrideRow": "cadence",
    "CADENCE_MODELS_V4": "cadence",
    "ContactPhotoRow": "photos",
    "PHOTO_MODELS_V5": "photos",
    "SnoozeRow": "snoozes",
    "SNOOZE_MODELS_V6": "snoozes",
    "CaptureSourceRow": "capture",
    "CaptureProposalRow": "capture",
    "CAPTURE_MODELS_V7": "capture",
    "OwnSettingRow": "own_settings",
    "OWN_SETTING_MODELS_V9": "own_settings",
    "TouchpointRowV1": "schema",
    "ALL_MODELS_V1": "schema",
    "ALL_MODELS": "schema",
}


def __getattr__(name: str):
    """A table of one feature (or the whole schema's list), made by importing its module
    when first named (PEP 562); afterwards it is an attribute of this module as any."""
    module = _MADE_WHEN_NAMED.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:  # what __getattr__ gives, for the type checker
    from planner.storage.models.advocacy import (
        ADVOCACY_MODELS_V3,
        AskRow,
        GiveRow,
        StageChangeRow,
        WinRow,
    )
    from planner.storage.models.cadence import (
        CADENCE_MODELS_V4,
        CadenceOverrideRow,
    )
    from planner.storage.models.capture import (
        CAPTURE_MODELS_V7,
        CaptureProposalRow,
        CaptureSourceRow,
    )
    from planner.storage.models.own_settings import (
        OWN_SETTING_MODELS_V9,
        OwnSettingRow,
    )
    from planner.storage.models.photos import (
        PHOTO_MODELS_V5,
        ContactPhotoRow,
    )
    from planner.storage.models.schema import (
        ALL_MODELS,
        ALL_MODELS_V1,
        TouchpointRowV1,
    )
    from planner.storage.models.snoozes import (
        SNOOZE_MODELS_V6,
        SnoozeRow,
    )
