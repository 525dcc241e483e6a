"""The in-app inbox: written in bulk from events, read and tidied by each person alone."""

from __future__ import annotations

import hashlib

from sqlalchemy import (
    JSON,
    Select,
    String,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session

from shared.db import UTCDateTime, utcnow
from shared.errors import NotFound
from shared.pagination import keyset, page

from ..models import Email, Notification, Preference, User
from .links import link_for
from .preferences import DEFAULTS
from .texts import INBOX_ONLY, LANGUAGES, TEXTS, render


def write(session: Session, event_type: str, data: dict, event_id, who: Select) -> int:
    """One notification per known person among `who`, in their language: one INSERT ... SELECT.

    A person who already has this event's notification gets nothing more, so a late recipient
    can be told without telling the others twice.
    """
    if event_type not in TEXTS:
        return 0
    rendered = {language: render(event_type, data, language) for language in LANGUAGES}
    category = rendered["en"][0]

    def by_language(index: int):
        return case(
            *((User.language == lang, literal(rendered[lang][index])) for lang in LANGUAGES[1:]),
            else_=literal(rendered["en"][index]),
        )

    language = case((User.language.in_(LANGUAGES), User.language), else_=literal("en"))
    now = utcnow()
    rows = select(
        User.id,
        literal(str(event_id)),
        literal(event_type),
        literal(category),
        language,
        by_language(1),
        by_language(2),
        literal({lang: list(rendered[lang][1:]) for lang in LANGUAGES}, JSON),
        literal(link_for(event_type, data), String(500)),
        literal(now, UTCDateTime()),
    ).where(
        User.id.in_(who),
        mode_of(User.id, category) != "off",
        ~exists().where(Notification.user_id == User.id, Notification.event_id == str(event_id)),
    )
    columns = ["user_id", "event_id", "type", "category", "language", "title", "body"]
    columns += ["texts", "link"]
    result = session.execute(insert(Notification).from_select([*columns, "created_at"], rows))
    if event_type not in INBOX_ONLY:
        email_now(session, str(event_id), event_type, category, now)
    return result.rowcount


def mode_of(user_id_column, category: str):
    """The person's mode for a category, as SQL: their choice, else the default."""
    chosen = (
        select(Preference.mode)
        .where(Preference.user_id == user_id_column, Preference.category == category)
        .scalar_subquery()
    )
    return func.coalesce(chosen, literal(DEFAULTS[category]))


def email_now(session: Session, event_id: str, event_type: str, category: str, now) -> None:
    """An e-mail to send for each new notification whose person wants this category now."""
    rows = select(
        Notification.user_id,
        Notification.id,
        literal(category),
        literal("pending"),
        literal(0),
        literal(now, UTCDateTime()),
        literal(now, UTCDateTime()),
    ).where(
        Notification.event_id == event_id,
        Notification.type == event_type,
        mode_of(Notification.user_id, category) == "email",
        ~exists().where(Email.notification_id == Notification.id),
    )
    columns = ["user_id", "notification_id", "category", "status", "attempts"]
    result = session.execute(
        insert(Email).from_select([*columns, "send_after", "created_at"], rows)
    )
    if result.rowcount:
        session.info["emails_due"] = True


def in_language(item: Notification, language: str | None) -> tuple[str, str, str]:
    """(language, title, body) of an item in `language` when it has it, else as written."""
    texts = item.texts or {}
    if language in texts:
        title, body = texts[language]
        return language, title, body
    return item.language, item.title, item.body


def listing(session: Session, user_id, unread_only: bool, cursor, limit, language=None) -> dict:
    """A page of the person's inbox, newest first, each item in `language` (the reader's)."""
    stmt = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    columns = [Notification.created_at, Notification.id]
    rows = list(session.scalars(keyset(stmt, columns, cursor, limit, descending=True)))
    result = page(rows, limit, lambda n: (n.created_at, n.id))
    shown = []
    for item in result["items"]:
        lang, title, body = in_language(item, language)
        shown.append(
            {
                **{name: getattr(item, name) for name in SHOWN},
                "language": lang,
                "title": title,
                "body": body,
            }
        )
    result["items"] = shown
    return result


SHOWN = ("id", "type", "category", "link", "created_at", "read_at")


def unread(session: Session, user_id) -> tuple[int, str]:
    """The unread count and an ETag that changes whenever the inbox does."""
    count, newest, last_read = session.execute(
        select(
            func.count(Notification.id).filter(Notification.read_at.is_(None)),
            func.max(Notification.created_at),
            func.max(Notification.read_at),
        ).where(Notification.user_id == user_id)
    ).one()
    total = session.scalar(
        select(func.count(Notification.id)).where(Notification.user_id == user_id)
    )
    seed = f"{user_id}:{count}:{total}:{newest}:{last_read}".encode()
    return count, hashlib.sha256(seed).hexdigest()[:32]


def _own(session: Session, user_id, notification_id) -> Notification:
    item = session.get(Notification, notification_id)
    if item is None or item.user_id != user_id:
        raise NotFound("No such notification in your inbox.")
    return item


def mark_read(session: Session, user_id, notification_id) -> Notification:
    item = _own(session, user_id, notification_id)
    if item.read_at is None:
        item.read_at = utcnow()
    session.flush()
    return item


def mark_all_read(session: Session, user_id) -> int:
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount


def remove(session: Session, user_id, notification_id) -> None:
    _own(session, user_id, notification_id)
    session.execute(delete(Notification).where(Notification.id == notification_id))
