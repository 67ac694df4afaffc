"""A user's own settings (schema version 9)."""

from __future__ import annotations

from peewee import AutoField, CharField, TextField

from planner.storage.models import BaseModel


class OwnSettingRow(BaseModel):
    """A setting that is one planner user's, not the team's (their own e-mail addresses,
    which capture never proposes as people): private to its owner on a team database,
    where ``setting`` is read and written by everyone. ``value``: JSON text."""

    id = AutoField()
    owner = CharField(default="")  # the planner user ("" is filled with the login role)
    key = CharField()
    value = TextField()

    class Meta:
        table_name = "own_setting"
        indexes = ((("owner", "key"), True),)


#: the tables schema version 9 adds
OWN_SETTING_MODELS_V9 = [OwnSettingRow]
