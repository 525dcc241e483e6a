"""Daily and weekly digests: each person's digest items, newest first, each item once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.db import utcnow

from ..models import Email, Notification, User
from . import preferences

SEND_HOUR = 8  # local time: digests arrive with the morning
MAX_ITEMS = 50
LOOKBACK = timedelta(days=8)


def period_key(period: str, local: datetime) -> str | None:
    """The digest due at this local time (`daily:2026-11-25`, `weekly:2026-W48`), or None."""
    if local.hour < SEND_HOUR:
        return None
    if period == "daily":
        return f"daily:{local.date().isoformat()}"
    if local.weekday() == 0:  # Monday morning
        year, week, _ = local.isocalendar()
        return f"weekly:{year}-W{week:02d}"
    return None


def _collect(session: Session, user: User, period: str, now: datetime) -> int:
    categories = [c for c, m in preferences.modes(session, user.id).items() if m == period]
    if not categories:
        return 0
    key = period_key(period, now.astimezone(preferences.zone(user.timezone)))
    if key is None:
        return 0
    ids = list(
        session.scalars(
            select(Notification.id)
            .where(
                Notification.user_id == user.id,
                Notification.category.in_(categories),
                Notification.digested_at.is_(None),
                Notification.created_at > now - LOOKBACK,
            )
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(MAX_ITEMS)
        )
    )
    if not ids:
        return 0
    try:
        with session.begin_nested():
            session.execute(
                insert(Email).values(
                    user_id=user.id,
                    digest_key=key,
                    digest_items=ids,
                    category=categories[0],
                    status="pending",
                    attempts=0,
                    send_after=now,
                    created_at=now,
                )
            )
    except IntegrityError:  # this period's digest exists already
        return 0
    session.execute(update(Notification).where(Notification.id.in_(ids)).values(digested_at=now))
    return 1


def prepare(session: Session, now: datetime | None = None) -> int:
    """Write the digests due now for everyone with undigested items; the number written."""
    now = now or utcnow()
    people = select(Notification.user_id).where(
        Notification.digested_at.is_(None), Notification.created_at > now - LOOKBACK
    )
    written = 0
    for user in session.scalars(select(User).where(User.id.in_(people.distinct()))):
        for period in preferences.DIGESTS:
            written += _collect(session, user, period, now)
    return written
