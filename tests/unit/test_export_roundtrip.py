"""What our exporter writes, our importer reads back identically (issue 19): vCard 4.0
with photos, and CSV, for generated people (bounded examples: seconds, not minutes)."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from PIL import Image

from planner.domain.contact import Birthday, Contact, clean_name, clean_note, clean_text
from planner.domain.errors import InvalidInput
from planner.export.contacts_csv import write_contacts_csv
from planner.export.contacts_vcard import write_vcards
from planner.importers import parse_file
from planner.importers.photos import thumbnail

LETTERS = st.characters(codec="utf-8", categories=("L", "N", "Zs", "Pd", "Po", "Ps", "Pe"),
                        exclude_characters="\x85\u2028\u2029")
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def one_line(max_size: int):
    def clean(text: str) -> str:
        try:
            return clean_text(" ".join(text.split()), "x")
        except InvalidInput:
            return ""
    return st.text(LETTERS, max_size=max_size).map(clean)


@st.composite
def photos(draw) -> bytes:
    side = draw(st.integers(8, 300))
    colour = tuple(draw(st.integers(0, 255)) for _ in range(3))
    image = Image.new("RGB", (side, side + draw(st.integers(0, 40))), colour)
    out = io.BytesIO()
    image.save(out, draw(st.sampled_from(["JPEG", "PNG", "GIF"])))
    return thumbnail(out.getvalue())


@st.composite
def people(draw) -> tuple[Contact, bytes | None]:
    name = draw(one_line(40))
    try:
        name = clean_name(name)
    except InvalidInput:
        assume(False)
    assume(not name.startswith(("*", "'")))
    user = draw(st.from_regex(r"[a-z][a-z0-9._-]{0,10}", fullmatch=True))
    domain = draw(st.from_regex(r"[a-z]{1,10}(\.[a-z]{2,4})?", fullmatch=True))
    phones = draw(st.lists(st.from_regex(r"\+?[0-9]{1,4}( [0-9]{2,4}){0,3}", fullmatch=True),
                           max_size=3, unique=True))
    tags = draw(st.lists(one_line(12).filter(
        lambda t: t and ";" not in t and t.casefold() not in ("mycontacts", "my contacts")
        and not t.startswith("*")), max_size=3, unique_by=str.casefold))
    year = draw(st.none() | st.integers(1901, 2020))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    notes = draw(st.text(LETTERS | st.just("\n"), max_size=80))
    try:
        notes = clean_note(notes)
    except InvalidInput:
        notes = ""
    contact = Contact(
        id=1,
        name=name,
        email=f"{user}@{domain}" if draw(st.booleans()) else "",
        phones=tuple(phones),
        handles=draw(st.sampled_from([{}, {"github": "ada-l"}, {"skype": "ada.l"},
                                      {"website": "https://ada.example.org/about"}])),
        tags=tuple(tags),
        birthday=draw(st.none() | st.just(Birthday(month, day, year))),
        organization=draw(one_line(30)),
        title=draw(one_line(30)),
        notes=notes,
    )
    return contact, draw(st.none() | photos())


def assert_same(contact: Contact, back) -> None:
    assert back.name == contact.name
    assert back.emails == ([contact.email] if contact.email else [])
    assert back.phones == list(contact.phones)
    assert (back.organization, back.title) == (contact.organization, contact.title)
    assert back.birthday == contact.birthday
    assert back.tags == list(contact.tags)
    assert back.notes == contact.notes
    assert back.handles == contact.handles


@SETTINGS
@given(people())
def test_a_vcard_we_write_comes_back_identical_photo_included(person):
    contact, photo = person
    text = write_vcards([contact], {contact.id: photo} if photo else {})
    (back,) = parse_file(text.encode("utf-8")).contacts
    assert_same(contact, back)
    assert back.photo == (photo or b"")


@SETTINGS
@given(people())
def test_a_csv_we_write_comes_back_identical(person):
    contact, _photo = person
    text = write_contacts_csv([contact])
    (back,) = parse_file(text.encode("utf-8")).contacts
    assert_same(contact, back)
