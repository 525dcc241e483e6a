"""Checks of the raw header lines of an e-mail the test SMTP server received."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime


def raw_headers(message) -> dict[str, str]:
    """Header name (lower case) to its unfolded value, exactly as the bytes on the wire hold it."""
    head = message.raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0].decode("ascii")
    unfolded = re.sub(r"\r?\n[ \t]+", " ", head)
    found: dict[str, str] = {}
    for line in unfolded.splitlines():
        name, _, value = line.partition(":")
        found.setdefault(name.strip().lower(), value.strip())
    return found


def assert_dated_and_identified(message, base_url: str) -> dict[str, str]:
    """A recent `Date` and a `Message-ID` in the platform's domain; the raw headers."""
    headers = raw_headers(message)
    sent = parsedate_to_datetime(headers["date"])
    assert abs(datetime.now(UTC) - sent) < timedelta(minutes=5), headers["date"]
    host = re.sub(r"^https?://([^/:]+).*$", r"\1", base_url)
    assert re.fullmatch(rf"<[^@<>\s]+@{re.escape(host)}>", headers["message-id"]), headers
    return headers


def assert_one_click_unsubscribe(headers: dict[str, str], base_url: str) -> None:
    """A plain `<URL>` (never RFC 2047-encoded) and the RFC 8058 one-click marker."""
    value = headers["list-unsubscribe"]
    assert "=?" not in value, value
    assert re.fullmatch(
        rf"<{re.escape(base_url)}/api/notifications/v1/unsubscribe\?token=[\w.\-]+>", value
    ), value
    assert headers["list-unsubscribe-post"] == "List-Unsubscribe=One-Click"
