"""Finding any past note or touchpoint by a word in it."""

from __future__ import annotations

from collections.abc import Callable

from planner.domain.errors import InvalidInput
from planner.domain.markdown_text import plain_text
from planner.storage import search_index
from planner.storage.search_index import SearchHit


def search(text: str, limit: int = 50) -> list[SearchHit]:
    if limit < 1:
        raise InvalidInput("the limit must be at least 1")
    if len(text or "") > 500:
        raise InvalidInput("the search is too long (500 characters at most)")
    return search_index.search(text, limit)


def plain(snippet: str, start: str = "", end: str = "",
          escape: Callable[[str], str] | None = None) -> str:
    """A hit's snippet as one line of text: the note's Markdown marks taken out (``**Intro**``
    reads "Intro"), its matched words between ``start`` and ``end`` (nothing: the bare
    text). ``escape`` (html.escape) is applied to the text, not to ``start`` and ``end``."""
    text = " ".join(plain_text(snippet).split())
    return search_index.plain(escape(text) if escape else text, start, end)


def hit_as_dict(hit: SearchHit) -> dict:
    """The documented JSON shape of a search result."""
    return {"id": hit.id, "type": hit.type, "contact_id": hit.contact_id,
            "contact": hit.contact, "kind": hit.kind, "at": hit.at.isoformat(),
            "snippet": plain(hit.snippet, "[", "]")}


__all__ = ["SearchHit", "hit_as_dict", "plain", "search"]
