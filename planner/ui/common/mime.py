"""Our own drag-and-drop MIME type: a contact dragged from the list onto a ring."""

from __future__ import annotations

from PySide6.QtCore import QMimeData

from planner.domain.formatting import is_whole_number

CONTACT_MIME = "application/x-planner-contact"


def encode_contact_ids(ids: list[int]) -> QMimeData:
    mime = QMimeData()
    mime.setData(CONTACT_MIME, ",".join(str(i) for i in ids).encode())
    return mime


def decode_contact_ids(mime: QMimeData) -> list[int]:
    raw = bytes(mime.data(CONTACT_MIME).data()).decode(errors="replace")
    return [int(part) for part in raw.split(",") if is_whole_number(part.strip())]
