"""The focus list's Markdown reads cleanly as plain text and stays inert when rendered
(issue 20): Qt's own Markdown reader (md4c, CommonMark with GitHub's extensions) shows
exactly the text that was escaped, and nothing of it becomes a link, emphasis or HTML."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextDocument

from planner.export.focus_md import escape

SPECIALS = "ab1_+()#!*[]<>|~&`\\.@;=:/"


def rendered(markdown: str) -> QTextDocument:
    doc = QTextDocument()
    doc.setMarkdown(markdown, QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
    return doc


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_addresses_and_phone_numbers_render_as_typed(qapp):
    for text in ("+44 (0)20 7946 0018", "priya_raman@example.org", "@ada_l on #python",
                 "https://example.org/a_b_c?x=1&y=2"):
        markdown = escape(text)
        assert "\\" not in markdown
        assert _plain(rendered(f"- [ ] **N** — {markdown}").toPlainText()).endswith(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=SPECIALS + " ", min_size=1, max_size=24))
def test_escaped_text_renders_as_itself_and_inert(qapp, text):
    doc = rendered(f"- [ ] **Name** — {escape(text)}")
    shown = _plain(doc.toPlainText())
    assert shown == _plain(f"Name — {text}"), (text, escape(text))
    html = doc.toHtml()
    assert "<a " not in html and "<img" not in html
