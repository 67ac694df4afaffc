"""The five focus-list formats, rendered from the same list and read back."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from planner.domain.errors import InvalidInput
from planner.domain.focus import FocusCandidate, FocusItem, build_focus_list
from planner.domain.rings import Ring
from planner.export import (
    FOCUS_FORMATS,
    focus_csv,
    focus_ics,
    focus_json,
    focus_md,
    focus_options,
    render_focus,
)

BERLIN = ZoneInfo("Europe/Berlin")
AS_OF = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)  # Monday of 2026-W47
XSS = "<script>alert(1)</script>"


def ago(**kw) -> datetime:
    return AS_OF - timedelta(**kw)


PEOPLE = [
    FocusCandidate(1, "Ada Lovelace", Ring.INNER, 3, ago(days=4), "coffee",
                   channels=("im",), handles={"slack": "@ada"}, latest_note="Shipping v2"),
    FocusCandidate(2, "Bo, \"the\" Builder", Ring.MIDDLE, 14, ago(days=12), "email",
                   email="bo@example.org", channels=("email",)),
    FocusCandidate(3, "Cy", Ring.OUTER, 42, None, email="cy@example.org"),
    FocusCandidate(4, "Dee", Ring.OUTER, 42, ago(days=100), "call", phones=("+44 1",)),
    FocusCandidate(5, "Eve", Ring.INNER, 3, ago(days=1), "im", channels=("github",),
                   handles={"github": "eve"}),
]


@pytest.fixture
def week():
    return build_focus_list(PEOPLE, "2026-W47", as_of=AS_OF, tz=BERLIN)


def one(name: str, note: str = "", ring: Ring = Ring.INNER, cid: int = 9):
    cand = FocusCandidate(cid, name, ring, 3, ago(days=5), latest_note=note)
    return build_focus_list([cand], "2026-W47", as_of=AS_OF, tz=BERLIN)


# --------------------------------------------------------------- dispatch


@pytest.mark.parametrize("fmt", ["md", "csv", "html", "ics", "json"])
def test_every_format_renders_every_person(week, fmt):
    text = render_focus(week, fmt)
    assert isinstance(text, str)
    for item in week.items:
        plain = item.name.replace('"', '""') if fmt == "csv" else item.name
        if fmt == "html":
            plain = plain.replace('"', "&quot;")
        if fmt == "ics":
            plain = plain.replace(",", "\\,")
        if fmt == "json":
            plain = plain.replace('"', '\\"')
        assert plain in text, (fmt, item.name)


def test_formats_registry_and_errors(week):
    assert set(FOCUS_FORMATS) == {"md", "csv", "html", "ics", "json"}
    assert render_focus(week) == render_focus(week, "md") == render_focus(week, "Markdown")
    assert render_focus(week, ".ICS") == render_focus(week, "ics")
    with pytest.raises(InvalidInput, match="unknown focus list format 'pdf'"):
        render_focus(week, "pdf")
    with pytest.raises(InvalidInput, match="csv format has no option colour"):
        render_focus(week, "csv", colour=True)
    assert focus_options("csv") == ("escape_formulas", "bom")
    assert focus_options("ics") == ("events",)


# --------------------------------------------------------------- Markdown


def test_markdown_title_and_groups(week):
    text = render_focus(week, "md")
    lines = text.splitlines()
    assert lines[0] == "# Focus for week 47, 2026 (16–22 Nov)"
    headings = [line for line in lines if line.startswith("## ")]
    assert headings == ["## Inner", "## Middle", "## Outer"]
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    by_heading = {s.split("\n", 1)[0]: s for s in sections}
    assert "**Ada Lovelace**" in by_heading["Inner"] and "**Eve**" in by_heading["Inner"]
    assert "**Cy**" in by_heading["Outer"] and "**Dee**" in by_heading["Outer"]
    assert "Ada" not in by_heading["Outer"]


def test_markdown_line_format(week):
    text = render_focus(week, "md")
    assert (
        "- [ ] **Ada Lovelace** — overdue by 1 day, last touch Thu 12 Nov (Coffee) — "
        "Quick check-in on IM (@ada)\n  - Note: Shipping v2\n"
    ) in text
    assert "- [ ] **Cy** — never contacted — Reach out by email" in text
    assert len([ln for ln in text.splitlines() if ln.startswith("- [ ] ")]) == len(week.items)
    assert "Note:" not in render_focus(week, "md", notes=False)


def test_markdown_escapes_names_and_notes():
    evil = "**Bob** [x](http://e.vil) <b>`c`</b>\n- [ ] fake"
    # the note's own Markdown is read as text first ("**Bring**" is "Bring", its "\_" a
    # literal "_"), then escaped for the export like any other text
    text = render_focus(one(evil, note=r"**Bring** \_under\_ | pipe"), "md")
    item_lines = [ln for ln in text.splitlines() if ln.startswith("- [ ]")]
    assert len(item_lines) == 1  # the newline in the name did not start a new item
    # "(", ")" and ">" need no escape once "[" and "<" have one (issue 20: plain to read)
    assert r"**\*\*Bob\*\* \[x\](http://e.vil) \<b>\`c\`\</b> - \[ \] fake**" in text
    assert r"Note: Bring \_under\_ \| pipe" in text


def test_markdown_leaves_addresses_and_phone_numbers_readable():
    """No \\_ or \\+ in what a person copies into a chat or a notes app (issue 20)."""
    assert focus_md.escape("+44 (0)20 7946 0018") == "+44 (0)20 7946 0018"
    assert focus_md.escape("priya_raman@example.org") == "priya_raman@example.org"
    assert focus_md.escape("@ada_l #python!") == "@ada_l #python!"
    assert focus_md.escape("_starts and ends_") == r"\_starts and ends\_"
    assert focus_md.escape("a &amp; b & c") == r"a \&amp; b & c"


def test_markdown_title_across_months_and_years():
    assert "(30 Nov – 6 Dec)" in render_focus(build_focus_list([], "2026-W49", as_of=AS_OF,
                                                               tz=BERLIN), "md")
    new_year = build_focus_list([], "2026-W53", as_of=AS_OF, tz=BERLIN)
    text = render_focus(new_year, "md")
    assert text.startswith("# Focus for week 53, 2026 (28 Dec 2026 – 3 Jan 2027)")
    assert "Nobody needs you this week." in text


# --------------------------------------------------------------------- CSV


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_has_a_header_and_one_row_per_person(week):
    text = render_focus(week, "csv")
    assert text.splitlines()[0] == ",".join(focus_csv.COLUMNS)
    rows = read_csv(text)
    assert [r["name"] for r in rows] == [i.name for i in week.items]
    assert [r["rank"] for r in rows] == [str(n) for n in range(1, len(week.items) + 1)]
    ada = next(r for r in rows if r["contact_id"] == "1")
    assert ada["status"] == "overdue" and ada["days_overdue"] == "1"
    assert ada["last_touch"] == "2026-11-12T10:00:00+01:00"
    assert ada["urgency"] == "1.33" and ada["week"] == "2026-W47"
    assert next(r for r in rows if r["name"] == "Cy")["urgency"] == ""
    assert text.endswith("\r\n")


INJECTIONS = ['=HYPERLINK("http://evil","x")', "+1", "-5", "@x", "\tx", "\rx", "\nx"]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_csv_neutralises_formula_cells(payload):
    rows = read_csv(render_focus(one(payload, note="fine"), "csv"))
    assert rows[0]["name"] == "'" + payload
    assert rows[0]["note"] == "fine"
    assert focus_csv.neutralise(payload) == "'" + payload


def test_csv_leaves_harmless_cells_alone():
    for cell in ["Ada", "x=1", "a-b", "", " =x", "'=x"]:
        assert focus_csv.neutralise(cell) == cell


def test_csv_note_injection_cases():
    for payload in ["+1", "-5", "@x", "=1+1", "  +44 20 7946 0000"]:
        rows = read_csv(render_focus(one("Safe", note=payload), "csv"))
        assert rows[0]["note"] == "'" + payload.strip()  # the note's first line, trimmed
        assert rows[0]["name"] == "Safe"


def test_csv_escaping_can_be_turned_off():
    name = '=HYPERLINK("http://evil","x")'
    rows = read_csv(render_focus(one(name, note="-5"), "csv", escape_formulas=False))
    assert rows[0]["name"] == name and rows[0]["note"] == "-5"


def test_csv_bom_option(week):
    assert render_focus(week, "csv", bom=True).startswith("\ufeffrank,")
    assert not render_focus(week, "csv").startswith("\ufeff")


# -------------------------------------------------------------------- HTML


def test_html_is_a_self_contained_page(week):
    text = render_focus(week, "html")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    assert "<style>" in text and "@media print" in text
    assert not re.search(r"(src|href)\s*=", text)  # nothing loaded from anywhere
    assert "<script" not in text
    assert 'class="status status-overdue"' in text and 'class="status status-never"' in text
    assert "<h2>Inner</h2>" in text and "<h2>Outer</h2>" in text


def test_html_escapes_every_value():
    text = render_focus(one(XSS, note=XSS + ' "q" & \'s\''), "html")
    assert "<script" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&quot;q&quot; &amp; &#x27;s&#x27;" in text


# --------------------------------------------------------------------- ICS


def parse_ics(text: str) -> Calendar:
    return Calendar.from_ical(text)


def test_ics_tasks_parse_back_with_due_dates_and_unique_uids(week):
    cal = parse_ics(render_focus(week, "ics"))
    assert str(cal["VERSION"]) == "2.0" and "Mentorship Planner" in str(cal["PRODID"])
    todos = cal.walk("VTODO")
    assert len(todos) == len(week.items)
    uids = [str(t["UID"]) for t in todos]
    assert len(set(uids)) == len(uids)
    assert "focus-2026-W47-1@mentorship-planner" in uids
    for todo, item in zip(todos, week.items, strict=True):
        assert todo.decoded("DUE") == item.next_due
        assert todo.decoded("DTSTAMP") == AS_OF
        assert str(todo["SUMMARY"]) == f"Reach out to {item.name}"
        assert item.action in str(todo["DESCRIPTION"])
    ada = todos[[i.contact_id for i in week.items].index(1)]
    assert ada.decoded("DUE") == datetime(2026, 11, 15, 9, 0, tzinfo=UTC)  # overdue: in the past
    assert "@ada" in str(ada["DESCRIPTION"]) and "Shipping v2" in str(ada["DESCRIPTION"])


def test_ics_uids_are_stable_across_renders(week):
    later = build_focus_list(PEOPLE, "2026-W47", as_of=AS_OF + timedelta(hours=5), tz=BERLIN)
    def uids(focus_list):
        todos = parse_ics(render_focus(focus_list, "ics")).walk("VTODO")
        return sorted(str(todo["UID"]) for todo in todos)

    assert uids(week) == uids(later) and len(uids(week)) == len(week.items)


def test_ics_events_are_all_day_and_clamped_into_the_week(week):
    cal = parse_ics(render_focus(week, "ics", events=True))
    assert cal.walk("VTODO") == []
    events = cal.walk("VEVENT")
    assert len(events) == len(week.items)
    by_uid = {str(e["UID"]): e for e in events}
    for item in week.items:
        event = by_uid[f"focus-2026-W47-{item.contact_id}-day@mentorship-planner"]
        start = event.decoded("DTSTART")
        assert type(start) is date and event.decoded("DTEND") == start + timedelta(days=1)
        assert date(2026, 11, 16) <= start <= date(2026, 11, 22)
        assert start == focus_ics.event_day(item, week)
    eve = by_uid["focus-2026-W47-5-day@mentorship-planner"]
    assert eve.decoded("DTSTART") == date(2026, 11, 18)  # due Wed 18 Nov, inside the week
    dee = by_uid["focus-2026-W47-4-day@mentorship-planner"]
    assert dee.decoded("DTSTART") == date(2026, 11, 16)  # long overdue → Monday


# -------------------------------------------------------------------- JSON


def test_json_has_the_documented_fields(week):
    data = json.loads(render_focus(week, "json"))
    assert tuple(data) == focus_json.TOP_FIELDS
    assert data["week"] == "2026-W47" and data["timezone"] == "Europe/Berlin"
    assert data["week_start"] == "2026-11-15T23:00:00+00:00"
    assert data["week_end"] == "2026-11-22T22:59:59.999999+00:00"
    assert data["as_of"] == "2026-11-16T09:00:00+00:00"
    assert [i["name"] for i in data["items"]] == [i.name for i in week.items]
    item_fields = {f.name for f in dataclasses.fields(FocusItem)}
    for entry in data["items"]:
        assert tuple(entry) == focus_json.ITEM_FIELDS
        assert item_fields <= set(entry)


def test_json_values(week):
    data = json.loads(render_focus(week, "json"))
    cy = next(i for i in data["items"] if i["name"] == "Cy")
    assert cy["urgency"] is None and cy["last_touch"] is None and cy["status"] == "never"
    assert cy["days_overdue"] == 0 and cy["next_due"] == "2026-11-16T09:00:00+00:00"
    ada = next(i for i in data["items"] if i["contact_id"] == 1)
    assert ada["last_touch"] == "2026-11-12T09:00:00+00:00" and ada["ring"] == "inner"
    assert ada["urgency"] == pytest.approx(4 / 3) and ada["address"] == "@ada"
    assert "Infinity" not in render_focus(week, "json")


def test_json_field_table_documents_every_field():
    doc = focus_json.__doc__ or ""
    for name in focus_json.TOP_FIELDS + focus_json.ITEM_FIELDS:
        assert f"``{name}``" in doc, name


def test_markdown_escape_helper_is_single_line():
    assert focus_md.escape("a\r\nb\u2028c") == "a b c"


def test_a_day_more_than_half_a_year_away_says_its_year():
    """This week showed a last touch of a year ago as "last touch Thu 4 Dec", read as
    three days ago; it says the year when the day is over half a year from the list's."""
    from datetime import UTC, datetime

    from planner.export.focus_common import day_text

    today = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    assert day_text(datetime(2025, 12, 4, 12, tzinfo=UTC), UTC, today) == "Thu 4 Dec 2025"
    assert day_text(datetime(2026, 12, 4, 12, tzinfo=UTC), UTC, today) == "Fri 4 Dec"
    assert day_text(datetime(2026, 7, 1, 12, tzinfo=UTC), UTC, today) == "Wed 1 Jul"
    assert day_text(datetime(2027, 1, 2, 12, tzinfo=UTC), UTC, today) == "Sat 2 Jan"


def test_ics_a_birthday_wish_is_due_on_the_birthday():
    """Bea is on track (due in five weeks) and in the list for her birthday tomorrow:
    the task was due in five weeks at priority 9, the event on Sunday, after it."""
    from planner.domain.contact import Birthday

    bea = FocusCandidate(7, "Bea", Ring.OUTER, 42, ago(days=7), "coffee",
                         birthday=Birthday(11, 17, 1986))
    cy = PEOPLE[2]  # never contacted, no birthday: due now, as before
    focus = build_focus_list([bea, cy], "2026-W47", as_of=AS_OF, tz=BERLIN)
    todos = {str(t["UID"]): t for t in parse_ics(render_focus(focus, "ics")).walk("VTODO")}
    task = todos["focus-2026-W47-7@mentorship-planner"]
    assert "happy birthday (40 tomorrow)" in str(task["DESCRIPTION"])
    assert task.decoded("DUE") == date(2026, 11, 17) and int(task["PRIORITY"]) == 5
    assert "DUE;VALUE=DATE:20261117" in render_focus(focus, "ics").replace("\r\n ", "")
    assert todos["focus-2026-W47-3@mentorship-planner"].decoded("DUE") == AS_OF
    events = parse_ics(render_focus(focus, "ics", events=True)).walk("VEVENT")
    day = {str(e["UID"]): e.decoded("DTSTART") for e in events}
    assert day["focus-2026-W47-7-day@mentorship-planner"] == date(2026, 11, 17)
    assert day["focus-2026-W47-3-day@mentorship-planner"] == date(2026, 11, 16)
