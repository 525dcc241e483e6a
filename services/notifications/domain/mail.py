"""E-mail: each notification at most once, digests once a period, in the person's language.

Plain text and HTML parts, a one-click `List-Unsubscribe` (RFC 8058) with a signed token, sent
through the configured SMTP server. Transient SMTP errors are retried with backoff; an e-mail is
marked sent in its own transaction right after the server accepted it, and its Message-ID is
derived from its row, so a retried task never mails the same notification twice.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage

from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import escape
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from shared import mail_headers, smtp
from shared.db import utcnow

from .. import settings
from ..models import Email, Notification, User
from . import preferences
from .inbox import in_language
from .texts import LANGUAGES

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=5)
TRANSIENT = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
)

WORDS = {
    "en": {
        "hello": "Hello {name},",
        "open": "Open the platform",
        "colon": ": ",
        "why": "You receive this because of your notification settings.",
        "unsubscribe": "Stop these e-mails",
        "daily": "Your daily digest",
        "weekly": "Your weekly digest",
    },
    "fr": {
        "hello": "Bonjour {name},",
        "open": "Ouvrir la plateforme",
        "colon": "\u202f: ",  # French typography: a narrow no-break space before the colon
        "why": "Vous recevez ce message selon vos préférences de notification.",
        "unsubscribe": "Ne plus recevoir ces e-mails",
        "daily": "Votre résumé du jour",
        "weekly": "Votre résumé de la semaine",
    },
    "zh": {
        "hello": "{name}，您好：",  # noqa: RUF001 - Chinese punctuation
        "open": "打开平台",
        "colon": "：",  # noqa: RUF001 - Chinese punctuation
        "why": "您收到此邮件是因为您的通知设置。",
        "unsubscribe": "不再接收此类邮件",
        "daily": "您的每日摘要",
        "weekly": "您的每周摘要",
    },
}


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(settings.get("SECRET_KEY"), salt="notifications-unsubscribe")


def unsubscribe_token(user_id, category: str) -> str:
    return _serializer().dumps({"u": str(user_id), "c": category})


def read_unsubscribe_token(token: str) -> tuple[str, str] | None:
    try:
        value = _serializer().loads(token)
        return value["u"], value["c"]
    except (BadSignature, KeyError, TypeError):
        return None


def unsubscribe_url(user_id, category: str) -> str:
    base = settings.get("PUBLIC_BASE_URL")
    return f"{base}/api/notifications/v1/unsubscribe?token={unsubscribe_token(user_id, category)}"


def _excerpt(text: str, size: int = 240) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def render(user: User, subject: str, items: list[Notification], category: str, intro: str = ""):
    """(subject, text, html) for one person: one notification, or a digest's items."""
    language = user.language if user.language in LANGUAGES else "en"
    words = WORDS[language]
    link = settings.get("PUBLIC_BASE_URL").rstrip("/")
    if len(items) == 1 and items[0].link:
        link += items[0].link  # the page of what it is about, not the home page
    stop = unsubscribe_url(user.id, category)
    hello = words["hello"].format(name=user.full_name)
    lines = [hello, ""]
    if intro:
        lines += [intro, ""]
    texts = [in_language(item, language)[1:] for item in items]
    for title, body in texts:
        lines += [f"* {title}" if len(items) > 1 else title]
        if body:
            lines += [f"  {_excerpt(body)}" if len(items) > 1 else body]
        lines += [""]
    colon = words["colon"]
    lines += [
        f"{words['open']}{colon}{link}",
        "",
        "--",
        words["why"],
        f"{words['unsubscribe']}{colon}{stop}",
    ]
    text = "\n".join(lines)
    blocks = "".join(
        f"<li><strong>{escape(title)}</strong><br>{escape(_excerpt(body))}</li>"
        for title, body in texts
    )
    html = (
        f'<html lang="{language}"><body><p>{escape(hello)}</p>'
        + (f"<p>{escape(intro)}</p>" if intro else "")
        + f"<ul>{blocks}</ul>"
        + f'<p><a href="{escape(link)}">{escape(words["open"])}</a></p>'
        + f"<hr><p><small>{escape(words['why'])} "
        + f'<a href="{escape(stop)}">{escape(words["unsubscribe"])}</a></small></p>'
        + "</body></html>"
    )
    return subject, text, html


def build(email: Email, user: User, subject: str, text: str, html: str) -> EmailMessage:
    """One notification or digest e-mail; its Message-ID comes from its row, stable on retry."""
    message = mail_headers.new_message()
    message["From"] = settings.get("MAIL_FROM")
    message["To"] = user.email
    message["Subject"] = subject
    mail_headers.stamp(
        message, settings.get("PUBLIC_BASE_URL"), local_id=f"notification-{email.id}"
    )
    mail_headers.one_click_unsubscribe(message, unsubscribe_url(user.id, email.category))
    message["Content-Language"] = user.language
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def open_smtp() -> smtplib.SMTP:
    return smtp.connect(settings.get)


def _compose(session: Session, email: Email, user: User) -> EmailMessage | None:
    language = user.language if user.language in LANGUAGES else "en"
    if email.digest_key:
        ids = email.digest_items or []
        items = list(session.scalars(select(Notification).where(Notification.id.in_(ids))))
        items.sort(key=lambda n: (n.created_at, n.id), reverse=True)
        if not items:
            return None
        period = email.digest_key.split(":", 1)[0]
        title = WORDS[language][period]
        parts = render(user, title, items, email.category)
    else:
        item = session.get(Notification, email.notification_id)
        if item is None:  # the person deleted it before it went out
            return None
        parts = render(user, in_language(item, language)[1], [item], email.category)
    return build(email, user, *parts)


def _claim(session: Session, now: datetime, limit: int) -> list[int]:
    ids = list(
        session.scalars(
            select(Email.id)
            .where(Email.status == "pending", Email.send_after <= now)
            .order_by(Email.send_after)
            .limit(limit)
        )
    )
    if not ids:
        return []
    return list(
        session.scalars(
            update(Email)
            .where(Email.id.in_(ids), Email.status == "pending", Email.send_after <= now)
            .values(send_after=now + LEASE)
            .returning(Email.id)
        )
    )


def send_due(db, now: datetime | None = None, limit: int = 200) -> int:
    """Send the e-mails due now through one SMTP connection; the number sent."""
    now = now or utcnow()
    with db.transaction() as session:
        claimed = _claim(session, now, limit)
    sent = 0
    server = None
    try:
        for email_id in claimed:
            with db.transaction() as session:
                email = session.get(Email, email_id)
                user = session.get(User, email.user_id)
                if user is None:
                    email.status, email.error = "failed", "the person is gone"
                    continue
                held = preferences.quiet_until(session, user, now)
                if held is not None:
                    email.send_after = held
                    continue
                message = _compose(session, email, user)
                if message is None:
                    email.status, email.error = "failed", "nothing left to send"
                    continue
                try:
                    server = server or open_smtp()
                    server.send_message(message)
                except (*TRANSIENT, smtplib.SMTPException, OSError) as exc:
                    server = _drop(server)
                    _failed(email, exc, now)
                    continue
                email.status, email.sent_at, email.attempts = "sent", now, email.attempts + 1
                sent += 1
    finally:
        _drop(server)
    return sent


def _failed(email: Email, exc: Exception, now: datetime) -> None:
    email.attempts += 1
    email.error = f"{type(exc).__name__}: {exc}"[:500]
    code = getattr(exc, "smtp_code", None)
    permanent = code is not None and 500 <= code < 600
    if permanent or email.attempts >= MAX_ATTEMPTS:
        email.status = "failed"
        return
    email.send_after = now + timedelta(seconds=min(30 * 2**email.attempts, 6 * 3600))


def _drop(server):
    if server is not None:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            log.info("the SMTP connection was already closed")
    return None
