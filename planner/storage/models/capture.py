"""Captured touchpoints (schema version 7, issue 24): the sources, and the proposals
waiting for review."""

from __future__ import annotations

from peewee import AutoField, CharField, ForeignKeyField, IntegerField, TextField

from planner.storage.fields import JSONField, UTCDateTimeField
from planner.storage.models import BaseModel, ContactRow, TouchpointRow


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
