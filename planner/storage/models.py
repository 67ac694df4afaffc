"""The tables. Times are UTC; lists and maps are JSON text; nothing here knows Qt."""

from __future__ import annotations

from peewee import (
    SQL,
    AutoField,
    BlobField,
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


ALL_MODELS_V1 = [
    PlannerMeta,
    ContactRow,
    PlacementRow,
    RingMoveRow,
    TouchpointRowV1,
    NoteRow,
    SettingRow,
]

__all__ = ["SQL", "db_proxy"]


# -- schema version 3: the advocacy ledger ------------------------------------------------


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


# -- schema version 4: per-user cadences on a team database -------------------------------


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


# -- schema version 5: contact photos --------------------------------------------------


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


# -- schema version 6: snoozes --------------------------------------------------------


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


# -- schema version 7: captured touchpoints (issue 24) ---------------------------------


class CaptureSourceRow(BaseModel):
    """A calendar file or folder, CalDAV calendar or IMAP mailbox read on sync; private to
    its owner on a team database. ``options``: what the kind needs (folders, since, TLS
    mode, a trusted certificate's fingerprint, ``auto_accept``); ``state``: where the
    last sync stopped (sync token, IMAP uidvalidity and last uid, file mtimes)."""

    id = AutoField()
    owner = CharField(default="")  # the planner user ("" is filled with the login role)
    kind = CharField()  # ics, caldav, imap
    label = CharField(default="")
    location = TextField()  # a path, a URL or host:port
    username = CharField(default="")
    options = JSONField(empty=dict)
    state = JSONField(empty=dict)
    last_sync_at = UTCDateTimeField(null=True)
    created_at = UTCDateTimeField()

    class Meta:
        table_name = "capture_source"
        indexes = ((("owner", "kind"), False),)


class CaptureProposalRow(BaseModel):
    """A touchpoint a source proposes, waiting for review. ``contact`` is the person
    matched by address, or None with a ``candidate_name``/``candidate_email`` to add as a
    new person. ``match_key`` ("contact:<id>" or "email:<folded address>") keeps one
    proposal per event and person: (owner, source_key, match_key) is unique, so a re-sync
    never proposes the same event twice. ``status``: pending, accepted (``touchpoint`` is
    the touchpoint made), rejected, withdrawn (cancelled or gone at the source)."""

    id = AutoField()
    owner = CharField(default="")
    source = ForeignKeyField(CaptureSourceRow, null=True, on_delete="SET NULL",
                             column_name="source_id", index=True)
    source_key = TextField()
    match_key = CharField()
    contact = ForeignKeyField(ContactRow, null=True, on_delete="CASCADE",
                              column_name="contact_id", index=True)
    candidate_name = CharField(default="")
    candidate_email = CharField(default="")
    kind = CharField()
    at = UTCDateTimeField()
    minutes = IntegerField(null=True)
    note = TextField(default="")
    status = CharField(default="pending")
    touchpoint = ForeignKeyField(TouchpointRow, null=True, on_delete="SET NULL",
                                 column_name="touchpoint_id", index=True)
    created_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()

    class Meta:
        table_name = "capture_proposal"
        indexes = ((("owner", "source_key", "match_key"), True),
                   (("owner", "status", "at"), False))


#: the tables schema version 7 adds
CAPTURE_MODELS_V7 = [CaptureSourceRow, CaptureProposalRow]

# -- schema version 9: a user's own settings ------------------------------------------


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

#: every table of the planner, in the order the migrations add them
ALL_MODELS = (ALL_MODELS_V1 + ADVOCACY_MODELS_V3 + CADENCE_MODELS_V4 + PHOTO_MODELS_V5
              + SNOOZE_MODELS_V6 + CAPTURE_MODELS_V7 + OWN_SETTING_MODELS_V9)
