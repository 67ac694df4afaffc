"""Adding, editing, moving and removing people; their pictures; the ring settings."""

from __future__ import annotations

import io

from planner.document.commands import (
    AddContactCommand,
    EditContactCommand,
    MoveCommand,
    RemoveContactCommand,
)
from planner.document.photo_commands import SetPhotoCommand
from planner.document.settings_commands import ChangeRingSettingsCommand
from planner.domain.rings import Ring
from planner.services import contacts, photos, settings
from tests.helpers.stores import bound


def placed(doc) -> dict[str, tuple[str, int]]:
    return {c.name: (c.ring.value, c.position) for c in doc.placed_contacts().values()}


def test_add_a_person(steps, document):
    added = {}

    def action():
        added["id"] = document.editing.add_contact("Ada Lovelace", Ring.INNER,
                                                   {"email": "ada@example.org"})
        return added["id"]

    def done():
        assert contacts.get_contact(added["id"]).email == "ada@example.org"
        assert document.contact(added["id"]).name == "Ada Lovelace"
        assert document.count() == 1 and document.fill()[Ring.INNER][0] == 1

    def undone():
        assert contacts.list_contacts() == []
        assert document.count() == 0 and document.placed_contacts() == {}

    steps.run(AddContactCommand, action, done, undone)


def test_edit_a_person(steps, document):
    ada = contacts.add_contact(bound(), "Ada Lovelace", title="Countess")
    document.reload()

    def done():
        assert contacts.get_contact(ada.id).title == "Mathematician"
        assert document.contact(ada.id).title == "Mathematician"

    def undone():
        assert contacts.get_contact(ada.id).title == "Countess"
        assert document.contact(ada.id).title == "Countess"

    steps.run(EditContactCommand,
              lambda: document.editing.edit_contact(ada.id, {"title": "Mathematician"}),
              done, undone)


def test_move_to_another_ring(steps, document):
    ada = contacts.add_contact(bound(), "Ada Lovelace", ring=Ring.MIDDLE)
    contacts.add_contact(bound(), "Grace Hopper", ring=Ring.INNER)
    document.reload()

    def done():
        assert contacts.get_contact(ada.id).ring == Ring.INNER
        assert placed(document)["Ada Lovelace"][0] == "inner"
        assert document.fill()[Ring.INNER][0] == 2

    def undone():
        assert contacts.get_contact(ada.id).ring == Ring.MIDDLE
        assert placed(document)["Ada Lovelace"][0] == "middle"
        assert document.fill()[Ring.INNER][0] == 1

    steps.run(MoveCommand, lambda: document.editing.move(ada.id, Ring.INNER), done, undone)


def test_swap_two_people(steps, document):
    ada = contacts.add_contact(bound(), "Ada Lovelace", ring=Ring.MIDDLE)
    grace = contacts.add_contact(bound(), "Grace Hopper", ring=Ring.INNER)
    document.reload()

    def done():
        assert placed(document)["Ada Lovelace"][0] == "inner"
        assert placed(document)["Grace Hopper"][0] == "middle"
        assert contacts.get_contact(grace.id).ring == Ring.MIDDLE

    def undone():
        assert placed(document)["Ada Lovelace"][0] == "middle"
        assert placed(document)["Grace Hopper"][0] == "inner"
        assert contacts.get_contact(grace.id).ring == Ring.INNER

    steps.run(MoveCommand,
              lambda: document.editing.move(ada.id, Ring.INNER, swap_with=grace.id),
              done, undone)


def test_unplace(steps, document):
    ada = contacts.add_contact(bound(), "Ada Lovelace", ring=Ring.OUTER)
    document.reload()

    def done():
        assert contacts.get_contact(ada.id).ring is None
        assert document.placed_contacts() == {} and document.count() == 1

    def undone():
        assert contacts.get_contact(ada.id).ring == Ring.OUTER
        assert list(placed(document)) == ["Ada Lovelace"]

    steps.run(MoveCommand, lambda: document.editing.move(ada.id, None), done, undone)


def test_remove_a_person(steps, document):
    ada = contacts.add_contact(bound(), "Ada Lovelace", ring=Ring.INNER)
    contacts.add_contact(bound(), "Grace Hopper", ring=Ring.INNER)
    document.reload()

    def done():
        assert [c.name for c in contacts.list_contacts()] == ["Grace Hopper"]
        assert document.contact(ada.id) is None and document.count() == 1

    def undone():
        assert contacts.get_contact(ada.id).ring == Ring.INNER
        assert sorted(placed(document)) == ["Ada Lovelace", "Grace Hopper"]
        assert document.count() == 2

    steps.run(RemoveContactCommand, lambda: document.editing.remove_contact(ada.id),
              done, undone)


def _picture(colour: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 40), colour).save(out, "PNG")
    return photos.make_thumbnail(out.getvalue())


def test_give_then_change_a_picture(steps, document):
    ada = contacts.add_contact(bound(), "Ada Lovelace", ring=Ring.INNER)
    document.reload()
    red, blue = _picture("red"), _picture("blue")

    steps.run(SetPhotoCommand, lambda: document.editing.set_photo(ada.id, red),
              lambda: photos.get_photo(ada.id) == red or _fail("no red picture"),
              lambda: photos.get_photo(ada.id) is None or _fail("a picture is left"))
    steps.run(SetPhotoCommand, lambda: document.editing.set_photo(ada.id, blue),
              lambda: photos.get_photo(ada.id) == blue or _fail("no blue picture"),
              lambda: photos.get_photo(ada.id) == red or _fail("the red one is not back"))
    steps.run(SetPhotoCommand, lambda: document.editing.set_photo(ada.id, None),
              lambda: photos.get_photo(ada.id) is None or _fail("still a picture"),
              lambda: photos.get_photo(ada.id) == blue or _fail("the blue one is not back"))


def _fail(why: str):
    raise AssertionError(why)


def test_change_the_ring_settings(steps, document):
    settings.set_capacities(bound(), {Ring.INNER: 3, Ring.MIDDLE: 12, Ring.OUTER: 72})
    old_cadences = settings.set_cadences(bound(), settings.cadences()) or settings.cadences()
    document.reload()  # (both stored: undo writes back both, defaults or not)
    cadences = {ring: days + 7 for ring, days in old_cadences.items()}

    def done():
        assert settings.capacities()[Ring.INNER] == 5 and document.capacity(Ring.INNER) == 5
        assert settings.cadences() == cadences
        assert document.cadence(Ring.OUTER) == cadences[Ring.OUTER]

    def undone():
        assert settings.capacities()[Ring.INNER] == 3 and document.capacity(Ring.INNER) == 3
        assert settings.cadences() == old_cadences

    steps.run(ChangeRingSettingsCommand,
              lambda: document.editing.change_ring_settings(
                  {Ring.INNER: 5, Ring.MIDDLE: 12, Ring.OUTER: 72}, cadences),
              done, undone)


def _moved_elsewhere(backend, name: str, ring: str) -> None:
    """Another program of the same user (the command line, as a person runs it) moves
    someone: its own process, its own connection."""
    from tests.helpers.cli import ok, run_cli

    ok(run_cli("contacts", "move", name, ring,
               db=backend.target.path or backend.target.url))


def _undo_right_after_the_check(document) -> None:
    """What ``document.undo()`` runs once it has seen no other program's change: another
    program's commit can still land between that check and the step's own transaction."""
    document._run(document.undo_stack.undo)


def test_an_undo_never_takes_back_a_move_made_elsewhere(backend, document):
    ada = contacts.add_contact(backend.backend, "Ada Lovelace", ring=Ring.MIDDLE)
    grace = contacts.add_contact(backend.backend, "Grace Hopper", ring=Ring.OUTER)
    document.reload()
    messages: list[str] = []
    document.message.connect(messages.append)
    assert document.editing.move(ada.id, Ring.INNER)
    _moved_elsewhere(backend, "Grace Hopper", "middle")
    _undo_right_after_the_check(document)
    # the recorded rings would have put Grace back on the outer ring: refused instead
    assert contacts.get_contact(grace.id).ring == Ring.MIDDLE
    assert contacts.get_contact(ada.id).ring == Ring.INNER
    assert placed(document)["Grace Hopper"][0] == "middle"  # the window shows theirs
    assert messages and "changed meanwhile" in messages[-1]
    assert not document.undo_stack.canUndo()


def test_undoing_an_add_or_a_removal_never_takes_back_a_move_made_elsewhere(backend,
                                                                              document):
    grace = contacts.add_contact(backend.backend, "Grace Hopper", ring=Ring.OUTER)
    linus = contacts.add_contact(backend.backend, "Linus Torvalds", ring=Ring.MIDDLE)
    document.reload()
    assert document.editing.remove_contact(linus.id)
    _moved_elsewhere(backend, "Grace Hopper", "inner")
    _undo_right_after_the_check(document)
    assert contacts.get_contact(grace.id).ring == Ring.INNER
    assert "Linus Torvalds" not in placed(document)  # still in the trash: nothing written

    assert document.editing.add_contact("Ada Lovelace", Ring.MIDDLE, {})
    _moved_elsewhere(backend, "Grace Hopper", "middle")
    _undo_right_after_the_check(document)
    assert contacts.get_contact(grace.id).ring == Ring.MIDDLE
    assert "Ada Lovelace" in placed(document)  # the add stays


def test_an_undo_with_no_move_elsewhere_still_puts_the_rings_back(backend, document):
    ada = contacts.add_contact(backend.backend, "Ada Lovelace", ring=Ring.MIDDLE)
    document.reload()
    assert document.editing.move(ada.id, Ring.INNER)
    _undo_right_after_the_check(document)
    assert contacts.get_contact(ada.id).ring == Ring.MIDDLE


def test_an_import_with_merges_and_a_picture(steps, document, tmp_path):
    """The window's import (written by its worker, then pushed): undo takes the new people
    back out as an undone add does, the merged email out again and the picture it gave a
    merged person off; redo puts the very same rows back."""
    import base64

    from PIL import Image

    from planner.document.import_commands import ImportCommand
    from planner.services import importing

    # no email, no picture: the merge fills both
    grace = contacts.add_contact(bound(), "Grace Hopper")
    document.reload()
    picture = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 40, 40)).save(picture, "PNG")
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEMAIL:grace@navy.example\r\n"
        f"PHOTO;ENCODING=b;TYPE=PNG:{base64.b64encode(picture.getvalue()).decode()}\r\n"
        "END:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.org\r\n"
        "TEL:+44 20 7946 0000\r\nEND:VCARD\r\n")
    path = tmp_path / "people.vcf"
    path.write_text(card, encoding="utf-8")

    def action():
        summary = importing.apply_import(bound(), importing.preview_import(path), "merge",
                                         backup=False)
        assert summary.added == 1 and summary.merged == 1
        return document.editing.imported(summary.record, path.name)

    def done():
        names = sorted(c.name for c in contacts.list_contacts())
        assert names == ["Ada Lovelace", "Grace Hopper"]
        assert contacts.get_contact(grace.id).email == "grace@navy.example"
        assert photos.get_photo(grace.id) is not None
        assert document.count() == 2

    def undone():
        assert [c.name for c in contacts.list_contacts()] == ["Grace Hopper"]
        assert contacts.get_contact(grace.id).email == ""
        assert photos.get_photo(grace.id) is None
        assert document.count() == 1

    command = steps.run(ImportCommand, action, done, undone)
    assert command.text() == "Import people.vcf"


def test_a_big_import_is_undone_and_done_again_whole(backend, document, tmp_path):
    """A review: the undo of a 300,000-row import read and removed its people one at a
    time (eight queries each, on the GUI thread, with the write lock held) and had not
    finished after a quarter of an hour. It works a table at a time now; what it put back
    is what there was, to the row, with what was written about those people since."""
    from planner.document.import_commands import ImportCommand
    from planner.services import exporting, importing, touchpoints

    path = tmp_path / "people.csv"
    path.write_text("Name,Email\n" + "".join(f"Person {n},p{n}@example.org\n"
                                             for n in range(1200)), encoding="utf-8")
    before_import = contacts.add_contact(backend.backend, "Already There")
    summary = importing.apply_import(backend.backend, importing.preview_import(path), backup=False)
    assert summary.added == 1200
    first, last = summary.added_ids[0], summary.added_ids[-1]
    touchpoints.log_touchpoint(backend.backend, first, "coffee", note="after the import")
    touchpoints.add_note(backend.backend, last, "a note about the last one")
    assert document.editing.move(last, Ring.OUTER)  # (its own step, under the import's)
    document.undo_stack.clear()
    assert document.editing.imported(summary.record, path.name)
    whole = exporting.export_json(backend.backend)
    document.undo_stack.undo()
    assert [c.id for c in contacts.list_contacts()] == [before_import.id]
    document.undo_stack.redo()
    again = exporting.export_json(backend.backend)
    for dump in (whole, again):
        dump.pop("exported_at")
    assert again == whole
    assert isinstance(document.undo_stack.command(0), ImportCommand)
