"""Contact photos (issue 19): read from every vCard version, made into one small square
thumbnail, stored, exported (vCard 4.0, JSON) and restored; a bad picture costs itself."""

from __future__ import annotations

import base64
import binascii
import io
import json

import pytest
from PIL import Image

from planner.domain.errors import InvalidInput
from planner.importers import parse_file
from planner.importers.photos import THUMBNAIL, photo_type, thumbnail
from planner.services import contacts, exporting, photos
from planner.services.importing import apply_import, preview_import
from tests.conftest import SHARED_FIXTURES
from tests.helpers.stores import bound


def picture(fmt: str, size=(640, 480), mode="RGB", colour=(200, 30, 60)) -> bytes:
    image = Image.new(mode, size, colour if mode == "RGB" else (*colour, 128))
    for x in range(0, size[0], 7):  # something to scale, not one flat colour
        image.putpixel((x, x % size[1]), (0, 0, 0) if mode == "RGB" else (0, 0, 0, 255))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def size_of(data: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(data)).size


def folded(text: str, width: int = 72, indent: str = " ") -> str:
    return "\r\n".join(indent + text[i : i + width] for i in range(0, len(text), width))


def test_a_picture_becomes_one_small_square_thumbnail():
    small = thumbnail(picture("JPEG", (1200, 800)))
    assert size_of(small) == (THUMBNAIL, THUMBNAIL) and photo_type(small) == "image/jpeg"
    alpha = thumbnail(picture("PNG", (300, 500), mode="RGBA"))
    assert size_of(alpha) == (THUMBNAIL, THUMBNAIL) and photo_type(alpha) == "image/png"
    gif = thumbnail(picture("GIF", (90, 60)))
    assert size_of(gif) == (60, 60)  # never enlarged
    assert thumbnail(small) == small  # already a thumbnail: kept byte for byte


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"not a picture at all", "not a JPEG, PNG or GIF"),
        (picture("JPEG")[:400], "damaged"),
        (picture("BMP", (20, 20)), "not JPEG, PNG or GIF"),
        (b"\xff\xd8\xff" + bytes(11 * 1024 * 1024), "too large"),
    ],
)
def test_a_bad_picture_is_one_short_reason(data, words):
    with pytest.raises(ValueError, match=words):
        thumbnail(data)


def test_a_decompression_bomb_is_refused_before_decoding():
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, "PNG")  # tiny file, 144 megapixels
    with pytest.raises(ValueError, match="too large"):
        thumbnail(out.getvalue())


def card(version: str, photo_line: str, name: str = "Ada") -> bytes:
    return (f"BEGIN:VCARD\r\nVERSION:{version}\r\nFN:{name}\r\n{photo_line}\r\nEND:VCARD\r\n"
            ).encode("latin-1")


def test_photos_from_every_vcard_version():
    jpeg = base64.b64encode(picture("JPEG", (400, 300))).decode()
    png = base64.b64encode(picture("PNG", (100, 100), mode="RGBA")).decode()
    gif_raw = picture("GIF", (40, 40))
    qp = binascii.b2a_qp(gif_raw, istext=False, header=False).decode("latin-1")
    qp_lines = "=\r\n".join(qp[i : i + 70] for i in range(0, len(qp), 70))
    cards = [
        card("2.1", f"PHOTO;JPEG;ENCODING=BASE64:\r\n{folded(jpeg, indent='  ')}\r\n"),
        card("2.1", f"PHOTO;TYPE=GIF;ENCODING=QUOTED-PRINTABLE:{qp_lines}"),
        card("3.0", f"PHOTO;ENCODING=b;TYPE=PNG:{png[:60]}\r\n{folded(png[60:])}"),
        card("4.0", "PHOTO:data:image/jpeg;base64," + jpeg[:50] + "\r\n" + folded(jpeg[50:])),
    ]
    result = parse_file(b"".join(cards))
    assert result.problems == []
    sizes = [size_of(c.photo) for c in result.contacts]
    assert sizes == [(256, 256), (40, 40), (100, 100), (256, 256)]


def test_real_exports_with_photos_keep_them():
    for name in ("John_Doe_IPHONE.vcf", "John_Doe_MAC_ADDRESS_BOOK.vcf",
                 "John_Doe_MS_OUTLOOK.vcf", "outlook-2007.vcf"):
        (person,) = parse_file(SHARED_FIXTURES / "vcard" / name).contacts
        assert photo_type(person.photo), name
        width, height = size_of(person.photo)
        assert width == height <= THUMBNAIL


def test_a_damaged_or_huge_photo_costs_the_photo_never_the_person():
    damaged = base64.b64encode(b"\xff\xd8\xff\xe0" + bytes(300)).decode()
    huge = base64.b64encode(b"\xff\xd8\xff" + bytes(11 * 1024 * 1024)).decode()
    result = parse_file(card("3.0", f"PHOTO;ENCODING=b;TYPE=JPEG:{damaged}")
                        + card("4.0", f"PHOTO:data:image/jpeg;base64,{huge}", "Huge"))
    assert [(c.name, c.photo) for c in result.contacts] == [("Ada", b""), ("Huge", b"")]
    lines = [str(p) for p in result.problems]
    assert len(lines) == 2 and all("PHOTO: left out: " in line for line in lines), lines
    assert "damaged" in lines[0] and "too large" in lines[1]


def test_linked_photos_are_one_line_per_card():
    (person,) = parse_file(SHARED_FIXTURES / "vcard" / "fullcontact.vcf").contacts
    lines = [str(p) for p in parse_file(SHARED_FIXTURES / "vcard" / "fullcontact.vcf").problems
             if "PHOTO" in str(p)]
    assert person.photo == b"" and len(lines) == 1 and "a link" in lines[0]


def test_imported_photos_are_stored_and_a_merge_fills_a_missing_one(opened):
    kept = contacts.add_contact(opened.backend, "Grace", email="grace@example.org")
    jpeg = base64.b64encode(picture("JPEG")).decode()
    data = (card("4.0", f"PHOTO:data:image/jpeg;base64,{jpeg}", "Ada")
            + card("4.0", f"EMAIL:grace@example.org\r\nPHOTO:data:image/jpeg;base64,{jpeg}",
                   "Grace"))
    summary = apply_import(opened.backend, preview_import(data), "merge")
    assert summary.added == 1 and summary.merged_ids == []
    (ada_id,) = summary.added_ids
    assert size_of(photos.get_photo(ada_id)) == (256, 256)
    assert photos.get_photo(kept.id) is not None  # filled: Grace had none


def test_choosing_a_picture_from_a_file(opened, tmp_path):
    ada = contacts.add_contact(opened.backend, "Ada")
    path = tmp_path / "ada.png"
    path.write_bytes(picture("PNG", (800, 600)))
    stored = photos.set_photo_from_file(opened.backend, ada.id, path)
    assert photos.get_photo(ada.id) == stored and size_of(stored) == (256, 256)
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    with pytest.raises(InvalidInput, match="the picture cannot be used: not a JPEG"):
        photos.set_photo_from_file(opened.backend, ada.id, bad)
    assert photos.get_photo(ada.id) == stored  # a failed choice keeps the old picture
    assert photos.clear_photo(opened.backend, ada.id) and photos.get_photo(ada.id) is None


def test_photos_go_out_in_vcard_and_json_and_come_back(opened, db_path, tmp_path):
    ada = contacts.add_contact(bound(), "Ada", email="ada@example.org")
    stored = photos.set_photo(bound(), ada.id, picture("JPEG"))
    text = exporting.export_contacts("vcard")
    assert "PHOTO:data:image/jpeg;base64," in text
    (back,) = parse_file(text.encode()).contacts
    assert back.photo == stored  # byte for byte
    dump = exporting.export_json(bound())
    assert dump["photos"] == [{"id": 1, "contact_id": ada.id,
                               "photo": base64.b64encode(stored).decode(),
                               "updated_at": dump["photos"][0]["updated_at"]}]
    opened.close()
    from planner.storage.database import open_database

    fresh = open_database(str(tmp_path / "fresh.db"))
    try:
        exporting.import_json(bound(), json.dumps(dump).encode())
        assert photos.get_photo(ada.id) == stored
    finally:
        fresh.close()


@pytest.mark.parametrize(
    ("photo", "words"),
    [
        ("***", "photos[0].photo: not valid base64"),
        (base64.b64encode(b"GIF89" + b"x" * 20).decode(), "not a JPEG, PNG or GIF"),
        (base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(300 * 1024)).decode(), "too large"),
        (42, "photos[0].photo: expected base64 text"),
    ],
)
def test_a_crafted_photo_in_a_dump_is_refused(opened, photo, words):
    ada = contacts.add_contact(opened.backend, "Ada")
    dump = exporting.export_json(opened.backend)
    dump["photos"] = [{"id": 1, "contact_id": ada.id, "photo": photo,
                       "updated_at": "2026-01-01T00:00:00.000000Z"}]
    with pytest.raises(InvalidInput, match=words.replace("[", r"\[").replace("]", r"\]")):
        exporting.import_json(opened.backend, dump, dry_run=True)
