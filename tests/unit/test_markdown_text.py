"""A note's Markdown as the words it shows (planner/domain/markdown_text.py): what a search
result, the focus list and ``planner timeline`` print in one line."""

from __future__ import annotations

import pytest

from planner.domain.focus import first_line
from planner.domain.markdown_text import plain_line, plain_text

M0, M1 = "\x02", "\x03"  # a search's match marks (planner.storage.search_index)


@pytest.mark.parametrize(("markdown", "text"), [
    ("**Intro** to [the data team](https://example.org/team)", "Intro to the data team"),
    ("# Plan for Q1 ##", "Plan for Q1"),
    ("> - [x] sent the *deck*", "sent the deck"),
    ("12) first _step_ here", "first step here"),
    ("***both*** and ~~gone~~", "both and gone"),
    ("`code **stays**` as typed", "code **stays** as typed"),
    ("see <https://example.org> or <ada@example.org>",
     "see https://example.org or ada@example.org"),
    ("![their logo](logo.png) on the slide", "their logo on the slide"),
    ("[the wiki][1] page", "the wiki page"),
    (r"a \*literal\* star and a \_literal\_ one", "a *literal* star and a _literal_ one"),
    # what is not Markdown stays as it was typed
    ("snake_case_name and file__name__here", "snake_case_name and file__name__here"),
    ("2 * 3 * 4 and a * b", "2 * 3 * 4 and a * b"),
    ("#python is a tag, not a heading", "#python is a tag, not a heading"),
    ("costs $5 - a bargain", "costs $5 - a bargain"),
    # a fragment cut in the middle of a mark keeps the half it has
    ("…and then **the data te…", "…and then **the data te…"),
    ("…team](https://example.org) later", "…team](https://example.org) later"),
])
def test_a_line_reads_as_its_words(markdown, text):
    assert plain_line(markdown) == text


def test_match_marks_pass_through_and_a_word_found_in_an_address_stays_visible():
    assert plain_line(f"**{M0}Intro{M1}** to [the {M0}data{M1} team](https://x.org/a)") == (
        f"{M0}Intro{M1} to the {M0}data{M1} team")
    assert plain_line(f"[the wiki](https://{M0}wiki{M1}.example.org)") == (
        f"the wiki (https://{M0}wiki{M1}.example.org)")


def test_blocks_keep_their_lines_and_lose_fences_and_rules():
    note = "## Plan\n\n- one\n- **two**\n\n---\n```\nprint(1)\n```"
    assert plain_text(note) == "Plan\n\none\ntwo\n\nprint(1)"
    assert plain_text(None) == plain_text("") == ""


def test_the_focus_list_shows_the_first_line_with_words():
    assert first_line("\n\n## **Wants** an intro to [Bo](https://x.org)\nmore") == (
        "Wants an intro to Bo")
    assert first_line("---\n```\n\n- [ ] ask about the talk") == "ask about the talk"
    assert first_line("**" + "long " * 40 + "**").endswith("…")
