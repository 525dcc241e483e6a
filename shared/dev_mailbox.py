"""The development mailbox: an SMTP sink that keeps every e-mail as a file, and its reader.

`make run` without an SMTP server starts the sink (deploy/local/mail_sink.py) and points every
service at it, so invitations and password resets can be completed without a mail server; the
portal's development mailbox page lists what it received. Never used in production.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from shared.config import env, var_dir

LINK = re.compile(r"https?://[^\s<>\"']+")


def settings() -> dict:
    """DEV_MAILBOX (on only when run.py started the sink) and the directory the sink writes."""
    return {
        "DEV_MAILBOX": env.bool("DEV_MAILBOX", False),
        "DEV_MAILBOX_DIR": env.str("DEV_MAILBOX_DIR", str(var_dir() / "mail")),
    }


class Sink:
    """An aiosmtpd handler writing each message received to `<directory>/<time>-<id>.eml`."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        name = f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        partial = self.directory / f".{name}.part"
        partial.write_bytes(envelope.content)
        os.replace(partial, self.directory / name)  # readers never see half a message
        return "250 Message accepted for delivery"


@dataclass(frozen=True)
class Received:
    """One e-mail as the mailbox page shows it."""

    name: str
    subject: str
    recipients: str
    sender: str
    sent_at: datetime | None
    text: str


def _text(message) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    return body.get_content() if body is not None else ""


def _read(path: Path) -> Received:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    try:
        sent_at = parsedate_to_datetime(message["Date"]) if message["Date"] else None
    except (TypeError, ValueError):
        sent_at = None
    return Received(
        name=path.name,
        subject=str(message["Subject"] or ""),
        recipients=str(message["To"] or ""),
        sender=str(message["From"] or ""),
        sent_at=sent_at,
        text=_text(message),
    )


def received(directory: str | Path, limit: int = 50) -> list[Received]:
    """The newest `limit` messages, newest first (file names begin with the time received)."""
    folder = Path(directory)
    if not folder.is_dir():
        return []
    names = sorted((p for p in folder.glob("*.eml")), key=lambda p: p.name, reverse=True)
    return [_read(path) for path in names[:limit]]


def split_links(text: str) -> list[tuple[str, bool]]:
    """`text` as (piece, is_link) pairs, so a template can make the links clickable safely."""
    pieces, position = [], 0
    for match in LINK.finditer(text):
        url = match.group(0).rstrip(".,;:!?)")
        if match.start() > position:
            pieces.append((text[position : match.start()], False))
        pieces.append((url, True))
        position = match.start() + len(url)
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces
