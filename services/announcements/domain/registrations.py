"""Registration for events: places up to the capacity, then a waiting list that moves up.

Every write starts by bumping the event's `registrations_revision` in one UPDATE: on PostgreSQL
that locks the event's row, on SQLite it takes the database's write lock, so two people asking
for the last place are served one after the other, on any number of processes.
"""

from __future__ import annotations

from sqlalchemy import func, select, update

from shared.auth import Caller
from shared.db import utcnow
from shared.errors import Conflict, Forbidden, NotFound
from shared.events import emit

from ..models import Announcement, AnnouncementVersion, Registration, User
from . import announcements as domain
from . import audience as audiences

ACTIVE = ("registered", "waiting")


def _lock(session, announcement_id) -> Announcement:
    """Serialise registration writes for one event; its current state afterwards."""
    touched = session.execute(
        update(Announcement)
        .where(Announcement.id == announcement_id)
        .values(registrations_revision=Announcement.registrations_revision + 1)
    ).rowcount
    if not touched:
        raise NotFound("No such announcement.")
    return session.get(Announcement, announcement_id, populate_existing=True)


def _taken(session, announcement_id) -> int:
    return session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.announcement_id == announcement_id, Registration.status == "registered")
    )


def _changed(session, announcement, registration: Registration, status: str) -> None:
    emit(
        session,
        "announcement.registration_changed",
        {
            "announcement": domain.event_data(announcement),
            "user_id": str(registration.user_id),
            "organisation_id": (
                str(registration.organisation_id) if registration.organisation_id else None
            ),
            "status": status,
        },
    )


def register(session, caller: Caller, announcement_id) -> Registration:
    """A place if one is free, else a place on the waiting list."""
    if caller.user_id is None:
        raise Forbidden("People register for events, not integrator clients.")
    announcement = _lock(session, announcement_id)
    if announcement.status != "published" or not audiences.can_read(session, caller, announcement):
        raise NotFound("No such announcement.")
    if announcement.kind != "event":
        raise Conflict("Only events take registrations.", code="registration.not_an_event")
    if announcement.starts_at <= utcnow():
        raise Conflict("This event has already started.", code="registration.event_started")
    registration = session.scalars(
        select(Registration).where(
            Registration.announcement_id == announcement.id,
            Registration.user_id == caller.user_id,
        )
    ).first()
    if registration is not None and registration.status in ACTIVE:
        raise Conflict(
            f"You are already {registration.status} for this event.",
            code="registration.already_registered",
        )
    full = announcement.capacity is not None and (
        _taken(session, announcement.id) >= announcement.capacity
    )
    status = "waiting" if full else "registered"
    now = utcnow()
    if registration is None:
        registration = Registration(
            announcement_id=announcement.id, user_id=caller.user_id, requested_at=now
        )
        session.add(registration)
    registration.organisation_id = caller.organisation_id
    registration.status = status
    registration.requested_at = now
    registration.updated_at = now
    session.flush()
    _changed(session, announcement, registration, status)
    return registration


def cancel(session, caller: Caller, announcement_id) -> Registration:
    """Give up a place (the first person waiting gets it) or a place in the queue."""
    announcement = _lock(session, announcement_id)
    registration = session.scalars(
        select(Registration).where(
            Registration.announcement_id == announcement.id,
            Registration.user_id == caller.user_id,
            Registration.status.in_(ACTIVE),
        )
    ).first()
    if registration is None:
        raise NotFound("You are not registered for this event.")
    freed = registration.status == "registered"
    registration.status = "cancelled"
    registration.updated_at = utcnow()
    session.flush()
    _changed(session, announcement, registration, "cancelled")
    if freed:
        promote(session, announcement)
    return registration


def promote(session, announcement: Announcement) -> list[Registration]:
    """Move people up from the waiting list while places are free (first come, first served)."""
    promoted = []
    while announcement.capacity is None or _taken(session, announcement.id) < (
        announcement.capacity
    ):
        waiting = session.scalars(
            select(Registration)
            .where(
                Registration.announcement_id == announcement.id, Registration.status == "waiting"
            )
            .order_by(Registration.requested_at, Registration.id)
            .limit(1)
        ).first()
        if waiting is None:
            break
        waiting.status = "registered"
        waiting.updated_at = utcnow()
        session.flush()
        _changed(session, announcement, waiting, "promoted")
        promoted.append(waiting)
    return promoted


def refill(session, announcement_id) -> list[Registration]:
    """After the capacity changed: promote as many people waiting as now fit."""
    announcement = _lock(session, announcement_id)
    if announcement.kind != "event" or announcement.status != "published":
        return []
    return promote(session, announcement)


def own(session, caller: Caller, announcement_id) -> Registration:
    registration = session.scalars(
        select(Registration).where(
            Registration.announcement_id == announcement_id,
            Registration.user_id == caller.user_id,
        )
    ).first()
    if registration is None:
        raise NotFound("You are not registered for this event.")
    return registration


def attendees(session, caller: Caller, announcement_id) -> dict:
    """The organiser's view: who has a place and who waits, in order, with their names."""
    announcement = domain.managed(session, caller, announcement_id, lock=False)
    # The name as members last published it; None until its event has arrived.
    entries = session.execute(
        select(*Registration.__table__.c, User.full_name)
        .outerjoin(User, User.id == Registration.user_id)
        .where(Registration.announcement_id == announcement.id, Registration.status.in_(ACTIVE))
        .order_by(Registration.requested_at, Registration.id)
    ).mappings()
    entries = [dict(entry) for entry in entries]
    return {
        "capacity": announcement.capacity,
        "registered": [e for e in entries if e["status"] == "registered"],
        "waiting": [e for e in entries if e["status"] == "waiting"],
    }


def counts(session, announcement_id) -> dict:
    rows = session.execute(
        select(Registration.status, func.count())
        .where(Registration.announcement_id == announcement_id)
        .group_by(Registration.status)
    ).all()
    found = dict(rows)
    return {"registered": found.get("registered", 0), "waiting": found.get("waiting", 0)}


def forget_person(session, user_id) -> None:
    """A deleted account leaves no registration behind; freed places go to those waiting."""
    rows = session.scalars(select(Registration).where(Registration.user_id == user_id)).all()
    events = {r.announcement_id for r in rows if r.status == "registered"}
    for row in rows:
        session.delete(row)
    session.flush()
    for announcement_id in events:
        announcement = session.get(Announcement, announcement_id)
        if announcement is not None and announcement.status == "published":
            promote(session, announcement)
    session.execute(
        update(Announcement).where(Announcement.created_by == user_id).values(created_by=None)
    )
    session.execute(
        update(AnnouncementVersion)
        .where(AnnouncementVersion.edited_by == user_id)
        .values(edited_by=None)
    )
