"""Finding any past note or touchpoint by a word in it."""

from __future__ import annotations

from planner.domain.errors import InvalidInput
from planner.storage import search_index
from planner.storage.search_index import SearchHit, plain


def search(text: str, limit: int = 50) -> list[SearchHit]:
    if limit < 1:
        raise InvalidInput("the limit must be at least 1")
    if len(text or "") > 500:
        raise InvalidInput("the search is too long (500 characters at most)")
    return search_index.search(text, limit)


# ``plain(snippet, start, end)``: a hit's snippet with its matched words between ``start``
# and ``end`` (nothing: the bare text)


def hit_as_dict(hit: SearchHit) -> dict:
    """The documented JSON shape of a search result."""
    return {"id": hit.id, "type": hit.type, "contact_id": hit.contact_id,
            "contact": hit.contact, "kind": hit.kind, "at": hit.at.isoformat(),
            "snippet": plain(hit.snippet, "[", "]")}


__all__ = ["SearchHit", "hit_as_dict", "plain", "search"]
