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
    handles: list[tuple[str, str]] = field(default_factory=list)  # (service, column)
    notes_from: list[tuple[str, str]] = field(default_factory=list)  # (column, template)
    # email column -> its type columns; Google marks the primary one "* Home"
    preferred: dict[str, tuple[str, ...]] = field(default_factory=dict)


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
            "Assistant's Phone",
        ],
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


def guess_mapping(columns: list[str]) -> dict[str, str]:
    """Pre-fill the mapping dialog: our field -> the first column that looks like it."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for column in columns:
        found = _HANDLE_HEADER.match(column.strip())
        if found and f"handle:{found.group(1).lower()}" not in mapping:
            mapping[f"handle:{found.group(1).lower()}"] = column
            used.add(column)
    for key, synonyms in _SYNONYMS.items():
        for column in columns:
            if column not in used and key not in mapping and _normal(column) in synonyms:
                mapping[key] = column
                used.add(column)
    return mapping
