"""What can go wrong talking to a calendar or mail server, as one sentence a person can act
on. Never a password, never a URL with credentials in it."""

from __future__ import annotations

from planner.domain.errors import PlannerError


class SourceError(PlannerError):
    """A server could not be used; str() is the sentence shown."""


class SignInRefused(SourceError):
    """The server refused the user name or password."""


class CertificateRefused(SourceError):
    """The server's certificate does not verify (and is not the one the user trusted)."""

    def __init__(self, message: str, fingerprint: str = ""):
        super().__init__(message)
        self.fingerprint = fingerprint  # SHA-256, hex lower case ("" if unknown)


class ServerUnreachable(SourceError):
    """No connection could be made (refused, no route, name unknown, timed out)."""


class ConnectionDropped(SourceError):
    """The connection broke off halfway: what was stored before stays, the next sync
    goes on from there."""


class ServerProblem(SourceError):
    """The server answered something unusable (no such calendar or folder, an error)."""
