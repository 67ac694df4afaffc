"""Choosing or removing a person's picture: one undo step each."""

from __future__ import annotations

from planner.document.commands import DocumentCommand
from planner.services import photos as photo_svc


class SetPhotoCommand(DocumentCommand):
    """Give a person a picture (an already made thumbnail), or remove it (``photo`` None);
    undo puts back the one they had."""

    def __init__(self, document, contact_id: int, photo: bytes | None):
        contact = document.contact(contact_id)
        name = contact.name if contact else f"#{contact_id}"
        super().__init__(document, f"{'Change' if photo else 'Remove'} the picture of {name}")
        self.contact_id = contact_id
        self.photo = photo
        self.previous = photo_svc.get_photo(contact_id)

    def _set(self, photo: bytes | None) -> None:
        if photo:
            photo_svc.set_photo(self.backend, self.contact_id, photo)
        else:
            photo_svc.clear_photo(self.backend, self.contact_id)
        self.document.photos_changed.emit([self.contact_id])
        self.document.refresh_contacts([self.contact_id])

    def perform(self) -> None:
        self._set(self.photo)

    def undo(self) -> None:
        self._set(self.previous)

    def replay(self) -> None:
        self._set(self.photo)
