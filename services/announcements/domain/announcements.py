"""Writing and publishing announcements: drafts, moderation, schedules, versions, withdrawal.

Platform staff publish to any audience, at once or at `publish_at`. An organisation's admin
writes news for their organisation; submitting it puts it in the moderation queue, and a platform
admin approves it (then it is published or scheduled) or rejects it with a reason.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import defer

from shared import markdown, organisation_status
from shared.auth import Caller
from shared.db import utcnow
from shared.errors import Conflict, Forbidden, Gone, NotFound, ValidationFailed
from shared.events import emit
from shared.organisation_status import DRAFTS, PUBLISH
from shared.pagination import encode_cursor, keyset, page

from ..models import Announcement, AnnouncementVersion, Organisation
from . import audience as audiences
from . import times

EVENT_FIELDS = ("starts_at", "ends_at", "place", "online_url", "capacity")
EDITABLE = (
    "title",
    "summary",
    "body",
    "tags",
    "sectors",
    "audience",
    "timezone",
    *EVENT_FIELDS,
)
ORG_ADMIN_KINDS = ("news",)


# --- What other services and readers see ---


def audience_of(announcement: Announcement) -> dict:
    return {
        "scope": announcement.audience_scope,
        **audiences.EMPTY,
        **(announcement.audience or {}),
    }


def event_data(announcement: Announcement) -> dict:
    """The announcement as the catalogue's events carry it (JSON-ready)."""

    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": str(announcement.id),
        "kind": announcement.kind,
        "title": announcement.title,
        "summary": announcement.summary or {},
        "author_organisation_id": (
            str(announcement.author_organisation_id)
            if announcement.author_organisation_id
            else None
        ),
        "audience": audience_of(announcement),
        "starts_at": iso(announcement.starts_at),
        "ends_at": iso(announcement.ends_at),
        "timezone": announcement.timezone,
        "published_at": iso(announcement.published_at),
        "tags": list(announcement.tags or ()),
        "sectors": list(announcement.sectors or ()),
    }


def snapshot(announcement: Announcement) -> dict:
    """Everything an edit can change, as it stood: a version's content."""
    data = event_data(announcement)
    data.update(
        body=announcement.body or {},
        place=announcement.place,
        online_url=announcement.online_url,
        capacity=announcement.capacity,
        version=announcement.version,
    )
    return data


# --- Permissions ---


def may_manage(caller: Caller, announcement: Announcement) -> bool:
    """Platform staff, or an admin of the author organisation."""
    if caller.is_platform_admin:
        return True
    return announcement.author_organisation_id is not None and caller.is_admin_of(
        announcement.author_organisation_id
    )


def _require_platform_admin(caller: Caller) -> None:
    if not caller.is_platform_admin:
        raise Forbidden("Only platform staff may do this.")


def get(session, announcement_id, *, lock: bool = False) -> Announcement:
    stmt = select(Announcement).where(Announcement.id == announcement_id)
    if lock:
        stmt = stmt.with_for_update()
    announcement = session.scalars(stmt).first()
    if announcement is None:
        raise NotFound("No such announcement.")
    return announcement


def managed(session, caller: Caller, announcement_id, *, lock: bool = True) -> Announcement:
    """The announcement if the caller manages it; 404 when they may not even read it."""
    announcement = get(session, announcement_id, lock=lock)
    if may_manage(caller, announcement):
        return announcement
    if announcement.status == "published" and audiences.can_read(session, caller, announcement):
        raise Forbidden("You do not manage this announcement.")
    raise NotFound("No such announcement.")


def readable(session, caller: Caller | None, announcement_id) -> Announcement:
    """A published announcement the caller is in the audience of (or one they manage)."""
    announcement = get(session, announcement_id)
    if caller is not None and may_manage(caller, announcement):
        return announcement
    if announcement.status == "withdrawn" and announcement.audience_scope == "public":
        raise Gone("This announcement was withdrawn.")
    if announcement.status == "published" and audiences.can_read(session, caller, announcement):
        return announcement
    raise NotFound("No such announcement.")


# --- Content ---


def _apply(announcement: Announcement, payload: dict) -> None:
    """Copy the payload's fields onto the announcement and check the whole stays coherent."""
    if "timezone" in payload:
        announcement.timezone = payload["timezone"]
    for name in EDITABLE:
        if name not in payload or name == "timezone":
            continue
        value = payload[name]
        if name == "audience":
            announcement.audience_scope = value["scope"]
            announcement.audience = {
                key: [str(v) for v in value.get(key) or ()] for key in audiences.EMPTY
            }
        elif name in ("starts_at", "ends_at"):
            if value is not None and not announcement.timezone:
                raise ValidationFailed.field("timezone", "Give the event's IANA time zone.")
            setattr(announcement, name, times.to_utc(value, announcement.timezone))
        elif name == "body":
            announcement.body = value
            announcement.body_html = markdown.render_localized(value)
        else:
            setattr(announcement, name, value)
    _check(announcement)


def _check(announcement: Announcement) -> None:
    if announcement.kind == "event":
        if announcement.starts_at is None:
            raise ValidationFailed.field("starts_at", "An event needs a start.")
        times.zone(announcement.timezone)
        if announcement.ends_at is not None and announcement.ends_at < announcement.starts_at:
            raise ValidationFailed.field("ends_at", "An event cannot end before it starts.")
        if not (announcement.place or announcement.online_url):
            raise ValidationFailed.field("place", "Give a place, an online link, or both.")
    else:
        given = [name for name in (*EVENT_FIELDS, "timezone") if getattr(announcement, name)]
        if given:
            raise ValidationFailed.field(given[0], "Only events have times, places and capacity.")
    if announcement.audience_scope == "selected" and not any(
        (announcement.audience or {}).get(key) for key in audiences.EMPTY
    ):
        raise ValidationFailed.field(
            "audience", "A selected audience needs organisations or at least one criterion."
        )


def create(session, caller: Caller, payload: dict) -> Announcement:
    """A new draft, authored by an organisation (its admin) or by platform staff."""
    author = payload.get("author_organisation_id")
    if caller.is_platform_admin:
        pass
    elif author is None or not caller.is_admin_of(author):
        raise Forbidden("Organisation admins write for their own organisation only.")
    elif payload["kind"] not in ORG_ADMIN_KINDS:
        raise Forbidden("Organisations publish news; events and calls are published by staff.")
    else:
        _ensure_status(session, author, DRAFTS)
    announcement = Announcement(
        kind=payload["kind"],
        status="draft",
        author_organisation_id=author,
        created_by=caller.user_id,
        title={},
        summary={},
        body={},
        body_html={},
        tags=[],
        sectors=[],
        audience_scope="public",
        audience=dict(audiences.EMPTY),
    )
    _apply(announcement, {"audience": {"scope": "public"}, **payload})
    session.add(announcement)
    session.flush()
    return announcement


def edit(session, caller: Caller, announcement_id, payload: dict) -> Announcement:
    """Change an announcement; a published one keeps its previous text as a version."""
    announcement = managed(session, caller, announcement_id)
    if announcement.status == "withdrawn":
        raise Conflict("A withdrawn announcement cannot be edited.")
    if not caller.is_platform_admin and announcement.status not in ("draft", "rejected"):
        raise Conflict("Once submitted, only platform staff may change it.")
    was_published = announcement.status == "published"
    before = snapshot(announcement)
    _apply(announcement, payload)
    announcement.updated_at = utcnow()
    if was_published and snapshot(announcement) != before:
        session.add(
            AnnouncementVersion(
                announcement_id=announcement.id,
                version=announcement.version,
                snapshot=before,
                edited_by=caller.user_id,
            )
        )
        announcement.version += 1
        session.flush()
        emit(session, "announcement.updated", {"announcement": event_data(announcement)})
    return announcement


def _go_live(session, announcement: Announcement, now: datetime) -> None:
    announcement.status = "published"
    announcement.published_at = now
    announcement.updated_at = now
    session.flush()
    emit(session, "announcement.published", {"announcement": event_data(announcement)})


def _release(session, announcement: Announcement) -> None:
    """Publish now, or schedule when `publish_at` is still ahead."""
    now = utcnow()
    if announcement.publish_at is not None and announcement.publish_at > now:
        announcement.status = "scheduled"
        announcement.updated_at = now
    else:
        _go_live(session, announcement, now)


def _ensure_status(session, organisation_id, capability: str) -> None:
    """The author organisation's status (from the projection) allows `capability`."""
    organisation = session.get(Organisation, organisation_id)
    organisation_status.ensure(organisation.status if organisation else None, capability)


def publish(session, caller: Caller, announcement_id, publish_at: datetime | None):
    """Staff publish (now or at `publish_at`); an organisation's news goes to moderation."""
    announcement = managed(session, caller, announcement_id)
    if announcement.status not in ("draft", "rejected"):
        raise Conflict(f"A {announcement.status} announcement cannot be submitted.")
    announcement.publish_at = publish_at
    announcement.moderation_reason = None
    if caller.is_platform_admin:
        _release(session, announcement)
    else:
        _ensure_status(session, announcement.author_organisation_id, PUBLISH)
        announcement.status = "pending"
        announcement.updated_at = utcnow()
    return announcement


def approve(session, caller: Caller, announcement_id) -> Announcement:
    _require_platform_admin(caller)
    announcement = get(session, announcement_id, lock=True)
    if announcement.status != "pending":
        raise Conflict("Only announcements awaiting moderation can be approved.")
    announcement.moderation_reason = None
    _release(session, announcement)
    return announcement


def reject(session, caller: Caller, announcement_id, reason: str) -> Announcement:
    _require_platform_admin(caller)
    announcement = get(session, announcement_id, lock=True)
    if announcement.status != "pending":
        raise Conflict("Only announcements awaiting moderation can be rejected.")
    announcement.status = "rejected"
    announcement.moderation_reason = reason
    announcement.updated_at = utcnow()
    return announcement


def withdraw(session, caller: Caller, announcement_id, reason: str | None) -> Announcement:
    """Take an announcement down: it leaves lists and feeds, and subscribers hear of it."""
    announcement = managed(session, caller, announcement_id)
    if announcement.status not in ("published", "scheduled", "pending"):
        raise Conflict(f"A {announcement.status} announcement cannot be withdrawn.")
    was_published = announcement.status == "published"
    now = utcnow()
    announcement.status = "withdrawn"
    announcement.withdrawn_at = now
    announcement.updated_at = now
    if reason:
        announcement.moderation_reason = reason
    session.flush()
    if was_published:
        emit(
            session,
            "announcement.withdrawn",
            {"announcement": event_data(announcement), "reason": reason},
        )
    return announcement


def publish_due(session, now: datetime | None = None) -> int:
    """Publish every scheduled announcement whose time has come (the periodic task)."""
    now = now or utcnow()
    due = session.scalars(
        select(Announcement.id)
        .where(Announcement.status == "scheduled", Announcement.publish_at <= now)
        .order_by(Announcement.publish_at)
        .limit(500)
    ).all()
    published = 0
    for announcement_id in due:
        # A conditional update: two runs at once publish (and announce) each one only once.
        claimed = session.execute(
            update(Announcement)
            .where(Announcement.id == announcement_id, Announcement.status == "scheduled")
            .values(status="published", published_at=now, updated_at=now)
        ).rowcount
        if claimed:
            announcement = session.get(Announcement, announcement_id, populate_existing=True)
            emit(session, "announcement.published", {"announcement": event_data(announcement)})
            published += 1
    return published


# --- Reading ---


def _visible_page(session, caller: Caller | None, stmt, cursor, limit, order) -> dict:
    """A keyset page of published announcements the caller may read, filtered in batches."""
    columns, descending, key = order
    items: list[Announcement] = []
    more = False
    while True:
        rows = session.scalars(keyset(stmt, columns, cursor, limit * 2, descending)).all()
        for row in rows[: limit * 2]:
            if audiences.can_read(session, caller, row):
                items.append(row)
            if len(items) > limit:
                break
        if len(items) > limit or len(rows) <= limit * 2:
            more = len(items) > limit
            break
        cursor = encode_cursor(list(key(rows[limit * 2 - 1])))
    rows = items[: limit + 1] if more else items
    return page(rows, limit, key=key)


# (keyset columns, descending, a row's key): newest publication first, or soonest start first.
BY_PUBLICATION = (
    [Announcement.published_at, Announcement.id],
    True,
    lambda a: (a.published_at, a.id),
)
BY_START = ([Announcement.starts_at, Announcement.id], False, lambda a: (a.starts_at, a.id))


def listing(
    session,
    caller: Caller | None,
    kind: str | None,
    cursor,
    limit,
    upcoming: bool = False,
    now: datetime | None = None,
) -> dict:
    """Published announcements for this reader, newest first; or, `upcoming`, the events
    still to start at `now`, soonest first."""
    stmt = (
        select(Announcement)
        .where(Announcement.status == "published")
        .options(defer(Announcement.body), defer(Announcement.body_html))
    )
    order = BY_PUBLICATION
    if upcoming:
        kind, order = "event", BY_START
        stmt = stmt.where(Announcement.starts_at > (now or utcnow()))
    if kind:
        stmt = stmt.where(Announcement.kind == kind)
    if caller is None:
        columns, descending, key = order
        stmt = stmt.where(Announcement.audience_scope == "public")
        rows = session.scalars(keyset(stmt, columns, cursor, limit, descending)).all()
        return page(rows, limit, key=key)
    return _visible_page(session, caller, stmt, cursor, limit, order)


def mine(session, caller: Caller, status: str | None, cursor, limit) -> dict:
    """What the caller's organisation (or, for staff, anyone) wrote, newest change first."""
    stmt = select(Announcement)
    if not caller.is_platform_admin:
        if caller.organisation_id is None or not caller.is_admin_of(caller.organisation_id):
            raise Forbidden("Only organisation admins and staff manage announcements.")
        stmt = stmt.where(Announcement.author_organisation_id == caller.organisation_id)
    if status:
        stmt = stmt.where(Announcement.status == status)
    columns = [Announcement.updated_at, Announcement.id]
    rows = session.scalars(keyset(stmt, columns, cursor, limit, descending=True)).all()
    return page(rows, limit, key=lambda a: (a.updated_at, a.id))


def moderation_queue(session, caller: Caller, cursor, limit) -> dict:
    """Organisations' news awaiting a platform admin, oldest first."""
    _require_platform_admin(caller)
    stmt = select(Announcement).where(Announcement.status == "pending")
    columns = [Announcement.updated_at, Announcement.id]
    rows = session.scalars(keyset(stmt, columns, cursor, limit)).all()
    return page(rows, limit, key=lambda a: (a.updated_at, a.id))


def versions(session, caller: Caller, announcement_id) -> list[AnnouncementVersion]:
    announcement = managed(session, caller, announcement_id, lock=False)
    return session.scalars(
        select(AnnouncementVersion)
        .where(AnnouncementVersion.announcement_id == announcement.id)
        .order_by(AnnouncementVersion.version)
    ).all()
