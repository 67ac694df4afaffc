"""Errors a person can cause and act on. Their message is what the user sees."""


class PlannerError(Exception):
    """Base of every refusal the user can fix; str(err) is a one-line message."""


class NotFound(PlannerError):
    pass


class Ambiguous(PlannerError):
    def __init__(self, message: str, matches: list[tuple[int, str]]):
        super().__init__(message)
        self.matches = matches


class RingFull(PlannerError):
    def __init__(self, message: str, ring: str, occupants: list[str]):
        super().__init__(message)
        self.ring = ring
        self.occupants = occupants


class InvalidInput(PlannerError):
    pass


class DatabaseProblem(PlannerError):
    """The database cannot be used (not ours, corrupt, locked, too new...)."""


class ConnectionLost(DatabaseProblem):
    """The team database went away mid-action; nothing of the action was applied."""


class ConflictError(PlannerError):
    """Someone else changed the same thing first."""
