"""Which columns of each known CSV export hold which part of a person.

A :class:`Spec` lists, per field, the columns to read (the first non-empty
one wins for single values; all are read for emails, phones and tags).
Google, Outlook and LinkedIn get a spec built from their actual header, since
Google numbers its columns ("E-mail 3 - Value") and renamed them in 2023; any
other CSV gets one from a user's column mapping, which :func:`guess_mapping`
pre-fills.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planner.domain.errors import InvalidInput
from planner.importers.column_kinds import KEPT, NOT_KEPT, column_kind

# Mapping keys a user (or guess_mapping) can assign a column to.
MAPPING_FIELDS = (
    "name",
    "first_name",
    "last_name",
    "email",
    "phone",
    "organization",
    "title",
    "notes",
    "tags",
    "birthday",
    "timezone",
)
URL_SERVICE = "url"  # a handle column whose service is decided by the URL itself

_SYNONYMS = {
    "name": ("name", "full name", "display name", "contact name", "contact", "person"),
    "first_name": ("first name", "given name", "firstname", "first", "forename"),
    "last_name": ("last name", "family name", "surname", "lastname", "last"),
    "email": (
        "email",
        "e mail",
        "email address",
        "e mail address",
        "mail",
        "primary email",
        "e mail 1 value",
        "emails",
    ),
    "phone": (
        "phone",
        "phones",
        "telephone",
        "tel",
        "mobile",
        "mobile phone",
        "cell",
        "phone number",
        "phone 1 value",
    ),
    "organization": (
        "organization",
        "organisation",
        "company",
        "org",
        "employer",
        "organization name",
        "organization 1 name",
    ),
    "title": ("title", "job title", "position", "role", "organization title"),
    "notes": ("notes", "note", "comments", "comment", "description", "remarks"),
    "tags": ("tags", "tag", "labels", "categories", "groups", "group membership"),
    "birthday": ("birthday", "birth date", "date of birth", "dob", "bday", "born"),
    "timezone": ("timezone", "time zone", "tz"),
    "handle:twitter": ("twitter", "twitter handle", "x handle"),
    "handle:linkedin": ("linkedin", "linkedin url", "linkedin profile"),
    "handle:github": ("github", "github handle"),
    "handle:skype": ("skype",),
    "handle:mastodon": ("mastodon",),
    "handle:website": ("website", "web page", "homepage", "url", "web site"),
}
_HANDLE_HEADER = re.compile(r"^handle\s*[:(]\s*([\w.+-]+)\s*\)?$", re.IGNORECASE)


@dataclass
class Spec:
    """Column names per field; missing columns are simply skipped."""

    name: list[str] = field(default_factory=list)
    first: list[str] = field(default_factory=list)
    middle: list[str] = field(default_factory=list)
    last: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    organization: list[str] = field(default_factory=list)
    title: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    birthday: list[str] = field(default_factory=list)
    timezone: list[str] = field(default_factory=list)
    handles: list[tuple[str, str]] = field(default_factory=list)  # (service, column)
    notes_from: list[tuple[str, str]] = field(default_factory=list)  # (column, template)
    # email column -> its type columns; Google marks the primary one "* Home"
    preferred: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Thunderbird's "Birth Year", "Birth Month", "Birth Day" (any may be missing)
    birthday_parts: tuple[str, str, str] | None = None
    # recognised columns the planner keeps no field for: (kind, column), for the preview
    not_kept: list[tuple[str, str]] = field(default_factory=list)

    def columns(self) -> set[str]:
        """Every column this spec reads (case-folded)."""
        found = [
            *self.name, *self.first, *self.middle, *self.last, *self.emails, *self.phones,
            *self.organization, *self.title, *self.notes, *self.tags, *self.birthday,
            *self.timezone, *(c for _, c in self.handles), *(c for c, _ in self.notes_from),
            *(self.birthday_parts or ()),
        ]
        return {c.casefold() for c in found if c}


def _numbered(header: list[str], pattern: str) -> list[str]:
    """Google's numbered columns ("Phone 2 - Value") in number order."""
    found = [(int(m.group(1)), h) for h in header if (m := re.fullmatch(pattern, h.strip()))]
    return [h for _, h in sorted(found)]


def google_spec(header: list[str]) -> Spec:
    """Both Google layouts: pre-2023 ("Given Name", "Group Membership") and 2023+."""
    emails = _numbered(header, r"E-mail (\d+) - Value")
    return Spec(
        name=["Name"],
        first=["Given Name", "First Name"],
        middle=["Additional Name", "Middle Name"],
        last=["Family Name", "Last Name"],
        emails=emails,
        phones=_numbered(header, r"Phone (\d+) - Value"),
        organization=["Organization 1 - Name", "Organization Name"],
        title=["Organization 1 - Title", "Organization Title"],
        notes=["Notes"],
        tags=["Group Membership", "Labels"],
        birthday=["Birthday"],
        handles=[(URL_SERVICE, h) for h in _numbered(header, r"Website (\d+) - Value")],
        preferred={e: (e.replace("Value", "Type"), e.replace("Value", "Label")) for e in emails},
    )


def outlook_spec(header: list[str]) -> Spec:
    """Outlook's "Title" is Mr/Ms; the job is in "Job Title", the firm in "Company"."""
    return Spec(
        name=["Name", "Display Name"],
        first=["First Name"],
        middle=["Middle Name"],
        last=["Last Name"],
        emails=["E-mail Address", "E-mail 2 Address", "E-mail 3 Address"],
        phones=[
            "Mobile Phone",
            "Primary Phone",
            "Business Phone",
            "Business Phone 2",
            "Home Phone",
            "Home Phone 2",
            "Other Phone",
            "Company Main Phone",
            "Car Phone",
        ],  # ("Assistant's Phone" is the assistant's: named as a related person's detail)
        organization=["Company"],
        title=["Job Title"],
        notes=["Notes"],
        tags=["Categories"],
        birthday=["Birthday"],
        handles=[(URL_SERVICE, "Web Page")],
    )


def linkedin_spec(header: list[str]) -> Spec:
    """LinkedIn Connections.csv: the profile URL is the handle that matters."""
    return Spec(
        first=["First Name"],
        last=["Last Name"],
        emails=["Email Address"],
        organization=["Company"],
        title=["Position"],
        handles=[("linkedin", "URL")],
        notes_from=[("Connected On", "Connected on {}")],
    )


# The published headers of address books whose layout is recognised by name. Thunderbird
# writes its column names in the language of its interface (English, German, French shown;
# the column kinds read any other); Roundcube's is the header of its CSV import/export.
THUNDERBIRD_COLUMNS = {
    "en": (
        "First Name", "Last Name", "Display Name", "Nickname", "Primary Email",
        "Secondary Email", "Screen Name", "Work Phone", "Home Phone", "Fax Number",
        "Pager Number", "Mobile Number", "Home Address", "Home Address 2", "Home City",
        "Home State", "Home ZipCode", "Home Country", "Work Address", "Work Address 2",
        "Work City", "Work State", "Work ZipCode", "Work Country", "Job Title", "Department",
        "Organization", "Web Page 1", "Web Page 2", "Birth Year", "Birth Month", "Birth Day",
        "Custom 1", "Custom 2", "Custom 3", "Custom 4", "Notes",
    ),
    "de": (
        "Vorname", "Nachname", "Anzeigename", "Spitzname", "Primäre E-Mail-Adresse",
        "Sekundäre E-Mail-Adresse", "Chat-Name", "Tel. dienstlich", "Tel. privat",
        "Fax-Nummer", "Pager-Nummer", "Mobil-Tel.-Nr.", "Privat: Adresse", "Privat: Adresse 2",
        "Privat: Ort", "Privat: Bundesland", "Privat: PLZ", "Privat: Land",
        "Dienstlich: Adresse", "Dienstlich: Adresse 2", "Dienstlich: Ort",
        "Dienstlich: Bundesland", "Dienstlich: PLZ", "Dienstlich: Land", "Arbeitstitel",
        "Abteilung", "Organisation", "Webseite 1", "Webseite 2", "Geburtsjahr", "Geburtsmonat",
        "Geburtstag", "Benutzerdef. 1", "Benutzerdef. 2", "Benutzerdef. 3", "Benutzerdef. 4",
        "Notizen",
    ),
    "fr": (
        "Prénom", "Nom de famille", "Nom à afficher", "Surnom", "Adresse électronique principale",
        "Adresse électronique secondaire", "Nom d’utilisateur", "Tél. professionnel",
        "Tél. personnel", "Fax", "Pager", "Portable", "Adresse privée", "Adresse privée 2",
        "Ville", "Pays/État", "Code postal", "Pays/Région", "Adresse professionnelle",
        "Adresse professionnelle 2", "Ville professionnelle", "Pays/État professionnel",
        "Code postal professionnel", "Pays/Région professionnel", "Profession", "Service",
        "Société", "Site Web 1", "Site Web 2", "Année de naissance", "Mois de naissance",
        "Jour de naissance", "Divers 1", "Divers 2", "Divers 3", "Divers 4", "Notes",
    ),
}
ROUNDCUBE_COLUMNS = (
    "First Name", "Middle Name", "Last Name", "Display Name", "Nickname", "Prefix", "Suffix",
    "Email Home", "Email Work", "Email Other", "Phone Home", "Phone Work", "Phone Mobile",
    "Phone Other", "Fax Home", "Fax Work", "Pager", "Company", "Department", "Job Title",
    "Birthday", "Anniversary", "Gender", "Maiden Name", "Assistant", "Manager", "Spouse",
    "Address Home Street", "Address Home City", "Address Home Zip", "Address Home Country",
    "Address Work Street", "Address Work City", "Address Work Zip", "Address Work Country",
    "Web Page", "Web Page Home", "Web Page Work", "Notes", "Groups",
)


def classified_spec(header: list[str]) -> Spec:
    """A spec from what each column says it holds (Thunderbird, Roundcube, any language)."""
    spec = Spec()
    targets = {
        "name": spec.name, "first": spec.first, "middle": spec.middle, "last": spec.last,
        "email": spec.emails, "phone": spec.phones, "organization": spec.organization,
        "title": spec.title, "notes": spec.notes, "tags": spec.tags,
        "birthday": spec.birthday, "timezone": spec.timezone,
    }
    parts: dict[str, str] = {}
    for column in header:
        kind = column_kind(column)
        if kind in targets:
            targets[kind].append(column)
        elif kind in ("birth_year", "birth_month", "birth_day"):
            parts.setdefault(kind, column)
        elif kind == "website":
            spec.handles.append((URL_SERVICE, column))
        elif kind == "im":
            spec.handles.append(("im", column))
        elif kind in NOT_KEPT:
            spec.not_kept.append((kind, column))
    if "birth_year" in parts or "birth_month" in parts:
        if "birth_day" not in parts and spec.birthday:  # German "Geburtstag" beside the year
            parts["birth_day"] = spec.birthday.pop(0)
        spec.birthday_parts = (
            parts.get("birth_year", ""), parts.get("birth_month", ""), parts.get("birth_day", "")
        )
    return spec


def augmented(spec: Spec, header: list[str], left_out: frozenset[str] = frozenset()) -> Spec:
    """``spec`` plus every e-mail and phone column it does not read (any layout brings all
    its addresses in), other recognised fields as fallbacks, and the columns of fields the
    planner does not keep, for the preview's warning.

    ``left_out``: mapping fields (``phone``, ``notes``, ``handle:website``…) a person set
    to "not in the file": nothing is read for them, not even a fallback."""
    read = spec.columns()
    found = classified_spec([c for c in header if c.casefold() not in read])
    if "email" not in left_out:
        spec.emails.extend(found.emails)
    if "phone" not in left_out:
        spec.phones.extend(found.phones)
    for key, mine, theirs in (
        ("organization", spec.organization, found.organization),
        ("title", spec.title, found.title),
        ("birthday", spec.birthday, found.birthday),
        ("timezone", spec.timezone, found.timezone),
    ):
        if key not in left_out:
            mine.extend(theirs)
    if not spec.notes and "notes" not in left_out:
        spec.notes.extend(found.notes)
    if spec.birthday_parts is None and not spec.birthday and "birthday" not in left_out:
        spec.birthday_parts = found.birthday_parts
    names = {"name", "first_name", "last_name"}
    if not spec.name and not spec.first and not spec.last and not names & left_out:
        spec.name, spec.first, spec.middle, spec.last = (
            found.name, found.first, found.middle, found.last
        )
    services = {service for service, _ in spec.handles}
    websites = {"handle:website", "handle:url"} & left_out
    spec.handles.extend(
        h for h in found.handles
        if (h[0] not in services or h[0] == URL_SERVICE) and f"handle:{h[0]}" not in left_out
        and not (h[0] == URL_SERVICE and websites)
    )
    spec.not_kept = list(dict.fromkeys([*spec.not_kept, *found.not_kept]))
    return spec


def with_unmapped(spec: Spec, header: list[str]) -> Spec:
    """A chosen mapping is the user's word: recognised columns it leaves out (another
    e-mail column, say) are not read, but named in the preview when they hold data."""
    read = spec.columns()
    for column in header:
        kind = column_kind(column)
        if column.casefold() not in read and (kind in KEPT or kind in NOT_KEPT):
            spec.not_kept.append((kind, column))
    return spec


def mapping_spec(mapping: dict[str, str]) -> Spec:
    """A spec from "our field -> their column"; refuses a mapping without a name or email."""
    spec = Spec()
    targets = {
        "name": spec.name,
        "first_name": spec.first,
        "last_name": spec.last,
        "email": spec.emails,
        "phone": spec.phones,
        "organization": spec.organization,
        "title": spec.title,
        "notes": spec.notes,
        "tags": spec.tags,
        "birthday": spec.birthday,
        "timezone": spec.timezone,
    }
    for key, column in mapping.items():
        if not column:
            continue
        if key.startswith("handle:") and key[7:].strip():
            spec.handles.append((key[7:].strip().lower(), column))
        elif key in targets:
            targets[key].append(column)
        else:
            raise InvalidInput(f"unknown field {key!r} in the column mapping")
    if not (spec.name or spec.first or spec.last or spec.emails):
        raise InvalidInput("choose which column holds the name or the email address")
    return spec


def _normal(column: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", column.casefold()).split())


def guess_mapping(columns: list[str], samples: dict[str, str] | None = None
                  ) -> dict[str, str]:
    """Pre-fill the mapping dialog: our field -> the column that looks most like it.

    By name first (synonyms), then by what a column says it holds in any language; of
    several columns of one kind (a German Outlook file has eleven phone columns, "Telefon
    Assistent" first), one with a value in ``samples`` (column -> a value from the first
    rows), then a main one (mobile, main, home, work) before a secondary one (assistant,
    car, callback, a second number), then the first."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for column in columns:
        found = _HANDLE_HEADER.match(column.strip())
        if found and f"handle:{found.group(1).lower()}" not in mapping:
            mapping[f"handle:{found.group(1).lower()}"] = column
            used.add(column)

    def empty(column: str) -> bool:
        return samples is not None and not samples.get(column)

    for key, synonyms in _SYNONYMS.items():
        named = [c for c in columns if c not in used and _normal(c) in synonyms]
        if named and key not in mapping and not all(map(empty, named)):
            mapping[key] = min(named, key=empty)  # (min: the first of equals)
            used.add(mapping[key])
    # (a column named as a field but empty in the first rows waits for the next step,
    # where another column of its kind with values comes first)
    named_as = {c: key for key, synonyms in _SYNONYMS.items() for c in columns
                if _normal(c) in synonyms}
    candidates: dict[str, list[str]] = {}
    for column in columns:  # then what the column says it holds, in any language
        kind_key = named_as.get(column) or _KIND_FIELDS.get(column_kind(column) or "")
        if kind_key and column not in used and kind_key not in mapping:
            candidates.setdefault(kind_key, []).append(column)
    for kind_key, of_kind in candidates.items():
        def rank(column: str) -> tuple[bool, bool, int]:
            words = _normal(column)
            return empty(column), column not in named_as, (
                2 if _SECONDARY.search(words) else 0 if _MAIN.search(words) else 1)
        mapping[kind_key] = min(of_kind, key=rank)
    return mapping


#: words of a main column of its kind, and of a secondary one (English, German, French,
#: Spanish exports; a trailing number is a second or third one)
_MAIN = re.compile(r"mobil|\bcell|handy|portable|móvil|celular|\bmain\b|haupt|primary|"
                   r"principal|\bhome\b|privat|\bwork\b|business|geschäftlich|gesch ftlich")
_SECONDARY = re.compile(r"assist|callback|rückmeldung|r ckmeldung|\bcar\b|auto|radio|isdn|"
                        r"telex|tty|tdd|hörbehindert|h rbehindert|\bother\b|weitere|autre|"
                        r"\s[2-9]$")


_KIND_FIELDS = {
    "name": "name", "first": "first_name", "last": "last_name", "email": "email",
    "phone": "phone", "organization": "organization", "title": "title", "notes": "notes",
    "tags": "tags", "birthday": "birthday", "timezone": "timezone",
}
