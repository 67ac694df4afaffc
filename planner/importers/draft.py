"""A person being assembled from one vCard or one CSV row.

Both importers feed values into a :class:`Draft` property by property. A bad
value costs only itself: it is recorded as an :class:`ImportProblem` (where,
which field, why) and the rest of the person still arrives. Limits match the
domain (``planner.domain.contact``) so the services never refuse an imported
record that the preview showed as fine.
"""

from __future__ import annotations

from planner.domain.contact import MAX_FIELD, MAX_NAME, MAX_TEXT, Birthday
from planner.importers import values
from planner.importers.records import ImportedContact, ImportProblem


class Draft:
    """Collects one person's values and the problems met on the way."""

    def __init__(self, source: str, line: int, problems: list[ImportProblem]):
        self.source = source  # the whole card or row, for the preview
        self.where = source  # the property being read; vCard narrows it to a line
        self.line = line
        self.problems = problems
        self.full_name = ""
        self.name_parts: list[str] = []
        self.emails: list[tuple[bool, str]] = []
        self.phones: list[tuple[bool, str]] = []
        self.handles: dict[str, str] = {}
        self.organization = ""
        self.title = ""
        self.birthday: Birthday | None = None
        self.timezone = ""
        self.notes: list[str] = []
        self.more: dict[str, list[str]] = {}  # a second organisation or job title, for notes
        self.tags: list[str] = []
        self.photo = b""  # a thumbnail already made (planner.importers.photos)
        self.photo_noted = False  # a picture that could not be used was reported

    def problem(self, field: str, message: str, *, lost: bool = True) -> None:
        self.problems.append(ImportProblem(self.where, field, message, lost))

    def set_full_name(self, text: str) -> None:
        self.full_name = self.full_name or values.one_line(text)

    def set_name_parts(self, parts: list[str]) -> None:
        if not self.name_parts:
            self.name_parts = [p for p in (values.one_line(x) for x in parts) if p]

    def add_email(self, text: str, field: str, preferred: bool = False) -> None:
        try:
            self.emails.append((not preferred, values.email_value(text)))
        except ValueError as err:
            if str(err) != "empty":
                self.problem(field, f"left out: {err}")

    def add_phone(self, text: str, field: str, preferred: bool = False) -> None:
        try:
            self.phones.append((not preferred, self._limited(values.phone_value(text))))
        except ValueError as err:
            if str(err) != "empty":
                self.problem(field, f"left out: {err}")

    def add_handle(self, service: str, text: str, field: str) -> None:
        """A second website or messenger name of the same service is kept numbered
        (``website-2``), as a second e-mail is (``email-2``): never dropped silently."""
        service = values.one_line(service).lower()
        value = values.one_line(text)
        if not service or not value:
            return
        key, number = service, 1
        while key in self.handles:
            if self.handles[key] == value:
                return
            number += 1
            key = f"{service}-{number}"
        try:
            self.handles[key] = self._limited(value)
        except ValueError as err:
            self.problem(field, f"left out: {err}")

    def set_organization(self, text: str, field: str) -> None:
        value = self._clipped(values.one_line(text), field, MAX_FIELD)
        if not self.organization:
            self.organization = value
        else:
            self._keep_more("Organisation", self.organization, value)

    def set_title(self, text: str, field: str) -> None:
        value = self._clipped(values.one_line(text), field, MAX_FIELD)
        if not self.title:
            self.title = value
        else:
            self._keep_more("Job title", self.title, value)

    def _keep_more(self, label: str, kept: str, value: str) -> None:
        """A second organisation or job title (the planner keeps one): into the notes,
        numbered, rather than dropped silently."""
        more = self.more.setdefault(label, [])
        if value and value.casefold() != kept.casefold() and value not in more:
            more.append(value)

    def set_birthday(self, text: str, field: str, omit_year: int | None = None) -> None:
        if self.birthday is not None:
            return
        try:
            self.birthday = values.birthday_value(text, omit_year)
        except ValueError as err:
            self.problem(field, f"left out: {err}")

    def set_timezone(self, texts: list[str], field: str) -> None:
        """The first of ``texts`` that names a time zone (a vCard 3.0 ``TZ`` may say
        ``-05:00; EST; Raleigh/North America``); a name wins over a UTC offset, which is
        kept as a fixed zone and said so. None usable: the value is reported left out."""
        if self.timezone:
            return
        found: list[tuple[bool, str, str]] = []  # (a fixed offset, zone, as written)
        error = ""
        for text in texts:
            try:
                zone, fixed = values.timezone_value(text)
            except ValueError as err:
                error = error or ("" if str(err) == "empty" else str(err))
                continue
            found.append((fixed, zone, values.one_line(text)))
        if not found:
            if error:
                self.problem(field, f"left out: {error}")
            return
        fixed, self.timezone, written = min(found, key=lambda item: item[0])  # a name first
        if fixed:
            self.problem(field, f"the UTC offset {written} was kept as the fixed time zone "
                         f"{self.timezone} (no daylight saving time)", lost=False)

    def add_tags(self, tags: list[str]) -> None:
        self.tags.extend(t for t in (values.one_line(x)[:MAX_FIELD] for x in tags) if t)

    def add_note(self, text: str) -> None:
        note = values.multi_line(text)
        if note:
            self.notes.append(note)

    def finish(self, name_from_phone: bool = True) -> ImportedContact | None:
        """The person, or None when there is nothing to call them by.

        Someone with only a phone number is named after it (a phone book entry),
        unless ``name_from_phone`` is False (a card cut short: the number may be too).
        """
        emails = values.unique([e for _, e in sorted(self.emails, key=lambda p: p[0])])
        phones = values.unique([p for _, p in sorted(self.phones, key=lambda p: p[0])])
        name = (
            self.full_name
            or " ".join(self.name_parts)
            or self.organization
            or (emails[0] if emails else "")
        )
        if not name and phones and name_from_phone:
            name = phones[0]  # a phone book entry with only a number is still someone
            self.where = self.source
            self.problem("name", "no name in the file: named after the phone number",
                         lost=False)
        if not name:
            return None
        return ImportedContact(
            name=self._clipped(name, "name", MAX_NAME),
            emails=emails,
            phones=phones,
            handles=dict(self.handles),
            organization=self.organization,
            title=self.title,
            birthday=self.birthday,
            timezone=self.timezone,
            notes=self._clipped("\n\n".join(self.notes + self._more_notes()), "notes",
                                MAX_TEXT),
            tags=values.unique(self.tags),
            photo=self.photo,
            source=self.source,
            line=self.line,
        )

    def _more_notes(self) -> list[str]:
        return [f"{label} {number}: {value}" for label, more in self.more.items()
                for number, value in enumerate(more, 2)]

    @staticmethod
    def _limited(value: str) -> str:
        if len(value) > MAX_FIELD:
            raise ValueError(f"longer than {MAX_FIELD} characters")
        return value

    def _clipped(self, value: str, field: str, limit: int) -> str:
        if len(value) <= limit:
            return value
        self.problem(field, f"shortened to the first {limit} characters")
        return value[:limit].rstrip()
