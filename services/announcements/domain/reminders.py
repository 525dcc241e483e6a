"""The day before an event, remind the people registered for it: once per event."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from shared.db import utcnow
from shared.events import emit

from ..models import Announcement, Registration
from .announcements import event_data

AHEAD = timedelta(days=1)


def send_due(session, now: datetime | None = None) -> int:
    """Emit `announcement.event_reminder` for events starting within a day; how many were sent."""
    now = now or utcnow()
    due = session.scalars(
        select(Announcement.id).where(
            Announcement.kind == "event",
            Announcement.status == "published",
            Announcement.reminder_sent_at.is_(None),
            Announcement.starts_at > now,
            Announcement.starts_at <= now + AHEAD,
        )
    ).all()
    sent = 0
    for announcement_id in due:
        # Claimed with a conditional update, so two runs at once remind only once.
        claimed = session.execute(
            update(Announcement)
            .where(Announcement.id == announcement_id, Announcement.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now)
        ).rowcount
        if not claimed:
            continue
        user_ids = session.scalars(
            select(Registration.user_id)
            .where(
                Registration.announcement_id == announcement_id,
                Registration.status == "registered",
            )
            .order_by(Registration.requested_at)
        ).all()
        if not user_ids:
            continue
        announcement = session.get(Announcement, announcement_id)
        emit(
            session,
            "announcement.event_reminder",
            {"announcement": event_data(announcement), "user_ids": [str(u) for u in user_ids]},
        )
        sent += 1
    return sent
