"""The one place that decides what a database string means.

``None`` → ``$PLANNER_DB`` → ``planner.db`` in the user data folder. A string
starting with ``postgresql://`` (or ``postgres://``) is a team database; a
``sqlite:///`` URL or anything else is a file path.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from planner import APP_ID

ENV_VAR = "PLANNER_DB"


def data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_ID, appauthor=False))


def default_database_path() -> Path:
    return data_dir() / "planner.db"


@dataclass(frozen=True)
class DatabaseTarget:
    """A database string's meaning: a file (``path``) or a team database (``url``)."""

    kind: str  # "sqlite" or "postgresql"
    path: Path | None = None
    url: str | None = None

    @property
    def is_file(self) -> bool:
        return self.kind == "sqlite"

    def display(self) -> str:
        """What may be shown or logged: never a password."""
        if self.path is not None:
            return str(self.path)
        return redact_url(self.url or "")


def redact_url(url: str) -> str:
    """The URL as it may be shown or logged: a password becomes ``***``."""
    return replace_password(url, "***")


#: libpq options in a URL's query that are as secret as a password in its user part
SECRET_OPTIONS = ("password", "passfile")


def url_password(url: str) -> str | None:
    """The password a URL carries: in its user part, else as ``?password=``."""
    from urllib.parse import parse_qsl, unquote

    parts = urlsplit(url)
    if parts.password is not None:
        return unquote(parts.password)
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key == "password":
            return value
    return None


def _query_without_secrets(query: str, password: str | None) -> str:
    """The query with ``password``/``passfile`` replaced by ``password`` (None: removed);
    the other options exactly as written."""
    from urllib.parse import unquote

    kept = []
    for item in query.split("&") if query else []:
        key = unquote(item.split("=", 1)[0]).strip()
        if key in SECRET_OPTIONS:
            if password is not None:
                kept.append(f"{key}={password}")
            continue
        kept.append(item)
    return "&".join(kept)


def replace_password(url: str, password: str | None) -> str:
    """``url`` with its password (user part, or ``?password=``/``?passfile=``) replaced
    (``None``: removed); unchanged without one."""
    parts = urlsplit(url)
    query = _query_without_secrets(parts.query, password)
    if parts.password is None and query == parts.query:
        return url
    netloc = parts.netloc
    if parts.password is not None:
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        user = parts.username if password is None else f"{parts.username}:{password}"
        netloc = f"{user}@{host}" if parts.username else host
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


#: what the command line says when ``$PLANNER_DB`` is set to nothing (``--db ''`` is refused
#: too): a script's ``PLANNER_DB="$DB"`` with ``DB`` unset would use the default database
BLANK_VARIABLE = (f"{ENV_VAR} is set but empty: set it to a database file or a "
                  "postgresql:// URL, or unset it to use the default database")


def variable_is_blank() -> bool:
    """Whether ``$PLANNER_DB`` is set to nothing (or only spaces)."""
    value = os.environ.get(ENV_VAR)
    return value is not None and not value.strip()


def _given(spec: str | os.PathLike | None) -> str | None:
    """The database string in force: ``spec``, else ``$PLANNER_DB``, else None (the
    default file). A blank variable counts as unset here (never the working folder): the
    command line refuses it first (:data:`BLANK_VARIABLE`)."""
    if spec is None or str(spec).strip() == "":
        spec = (os.environ.get(ENV_VAR) or "").strip() or None
    return None if spec is None else str(spec).strip()


def spec_names_file(spec: str | os.PathLike | None) -> bool:
    """Whether ``spec`` itself (``--db``, typed each time) names the database; not
    ``$PLANNER_DB`` (set once, with care) nor the default file."""
    return spec is not None and str(spec).strip() != ""


def _is_server_url(text: str) -> bool:
    return text.lower().startswith(("postgresql://", "postgres://"))


def names_team_database(spec: str | os.PathLike | None = None) -> bool:
    """Whether ``spec`` (as :func:`resolve_target` reads it) is a team database, decided
    without resolving a path (the command line asks before it imports the storage)."""
    text = _given(spec)
    return text is not None and _is_server_url(text)


def resolve_target(spec: str | os.PathLike | None = None) -> DatabaseTarget:
    text = _given(spec)
    if text is None:
        return DatabaseTarget("sqlite", path=default_database_path())
    lowered = text.lower()
    if _is_server_url(text):
        return DatabaseTarget("postgresql", url=text)
    if lowered.startswith("sqlite:///"):
        # sqlite:///relative.db and sqlite:////absolute/path.db, as SQLAlchemy reads them
        text = text[len("sqlite:///") :]
    return DatabaseTarget("sqlite", path=real_file(Path(text)))


def real_file(path: Path) -> Path:
    """The file a database path names, symbolic links resolved, once.

    Every file operation (encrypt, restore, backups beside it) then works on the
    real file: replacing a link would leave the real file old, and a link
    swapped for a copy would make the two diverge.
    """
    return Path(os.path.realpath(Path(path).expanduser().absolute()))
