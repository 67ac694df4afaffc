"""Importing people into a team database: new people take their ids from the table's
sequence, so adding someone afterwards (or a teammate adding at the same time) never
collides with an imported id."""

from __future__ import annotations

from tests.cli.test_cli_transfer import VCARDS
from tests.helpers.cli import as_json, invoke, ok


def test_people_added_after_an_import_get_fresh_ids(db_path):
    out = ok(invoke("import", str(VCARDS / "gmail-list.vcf"), db=db_path))
    assert "Imported: 3 added" in out
    ok(invoke("contacts", "add", "Added Later", db=db_path))
    ok(invoke("import", str(VCARDS / "gmail-list.vcf"), "--on-duplicate", "add", db=db_path))
    people = as_json(invoke("contacts", "list", "--json", db=db_path))
    ids = [p["id"] for p in people]
    assert len(people) == 7 and len(set(ids)) == 7
    assert "Added Later" in {p["name"] for p in people}


def test_ids_come_from_the_sequence_even_when_rows_were_written_around_it(db_path):
    # a teammate's client inserted with the sequence meanwhile: the import must not reuse
    ok(invoke("contacts", "add", "First", db=db_path))
    db_path.pg.sql("SELECT nextval(pg_get_serial_sequence('contact', 'id')) "
                   "FROM generate_series(1, 5)")
    ok(invoke("import", str(VCARDS / "gmail-list.vcf"), db=db_path))
    ok(invoke("contacts", "add", "Last", db=db_path))
    ids = [p["id"] for p in as_json(invoke("contacts", "list", "--json", db=db_path))]
    assert len(set(ids)) == 5 and max(ids) >= 9


def test_a_photo_is_imported_and_exported_on_a_team_database(db_path, tmp_path):
    """contact_photo (schema 5) exists on a team database too (issue 19)."""
    import base64
    import io
    import json

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 120, 200)).save(out, "JPEG")
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Photo\r\nEMAIL:ada.photo@example.org\r\n"
            f"PHOTO;ENCODING=b;TYPE=JPEG:{base64.b64encode(out.getvalue()).decode()}\r\n"
            "END:VCARD\r\n")
    path = tmp_path / "ada.vcf"
    path.write_text(card)
    assert "Imported: 1 added" in ok(invoke("import", str(path), db=db_path))
    assert "PHOTO:data:image/jpeg;base64," in ok(invoke("export", "--format", "vcard",
                                                         db=db_path))
    dump = json.loads(ok(invoke("export", db=db_path)))
    (photo,) = dump["photos"]
    image = Image.open(io.BytesIO(base64.b64decode(photo["photo"])))
    assert image.size == (200, 200)
