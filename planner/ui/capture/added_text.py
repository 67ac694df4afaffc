"""What the sources dialog says after a calendar file or folder was added: the counts when
it found something to review, else why it found nothing, in one sentence (a review:
"0 new, 0 updated, 0 withdrawn; 0 already known, 0 with nobody you know" said nothing of
the 30 days read, nor of people outside the network; a cancelled meeting with people you
know was "nobody in your network"). What could not be read is listed under it
(problems.py)."""

from __future__ import annotations

from planner.services.capture import BatchResult
from planner.services.capture_ics import DEFAULT_DAYS


def _meetings(n: int) -> str:
    return f"{n} meeting{'s' if n != 1 else ''}"


def _were(n: int) -> str:
    return "was" if n == 1 else "were"


def calendar_added_text(label: str, result: BatchResult, days: int = DEFAULT_DAYS) -> str:
    """From what the import did: meetings outside the span read are not counted at all, so
    none counted means none in the span; ``unmatched`` ones had nobody in the network,
    ``cancelled`` ones were called off (whoever was in them)."""
    if result.proposed or result.updated or result.withdrawn or result.accepted:
        return f"Added {label}: {result.summary()}."
    span = f"the last {days} days"
    kinds = [(n, what) for n, what in (
        (result.unchanged, f"{_were(result.unchanged)} already proposed or reviewed"),
        (result.unmatched, f"{'has' if result.unmatched == 1 else 'have'} nobody in your "
                           "network"),
        (result.cancelled, f"{_were(result.cancelled)} cancelled")) if n]
    total = sum(n for n, _ in kinds)
    if not kinds:
        return (f"Added {label}, with nothing to review: it holds no meetings from {span} "
                "(only those are read).")
    if len(kinds) == 1 and result.unmatched:
        return (f"Added {label}, with nothing to review: nobody in its "
                f"{_meetings(result.unmatched)} from {span} is in your network.")
    new = "new " if result.unchanged else ""
    if len(kinds) == 1:
        return (f"Added {label}, with nothing {new}to review: its {_meetings(total)} from "
                f"{span} {kinds[0][1]}.")
    said = [f"{n} {what}" for n, what in kinds]
    return (f"Added {label}, with nothing {new}to review: of its {_meetings(total)} from "
            f"{span}, {', '.join(said[:-1])} and {said[-1]}.")
