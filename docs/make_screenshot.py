#!/usr/bin/env python3
"""Regenerate the README screenshot: ``python docs/make_screenshot.py [OUT.png]``.

Builds a realistic throw-away database (3 / 12 / 72 placed people with
international names, a wider network of unplaced people, touchpoints spread
over the last weeks so the halos show every cadence status), opens the real
main window offscreen at 1400×900 and saves it to ``docs/screenshot.png``
(or OUT.png). Nothing in your own data or settings folders is read or written.
The GUI tests call ``build_demo_database`` and ``show_window`` too, so the
script stays working.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_OUT = HERE / "screenshot.png"
SIZE = (1400, 900)
SEED = 7

# (given names, family names, time zone, email domain) — people are named within one culture.
CULTURES = [
    (
        ["Aiko", "Haruto", "Yui", "Sota", "Mei", "Ren"],
        ["Tanaka", "Suzuki", "Watanabe", "Kobayashi", "Sato", "Nakamura"],
        "Asia/Tokyo",
        "jp",
    ),
    (
        ["Priya", "Arjun", "Ananya", "Rohan", "Kavya", "Vikram"],
        ["Raman", "Iyer", "Patel", "Sharma", "Nair", "Gupta"],
        "Asia/Kolkata",
        "in",
    ),
    (
        ["Chidi", "Ngozi", "Emeka", "Adaeze", "Tunde", "Folake"],
        ["Okafor", "Adeyemi", "Eze", "Balogun", "Nwosu", "Okonkwo"],
        "Africa/Lagos",
        "ng",
    ),
    (
        ["Lucía", "Mateo", "Valentina", "Santiago", "Camila", "Diego"],
        ["García", "Fernández", "López", "Martínez", "Ortega", "Ruiz"],
        "Europe/Madrid",
        "es",
    ),
    (
        ["Lena", "Jonas", "Mia", "Felix", "Hannah", "Lukas"],
        ["Müller", "Schmidt", "Becker", "Hoffmann", "Schäfer", "Wagner"],
        "Europe/Berlin",
        "de",
    ),
    (
        ["Olga", "Dmitri", "Anastasia", "Ivan", "Tatiana", "Mikhail"],
        ["Petrova", "Ivanov", "Smirnova", "Volkov", "Sokolova", "Morozov"],
        "Europe/Moscow",
        "ru",
    ),
    (
        ["Wei", "Xiu Ying", "Jun", "Li Na", "Hao", "Mei Lin"],
        ["Zhang", "Wang", "Chen", "Liu", "Huang", "Zhao"],
        "Asia/Shanghai",
        "cn",
    ),
    (
        ["Fatima", "Omar", "Layla", "Youssef", "Amira", "Karim"],
        ["Haddad", "Mansour", "Khalil", "Nasser", "Saleh", "Aziz"],
        "Africa/Cairo",
        "eg",
    ),
    (
        ["João", "Beatriz", "Thiago", "Larissa", "Rafael", "Fernanda"],
        ["Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira"],
        "America/Sao_Paulo",
        "br",
    ),
    (
        ["Sipho", "Zanele", "Thabo", "Naledi", "Lerato", "Bongani"],
        ["Dlamini", "Mbeki", "Nkosi", "Khumalo", "Ndlovu", "Zulu"],
        "Africa/Johannesburg",
        "za",
    ),
    (
        ["Siobhán", "Ciarán", "Aoife", "Niamh", "Oisín", "Eoin"],
        ["Murphy", "O'Brien", "Byrne", "Kelly", "Walsh", "Ryan"],
        "Europe/Dublin",
        "ie",
    ),
    (
        ["Minh", "Linh", "Quang", "Thu", "Bao", "Hoa"],
        ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ"],
        "Asia/Ho_Chi_Minh",
        "vn",
    ),
    (
        ["Emma", "Liam", "Olivia", "Noah", "Ava", "Ethan"],
        ["Johnson", "Brown", "Davis", "Miller", "Wilson", "Taylor"],
        "America/New_York",
        "us",
    ),
    (
        ["Ingrid", "Lars", "Astrid", "Erik", "Sigrid", "Nils"],
        ["Johansson", "Lindqvist", "Berg", "Nilsson", "Larsen", "Hansen"],
        "Europe/Stockholm",
        "se",
    ),
    (
        ["Seo-yeon", "Min-jun", "Ji-woo", "Do-hyun", "Ha-eun", "Ye-jin"],
        ["Kim", "Lee", "Park", "Choi", "Jung", "Kang"],
        "Asia/Seoul",
        "kr",
    ),
    (
        ["Tāne", "Aroha", "Manaia", "Moana", "Wiremu", "Anahera"],
        ["Ngata", "Parata", "Tamihana", "Walker", "Horomona", "Tipene"],
        "Pacific/Auckland",
        "nz",
    ),
    (
        ["Zeynep", "Emre", "Elif", "Burak", "Ayşe", "Mehmet"],
        ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Aydın"],
        "Europe/Istanbul",
        "tr",
    ),
    (
        ["Kwame", "Ama", "Kofi", "Abena", "Yaw", "Esi"],
        ["Mensah", "Owusu", "Asante", "Boateng", "Appiah", "Darko"],
        "Africa/Accra",
        "gh",
    ),
]
ORGANISATIONS = [
    "Python Software Foundation",
    "Mozilla",
    "Wikimedia",
    "KDE",
    "Red Hat",
    "Shopify",
    "Canonical",
    "Andela",
    "GitLab",
    "Apache Software Foundation",
    "University of Nairobi",
    "ETH Zürich",
    "Universidade de São Paulo",
    "Spotify",
    "Rakuten",
    "Tata Consultancy Services",
    "freelance",
    "Open Knowledge Foundation",
]
TITLES = [
    "Staff Engineer",
    "Maintainer",
    "Community Manager",
    "PhD Student",
    "CTO",
    "Developer Advocate",
    "Engineering Manager",
    "Data Scientist",
    "Designer",
    "Technical Writer",
    "Security Researcher",
    "Product Manager",
    "Founder",
]
TAGS = [
    "python",
    "rust",
    "speaker",
    "organiser",
    "mentee",
    "writer",
    "ml",
    "design",
    "security",
    "open-source",
    "accessibility",
    "pyladies",
    "django",
    "research",
]
KINDS = ["coffee", "im", "call", "video", "email", "meal", "in-person", "event", "collab"]
NOTES = [
    "Talked about their move into engineering management; wants a sparring partner for 1:1s.",
    "Preparing a keynote for PyCon; offered to review the slides next week.",
    "Looking for a co-maintainer for the packaging tools; introduce to the Rust folks.",
]


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch == " ").replace(" ", "")


def demo_people(count: int, seed: int = SEED) -> list[dict]:
    """``count`` distinct, plausible people (name, email, time zone, work, tags)."""
    rng = random.Random(seed)
    seen: set[str] = set()
    people = []
    while len(people) < count:
        given, family, zone, tld = rng.choice(CULTURES)
        first, last = rng.choice(given), rng.choice(family)
        name = f"{first} {last}"
        if name in seen:
            continue
        seen.add(name)
        people.append(
            {
                "name": name,
                "email": f"{_ascii(first)}.{_ascii(last)}@example.{tld}"
                if rng.random() < 0.8
                else "",
                "timezone": zone,
                "organization": rng.choice(ORGANISATIONS) if rng.random() < 0.7 else "",
                "title": rng.choice(TITLES) if rng.random() < 0.6 else "",
                "tags": rng.sample(TAGS, rng.randint(0, 3)),
            }
        )
    return people


def build_demo_database(
    path: Path | str,
    *,
    inner: int = 3,
    middle: int = 12,
    outer: int = 72,
    unplaced: int = 28,
    seed: int = SEED,
    now: datetime | None = None,
) -> dict[str, int]:
    """Create the demo database at ``path``; returns name → contact id.

    Touchpoints are spread so every cadence status appears: most people on
    track, some due soon, a few overdue and a handful never contacted.
    """
    from planner.domain.rings import Ring
    from planner.services import contacts
    from planner.services.touchpoints import add_note, log_touchpoint
    from planner.storage.database import open_database
    from planner.storage.models import ContactRow, RingMoveRow, db_proxy

    rng = random.Random(seed + 1)
    moment = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    people = demo_people(inner + middle + outer + unplaced, seed)
    rings = [Ring.INNER] * inner + [Ring.MIDDLE] * middle + [Ring.OUTER] * outer
    rings += [None] * unplaced
    cadence = {Ring.INNER: 3, Ring.MIDDLE: 14, Ring.OUTER: 42}  # the default cadences (days)
    ids: dict[str, int] = {}
    opened = open_database(str(path))
    store = opened.backend  # what the services are given
    try:
        with db_proxy.atomic():
            for person, ring in zip(people, rings, strict=True):
                fields = {k: v for k, v in person.items() if k != "name" and v}
                contact = contacts.add_contact(store, person["name"], ring=ring, **fields)
                ids[contact.name] = contact.id
                if ring is None:
                    if rng.random() < 0.4:
                        days = rng.uniform(30, 400)
                        log_touchpoint(
                            store, contact.id, rng.choice(KINDS), at=moment - timedelta(days=days)
                        )
                    continue
                roll = rng.random()
                if roll < 0.06:
                    continue  # never contacted
                # the share of their cadence since the last touch: on track, due soon, overdue
                share = (
                    rng.uniform(0.05, 0.7)
                    if roll < 0.7
                    else (rng.uniform(0.75, 1.0) if roll < 0.88 else rng.uniform(1.05, 2.5))
                )
                last = moment - timedelta(days=cadence[ring] * share)
                for back in range(rng.randint(1, 4)):  # a little history before the last one
                    log_touchpoint(
                        store,
                        contact.id,
                        rng.choice(KINDS),
                        at=last - timedelta(days=back * cadence[ring] * 1.3),
                        minutes=rng.choice([None, 15, 30, 45, 60]),
                    )
            first_inner = next(iter(ids))
            for n, text in enumerate(NOTES):
                add_note(store, ids[first_inner], text, at=moment - timedelta(days=2 + 9 * n))
            # Everyone joined the network (and their ring) long before their first touch.
            for cid in ids.values():
                joined = moment - timedelta(days=rng.uniform(420, 1000))
                ContactRow.update(created_at=joined, updated_at=joined).where(
                    ContactRow.id == cid
                ).execute()
                RingMoveRow.update(at=joined).where(RingMoveRow.contact == cid).execute()
    finally:
        opened.close()
    return ids


def show_window(database: Path | str, size: tuple[int, int] = SIZE, select: str | None = None):
    """The real main window on ``database``, shown offscreen, fitted, with someone selected.

    A QApplication must exist.
    """
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtTest import QTest

    from planner.app import build_main_window
    from planner.domain.rings import Ring

    window = build_main_window(str(database), watch=False)
    window.resize(*size)
    window.show()
    QTest.qWaitForWindowExposed(window)
    window.view.fit()
    inner = window.document.ring_members(Ring.INNER)
    chosen = next((c for c in window.document.contacts() if c.name == select), None)
    if chosen is None and inner:
        chosen = inner[0]
    window.select(chosen.id if chosen else None)
    QCoreApplication.processEvents()
    return window


def _private_dirs(root: Path) -> None:
    """Settings and data of this run go to a temporary folder, never the user's."""
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        folder = root / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        os.environ[name] = str(folder)
    os.environ.pop("PLANNER_DB", None)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    out = Path(args[0]) if args else DEFAULT_OUT
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    with tempfile.TemporaryDirectory(prefix="planner-screenshot-") as tmp:
        _private_dirs(Path(tmp))
        from PySide6.QtCore import QSettings

        from planner.app import make_application

        app = make_application(["planner"])
        for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
            QSettings.setPath(fmt, QSettings.Scope.UserScope, os.environ["XDG_CONFIG_HOME"])
        database = Path(tmp) / "demo.db"
        build_demo_database(database)
        window = show_window(database)
        image = window.grab()
        window.close()
        window.deleteLater()
        app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(out)):
            print(f"could not write {out}", file=sys.stderr)
            return 1
    print(f"wrote {out} ({image.width()}×{image.height()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
