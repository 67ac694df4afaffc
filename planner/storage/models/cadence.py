"""Per-user cadences on a team database (schema version 4)."""

from __future__ import annotations

from peewee import CharField, ForeignKeyField, IntegerField

from planner.storage.models import BaseModel, ContactRow


class CadenceOverrideRow(BaseModel):
    """One planner user's cadence for a person (team databases; a file keeps using
    ``contact.cadence_days``). ``days`` None: the ring's cadence for this user, even
    where the shared ``contact.cadence_days`` is set."""

    contact = ForeignKeyField(ContactRow, on_delete="CASCADE", column_name="contact_id")
    owner = CharField(default="")  # the planner user ("" is filled with the login role)
    days = IntegerField(null=True)

    class Meta:
        table_name = "cadence_override"
        indexes = ((("owner", "contact"), True),)


#: the tables schema version 4 adds
CADENCE_MODELS_V4 = [CadenceOverrideRow]
