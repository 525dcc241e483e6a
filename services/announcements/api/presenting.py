"""An announcement as the API shows it: times in UTC, in the event's zone and the reader's."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import request

from shared.auth import Caller
from shared.i18n import usual_zone

from ..domain import times
from ..domain.announcements import audience_of
from ..models import Announcement


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def reader_zone(tz: str | None, caller: Caller | None) -> str | None:
    """`?tz=` when given (checked), else the caller's own zone (the token's `tz`), else the
    usual zone of the caller's language, else none."""
    if tz:
        times.zone(tz, "tz")
        return tz
    if caller is not None and caller.timezone and _known_zone(caller.timezone):
        return caller.timezone
    return usual_zone(caller.language) if caller is not None else None


def present(announcement: Announcement, zone: str | None, registrations=None) -> dict:
    starts, ends = announcement.starts_at, announcement.ends_at
    return {
        "id": announcement.id,
        "kind": announcement.kind,
        "status": announcement.status,
        "author_organisation_id": announcement.author_organisation_id,
        "title": announcement.title,
        "summary": announcement.summary or {},
        "body": announcement.body or {},
        "body_html": announcement.body_html or {},
        "tags": announcement.tags or [],
        "sectors": announcement.sectors or [],
        "audience": audience_of(announcement),
        "timezone": announcement.timezone,
        "starts_at": times.local(starts, "UTC"),
        "ends_at": times.local(ends, "UTC"),
        "starts_at_local": times.local(starts, announcement.timezone),
        "ends_at_local": times.local(ends, announcement.timezone),
        "reader_timezone": zone if starts else None,
        "starts_at_reader": times.local(starts, zone),
        "ends_at_reader": times.local(ends, zone),
        "place": announcement.place,
        "online_url": announcement.online_url,
        "capacity": announcement.capacity,
        "registrations": registrations,
        "publish_at": announcement.publish_at,
        "published_at": announcement.published_at,
        "withdrawn_at": announcement.withdrawn_at,
        "moderation_reason": announcement.moderation_reason,
        "version": announcement.version,
        "created_at": announcement.created_at,
        "updated_at": announcement.updated_at,
    }


def base_url() -> str:
    """Where readers follow links to (the portal when configured, else this host)."""
    from flask import current_app

    return current_app.config.get("PORTAL_URL") or request.url_root


LIST_OMITS = ("body", "body_html", "registrations")


def listed(announcement: Announcement, zone: str | None) -> dict:
    """A list item, JSON-ready without a schema (the hot path): no body, ids and times as text."""
    data = present(announcement, zone)
    for name in LIST_OMITS:
        del data[name]
    for name in ("id", "author_organisation_id"):
        data[name] = str(data[name]) if data[name] else None
    for name in ("publish_at", "published_at", "withdrawn_at", "created_at", "updated_at"):
        data[name] = data[name].isoformat() if data[name] else None
    return data
