"""The advocacy ledger (schema version 3): stage history, asks, gives and wins."""

from __future__ import annotations

from peewee import AutoField, CharField, ForeignKeyField, IntegerField, TextField

from planner.storage.fields import UTCDateTimeField
from planner.storage.models import BaseModel, ContactRow, TouchpointRow


class StageChangeRow(BaseModel):
    """A change of advocacy stage (none → cultivating → succeeded → advocate), like a ring move."""

    id = AutoField()
    contact = ForeignKeyField(ContactRow, on_delete="CASCADE", column_name="contact_id")
    from_stage = CharField()
    to_stage = CharField()
    at = UTCDateTimeField(index=True)

    class Meta:
        table_name = "stage_change"
        indexes = ((("contact", "at"), False),)


class AskRow(BaseModel):
    """Something asked of a person (a reference call, a talk…), with its status."""

    id = AutoField()
    contact = ForeignKeyField(ContactRow, on_delete="CASCADE", column_name="contact_id")
    type = CharField()
    status = CharField(default="asked")  # planned, asked, done, declined
    at = UTCDateTimeField(index=True)  # when it was (or is to be) asked
    closed_at = UTCDateTimeField(null=True)  # when it became done or declined
    note = TextField(default="")
    created_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()
    version = IntegerField(default=1)

    class Meta:
        table_name = "ask"
        indexes = ((("contact", "at"), False),)


class GiveRow(BaseModel):
    """Something given back (a thank-you note, early access…); ``for_ask`` = the ask it thanks."""

    id = AutoField()
    contact = ForeignKeyField(ContactRow, on_delete="CASCADE", column_name="contact_id")
    type = CharField()
    at = UTCDateTimeField(index=True)
    note = TextField(default="")
    for_ask = ForeignKeyField(
        AskRow, null=True, on_delete="SET NULL", column_name="for_ask_id", index=True
    )
    created_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()
    version = IntegerField(default=1)

    class Meta:
        table_name = "give"
        indexes = ((("contact", "at"), False),)


class WinRow(BaseModel):
    """A success of theirs; ``celebrated_by``: the touchpoint that amplified or congratulated it."""

    id = AutoField()
    contact = ForeignKeyField(ContactRow, on_delete="CASCADE", column_name="contact_id")
    text = CharField(max_length=300)
    at = UTCDateTimeField(index=True)
    link = TextField(default="")
    note = TextField(default="")
    celebrated_by = ForeignKeyField(
        TouchpointRow, null=True, on_delete="SET NULL", column_name="celebrated_by_id", index=True
    )
    created_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()
    version = IntegerField(default=1)

    class Meta:
        table_name = "win"
        indexes = ((("contact", "at"), False),)


#: the tables schema version 3 adds, parents before children
ADVOCACY_MODELS_V3 = [StageChangeRow, AskRow, GiveRow, WinRow]
