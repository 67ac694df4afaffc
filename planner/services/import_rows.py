"""One entry of an import preview, kept small: a million-row file must fit in memory."""

from __future__ import annotations

import json

from planner.importers import ImportedContact, ImportProblem

NEW, DUPLICATE, INVALID = "new", "duplicate", "invalid"

_KEYS: dict[tuple[str, ...], tuple[str, ...]] = {}  # one shared tuple per set of field names


class PreviewRow:
    """One entry of the file as the preview table shows it.

    Slots, and the cleaned fields kept as one compact JSON array (``values``
    decodes them; ``name`` and ``email`` come from them too), so that the
    preview of a million-row file stays a few hundred bytes a row.
    """

    __slots__ = (
        "_email",
        "_keys",
        "_name",
        "_values",
        "contact",
        "index",
        "match_id",
        "match_name",
        "match_row",
        "matched_by",
        "photo",
        "problems",
        "reason",
        "status",
        "where",
    )

    def __init__(
        self,
        index: int,  # position in ``ImportPreview.rows``
        status: str,  # "new", "duplicate" or "invalid"
        where: str,  # "card 3 (line 17)" or "line 12"
        name: str | None = "",  # None: the cleaned name in ``values``
        email: str | None = "",
        reason: str = "",  # why it is a duplicate or invalid, for people
        matched_by: str = "",  # "email" or "name" for duplicates
        match_id: int | None = None,  # the person in the database it duplicates
        match_row: int | None = None,  # or the earlier (new) row of this file it duplicates
        match_name: str = "",
        contact: ImportedContact | None = None,  # not kept by preview_import (memory)
        values: dict | None = None,  # cleaned contact fields, ready to store
        problems: list[ImportProblem] | tuple = (),  # properties left out
    ):
        self.index, self.status, self.where = index, status, where
        self._name, self._email, self.reason = name, email, reason
        self.matched_by, self.match_id, self.match_row = matched_by, match_id, match_row
        self.match_name, self.contact, self.problems = match_name, contact, problems
        self.values = values
        self.photo: bytes | None = None  # the person's thumbnail, if the file had a picture

    @property
    def values(self) -> dict | None:
        if self._keys is None or self._values is None:  # set together
            return None
        return dict(zip(self._keys, json.loads(self._values), strict=True))

    @values.setter
    def values(self, values: dict | None) -> None:
        if values is None:
            self._keys = self._values = None
            return
        keys = tuple(values)
        self._keys = _KEYS.setdefault(keys, keys)
        self._values = json.dumps(list(values.values()), ensure_ascii=False)

    @property
    def name(self) -> str:
        return self._name if self._name is not None else (self.values or {}).get("name", "")

    @name.setter
    def name(self, name: str | None) -> None:
        self._name = name

    @property
    def email(self) -> str:
        return self._email if self._email is not None else (self.values or {}).get("email", "")

    @email.setter
    def email(self, email: str | None) -> None:
        self._email = email

    def __repr__(self) -> str:
        return f"PreviewRow({self.index}, {self.status!r}, {self.where!r}, {self.name!r})"
