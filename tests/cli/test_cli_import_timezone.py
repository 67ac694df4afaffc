"""``planner import`` keeps a person's time zone: a vCard's ``TZ`` (a zone name, or a UTC
offset kept as the fixed zone of that offset) and a CSV's time zone column; a value that
names no zone is said in the preview's problems, never dropped in silence."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.cli import as_json, invoke, ok

VCARDS = Path(__file__).parents[3] / "shared" / "fixtures" / "vcard"


def _zones(db_path) -> dict[str, str]:
    return {c["name"]: c["timezone"] for c in as_json(invoke("contacts", "list", "--json",
                                                             db=db_path))}


def _vcard(*cards: tuple[str, str, str]) -> bytes:
    text = "".join(f"BEGIN:VCARD\r\nVERSION:{version}\r\nFN:{name}\r\n{tz}\r\nEND:VCARD\r\n"
                   for version, name, tz in cards)
    return text.encode()


def test_a_vcard_time_zone_is_kept_and_one_that_names_no_zone_is_said(db_path, tmp_path):
    path = tmp_path / "zones.vcf"
    path.write_bytes(_vcard(
        ("3.0", "Ada Text", "TZ;VALUE=text:America/New_York"),
        ("4.0", "Bea Lower", "TZ:europe/berlin"),  # normalised as `contacts --timezone` is
        ("3.0", "Cy Offset", "TZ:+02:00"),
        ("3.0", "Di Rfc", "TZ;VALUE=text:-05:00; EST; Raleigh/North America"),
        ("4.0", "Ed Mars", "TZ:Mars/Base"),
        ("3.0", "Flo Half", "TZ:+05:30"),
        ("4.0", "Gus Utc", "TZ;VALUE=utc-offset:+0000"),
    ))
    out = ok(invoke("import", str(path), db=db_path))
    assert "7 added" in out
    assert ("card 5 (line 24): TZ: left out: 'Mars/Base' is not a time zone of the time "
            "zone database") in out
    assert "card 6 (line 29): TZ: left out: +05:30 is a UTC offset that no fixed time zone "\
        "has" in out
    assert ("card 3 (line 14): TZ: the UTC offset +02:00 was kept as the fixed time zone "
            "Etc/GMT-2 (no daylight saving time)") in out
    assert _zones(db_path) == {
        "Ada Text": "America/New_York", "Bea Lower": "Europe/Berlin", "Cy Offset": "Etc/GMT-2",
        "Di Rfc": "EST",  # of the parts of a 3.0 text value, a name before an offset
        "Ed Mars": "", "Flo Half": "", "Gus Utc": "UTC",
    }


def test_the_rfc6350_example_cards_offset_is_kept(db_path):
    out = ok(invoke("import", str(VCARDS / "rfc6350-example.vcf"), db=db_path))
    assert "TZ: the UTC offset -0500 was kept as the fixed time zone Etc/GMT+5" in out
    assert _zones(db_path) == {"Simon Perreault": "Etc/GMT+5"}


def test_a_merge_fills_an_empty_time_zone_and_keeps_one_set(db_path, tmp_path):
    ok(invoke("contacts", "add", "Ada Lovelace", "--email", "ada@example.org", db=db_path))
    ok(invoke("contacts", "add", "Bob Byte", "--email", "bob@example.org",
              "--timezone", "Asia/Tokyo", db=db_path))
    path = tmp_path / "again.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.org\r\n"
        b"TZ:Europe/London\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Bob Byte\r\nEMAIL:bob@example.org\r\n"
        b"TZ:Europe/London\r\nEND:VCARD\r\n")
    out = ok(invoke("import", str(path), "--on-duplicate", "merge", db=db_path))
    assert "1 merged" in out
    assert _zones(db_path) == {"Ada Lovelace": "Europe/London", "Bob Byte": "Asia/Tokyo"}


def test_a_csv_time_zone_column_is_read_by_name_or_by_map(db_path, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("Name,Email,Time Zone\nAda,ada@example.org,asia/tokyo\n"
                    "Bob,bob@example.org,-03:00\nCy,cy@example.org,Atlantis\n", encoding="utf-8")
    out = ok(invoke("import", str(path), db=db_path))
    assert "line 4: Time Zone: left out: 'Atlantis' is not a time zone" in out
    assert "line 3: Time Zone: the UTC offset -03:00 was kept as the fixed time zone "\
        "Etc/GMT+3" in out
    assert _zones(db_path) == {"Ada": "Asia/Tokyo", "Bob": "Etc/GMT+3", "Cy": ""}
    other = tmp_path / "other.csv"
    other.write_text("Who,Mail,Where they are\nDi,di@example.org,America/Chicago\n",
                     encoding="utf-8")
    ok(invoke("import", str(other), "--map", "name=Who", "--map", "email=Mail",
              "--map", "timezone=Where they are", db=db_path))
    assert _zones(db_path)["Di"] == "America/Chicago"


def test_a_time_zone_column_left_out_of_a_chosen_mapping_is_said(db_path, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("Name,Zeitzone\nAda,Europe/Berlin\n", encoding="utf-8")
    out = ok(invoke("import", str(path), "--map", "name=Name", "--dry-run", db=db_path))
    assert 'not imported: time zones (column "Zeitzone", filled in 1 row): no field was '\
        "chosen for them" in out
