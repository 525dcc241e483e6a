"""Each person's choices: a mode per category, and quiet hours in their own time zone."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from shared.errors import ValidationFailed

from ..models import Preference, QuietHours, User
from .texts import CATEGORIES, CRITICAL

MODES = ("in_app", "email", "daily", "weekly", "off")
DIGESTS = ("daily", "weekly")
DEFAULTS = {category: "email" for category in CATEGORIES} | {"announcements": "daily"}
CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def modes(session: Session, user_id) -> dict[str, str]:
    """Every category's mode for a person, defaults filled in."""
    chosen = dict(
        session.execute(
            select(Preference.category, Preference.mode).where(Preference.user_id == user_id)
        ).all()
    )
    return {category: chosen.get(category, DEFAULTS[category]) for category in CATEGORIES}


def _minutes(value: str, name: str) -> int:
    match = CLOCK.match(value or "")
    if not match:
        raise ValidationFailed.field(f"quiet_hours.{name}", "Use HH:MM, 24-hour clock.")
    return int(match[1]) * 60 + int(match[2])


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def quiet_hours(session: Session, user_id) -> dict | None:
    row = session.get(QuietHours, user_id)
    if row is None:
        return None
    return {"start": _clock(row.start_minute), "end": _clock(row.end_minute)}


def view(session: Session, user_id) -> dict:
    return {
        "categories": [
            {"category": c, "mode": m, "critical": c in CRITICAL}
            for c, m in modes(session, user_id).items()
        ],
        "quiet_hours": quiet_hours(session, user_id),
    }


def update(session: Session, user_id, payload: dict) -> dict:
    """Apply the given choices; a critical category can never be switched off."""
    for category, mode in (payload.get("categories") or {}).items():
        if category not in CATEGORIES:
            raise ValidationFailed.field(f"categories.{category}", "Unknown category.")
        if mode not in MODES:
            raise ValidationFailed.field(f"categories.{category}", f"One of {MODES}.")
        if mode == "off" and category in CRITICAL:
            raise ValidationFailed.field(
                f"categories.{category}", "This category is critical: it cannot be switched off."
            )
    for category, mode in (payload.get("categories") or {}).items():
        row = session.get(Preference, (user_id, category))
        if row is None:
            session.add(Preference(user_id=user_id, category=category, mode=mode))
        else:
            row.mode = mode
    if "quiet_hours" in payload:
        hours = payload["quiet_hours"]
        session.execute(delete(QuietHours).where(QuietHours.user_id == user_id))
        if hours is not None:
            start, end = _minutes(hours.get("start"), "start"), _minutes(hours.get("end"), "end")
            if start == end:
                raise ValidationFailed.field("quiet_hours.end", "Start and end must differ.")
            session.add(QuietHours(user_id=user_id, start_minute=start, end_minute=end))
    session.flush()
    return view(session, user_id)


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ValueError, KeyError):
        return ZoneInfo("UTC")


def quiet_until(session: Session, user: User, now: datetime) -> datetime | None:
    """When the person's quiet hours end, if `now` falls inside them; else None."""
    row = session.get(QuietHours, user.id)
    if row is None:
        return None
    local = now.astimezone(zone(user.timezone))
    minute = local.hour * 60 + local.minute
    start, end = row.start_minute, row.end_minute
    inside = start <= minute < end if start < end else (minute >= start or minute < end)
    if not inside:
        return None
    end_at = datetime.combine(local.date(), time(end // 60, end % 60), tzinfo=local.tzinfo)
    if end_at <= local:
        end_at += timedelta(days=1)
    return end_at.astimezone(now.tzinfo)
