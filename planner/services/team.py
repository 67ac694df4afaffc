"""Checking a team database before the window switches to it: reachable with these
credentials, holding this version's planner tables; the password kept in the system
keyring when asked (and possible). May block: the window calls it off its thread."""

from __future__ import annotations

from dataclasses import dataclass

from planner.domain.errors import DatabaseProblem
from planner.storage import secrets
from planner.storage.target import redact_url


@dataclass(frozen=True)
class Checked:
    """What the connection test found (besides "it works")."""

    stored: bool  # the password is now in the keyring
    not_stored: str = ""  # why it could not be kept there (then it is a session password)


def check_team_database(url: str, password: str | None, remember: bool) -> Checked:
    """Connect (``password``, else the keyring's, else none), read the schema version,
    close; then keep ``password`` in the keyring if ``remember``. DatabaseProblem with
    one line saying why it does not do (no message holds a password)."""
    from planner.storage import migrations
    from planner.storage.postgres import opening

    version = opening.version_at(url, password or None)
    if version == 0:
        raise DatabaseProblem(f"this database has no planner tables yet; an admin creates them "
                              f"with: planner --db '{redact_url(url)}' db init")
    if version > migrations.LATEST:
        raise DatabaseProblem(f"this database was made by a newer version of Mentorship Planner "
                              f"(schema {version}); update the app to open it")
    if not (password and remember):
        return Checked(stored=False)
    try:
        secrets.set_secret(account_url(url), password)
    except secrets.SecretStoreUnavailable as exc:
        return Checked(stored=False, not_stored=exc.reason or str(exc))
    return Checked(stored=True)


def shown_url(url: str) -> str:
    """A team database's URL as a message may show it: a password becomes ``***``."""
    return redact_url(url)


def account_url(url: str) -> str:
    """A team database's URL as it is remembered (the keyring's account, the recent list):
    never a password, nor a query string."""
    from planner.storage.postgres.connection import account_for_url

    return account_for_url(url)
