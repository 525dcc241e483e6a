"""The headers every platform e-mail carries, built so mail clients read them as written.

`Date` and `Message-ID` (RFC 5322) in the platform's own domain, and for notifications a one-click
`List-Unsubscribe` (RFC 8058). The policy allows lines up to RFC 5322's 998 characters: with the
stdlib's default of 78, a long unsubscribe URL has no place to fold and is RFC 2047-encoded
(`=?utf-8?q?=3Chttp...`), which no mail client recognises as an unsubscribe link.
"""

from __future__ import annotations

from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formatdate, make_msgid
from urllib.parse import urlsplit

POLICY = policy.default.clone(max_line_length=998)


def new_message() -> EmailMessage:
    """An empty message whose long ASCII headers are never encoded."""
    return EmailMessage(policy=POLICY)


def domain(base_url: str) -> str:
    """The host of the platform's public URL, the right-hand side of its Message-IDs."""
    return urlsplit(base_url).hostname or "localhost"


def stamp(
    message: EmailMessage,
    base_url: str,
    *,
    local_id: str | None = None,
    now: datetime | None = None,
) -> EmailMessage:
    """Set `Date` and `Message-ID`; `local_id` makes the id stable across retries of one e-mail."""
    message["Date"] = format_datetime(now) if now else formatdate(usegmt=True)
    host = domain(base_url)
    message["Message-ID"] = f"<{local_id}@{host}>" if local_id else make_msgid(domain=host)
    return message


def one_click_unsubscribe(message: EmailMessage, url: str) -> EmailMessage:
    """`List-Unsubscribe: <url>` and `List-Unsubscribe-Post` for one-click unsubscribe."""
    if not url.isascii() or any(c in url for c in "\r\n <>"):
        raise ValueError("an unsubscribe URL is ASCII without spaces, angle brackets or breaks")
    message["List-Unsubscribe"] = f"<{url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message
