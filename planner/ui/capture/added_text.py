"""What the sources dialog says after a calendar file or folder was added: the counts when
it found something to review, else why it found nothing, in one sentence (a review:
"0 new, 0 updated, 0 withdrawn; 0 already known, 0 with nobody you know" said nothing of
the 30 days read, nor of people outside the network)."""

from __future__ import annotations

from planner.services.capture import BatchResult
from planner.services.capture_ics import DEFAULT_DAYS


def _meetings(n: int) -> str:
    return f"{n} meeting{'s' if n != 1 else ''}"


def _were(n: int) -> str:
    return "was" if n == 1 else "were"


def calendar_added_text(label: str, result: BatchResult, days: int = DEFAULT_DAYS) -> str:
    """From what the import did: meetings outside the span read are not counted at all, so
    none counted means none in the span; ``unmatched`` ones had nobody in the network."""
    if result.proposed or result.updated or result.withdrawn or result.accepted:
        return f"Added {label}: {result.summary()}."
    span = f"the last {days} days"
    if not result.unchanged and not result.unmatched:
        return (f"Added {label}, with nothing to review: it holds no meetings from {span} "
                "(only those are read).")
    if not result.unchanged:
        return (f"Added {label}, with nothing to review: nobody in its "
                f"{_meetings(result.unmatched)} from {span} is in your network.")
    if not result.unmatched:
        return (f"Added {label}, with nothing new to review: its "
                f"{_meetings(result.unchanged)} from {span} {_were(result.unchanged)} "
                "already proposed or reviewed.")
    return (f"Added {label}, with nothing new to review: of its "
            f"{_meetings(result.unchanged + result.unmatched)} from {span}, "
            f"{result.unchanged} {_were(result.unchanged)} already proposed or reviewed "
            f"and {result.unmatched} {'has' if result.unmatched == 1 else 'have'} nobody in "
            "your network.")
