"""Messages for the IMAP tests, as bytes to APPEND."""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime


def message(*, to: str = "", sender: str = "Me <mentor@example.org>", subject: str = "Hello",
            when: datetime, msgid: str | None = None, references: str = "",
            in_reply_to: str = "", cc: str = "", body: str = "A private body.\r\n") -> bytes:
    lines = [f"From: {sender}", f"Date: {format_datetime(when)}", f"Subject: {subject}"]
    if to:
        lines.append(f"To: {to}")
    if cc:
        lines.append(f"Cc: {cc}")
    if msgid:
        lines.append(f"Message-ID: <{msgid}>")
    if references:
        lines.append(f"References: {references}")
    if in_reply_to:
        lines.append(f"In-Reply-To: {in_reply_to}")
    lines += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "", body]
    return "\r\n".join(lines).encode("utf-8")
