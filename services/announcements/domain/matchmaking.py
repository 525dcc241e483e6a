"""Matchmaking on an event: the organiser's settings, its B2B sessions and their slots.

A session is a block of the event's time cut into slots of one meeting's length. A slot's id is
`<session id>.<index>`: stable while the session and the meeting length stay as they are, which
is why neither may change once a meeting holds a slot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from sqlalchemy import delete, exists, select, update
from sqlalchemy.exc import IntegrityError

from shared import organisation_status
from shared.auth import Caller
from shared.db import utcnow
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.organisation_status import PUBLISH

from ..models import Announcement, Matchmaking, MeetingRequest, MeetingSession, Organisation
from . import announcements as announcements_domain
from . import times

SETTINGS = (
    "meeting_minutes",
    "tables",
    "online",
    "booking_opens_at",
    "booking_closes_at",
    "max_meetings",
    "mode",
    "gap_slots",
)


@dataclass(frozen=True)
class Slot:
    id: str
    session_id: str
    index: int
    starts_at: datetime
    ends_at: datetime
    in_person: bool


def slots_of(session: MeetingSession, minutes: int) -> list[Slot]:
    """The slots a session holds: whole meetings only, from its start."""
    length = timedelta(minutes=minutes)
    count = int((session.ends_at - session.starts_at) / length)
    return [
        Slot(
            f"{session.id}.{i}",
            str(session.id),
            i,
            session.starts_at + i * length,
            session.starts_at + (i + 1) * length,
            session.in_person,
        )
        for i in range(count)
    ]


def sessions(db_session, announcement_id) -> list[MeetingSession]:
    return list(
        db_session.scalars(
            select(MeetingSession)
            .where(MeetingSession.announcement_id == announcement_id)
            .order_by(MeetingSession.starts_at)
        )
    )


def all_slots(db_session, settings: Matchmaking) -> dict[str, Slot]:
    """Every slot of the event, by id, in time order."""
    found: dict[str, Slot] = {}
    for block in sessions(db_session, settings.announcement_id):
        for slot in slots_of(block, settings.meeting_minutes):
            found[slot.id] = slot
    return found


def of_event(db_session, announcement_id) -> Matchmaking:
    """The event's matchmaking settings; 404 when it has none."""
    settings = db_session.get(Matchmaking, announcement_id)
    if settings is None:
        raise NotFound("This event has no one-to-one meetings.", code="matchmaking.not_enabled")
    return settings


def lock(db_session, announcement_id) -> Matchmaking:
    """Serialise the event's booking writes: one UPDATE first (a row lock on PostgreSQL, the
    write lock on SQLite), so limits are counted with nobody else booking meanwhile."""
    touched = db_session.execute(
        update(Matchmaking)
        .where(Matchmaking.announcement_id == announcement_id)
        .values(revision=Matchmaking.revision + 1)
    ).rowcount
    if not touched:
        raise NotFound("This event has no one-to-one meetings.", code="matchmaking.not_enabled")
    return db_session.get(Matchmaking, announcement_id, populate_existing=True)


def organised(db_session, caller: Caller, announcement_id) -> Announcement:
    """The event if the caller organises it: staff, or an admin of its (verified) organiser."""
    announcement = announcements_domain.managed(db_session, caller, announcement_id, lock=False)
    if announcement.kind != "event":
        raise Conflict("Only events have one-to-one meetings.", code="registration.not_an_event")
    if not caller.is_platform_admin:
        organisation = db_session.get(Organisation, announcement.author_organisation_id)
        organisation_status.ensure(organisation.status if organisation else None, PUBLISH)
    return announcement


def _check(payload: dict, blocks: list[dict]) -> None:
    """The settings and sessions make sense together; a 422 naming the field otherwise."""
    if payload["booking_closes_at"] <= payload["booking_opens_at"]:
        raise ValidationFailed.field(
            "booking_closes_at", "The booking window closes before it opens."
        )
    minutes = timedelta(minutes=payload["meeting_minutes"])
    ordered = sorted(enumerate(blocks), key=lambda pair: pair[1]["starts_at"])
    for i, block in ordered:
        if block["ends_at"] - block["starts_at"] < minutes:
            raise ValidationFailed.field(
                f"sessions/{i}/ends_at", "The session is shorter than one meeting."
            )
        if block["ends_at"] - block["starts_at"] > timedelta(hours=24):
            raise ValidationFailed.field(
                f"sessions/{i}/ends_at", "A session lasts at most 24 hours."
            )
    for (_, before), (j, after) in pairwise(ordered):
        if after["starts_at"] < before["ends_at"]:
            raise ValidationFailed.field(
                f"sessions/{j}/starts_at", "Sessions may not overlap.", code="invalid"
            )
    if payload["tables"] == 0 and not payload["online"]:
        raise ValidationFailed.field("tables", "Give tables, or offer online meetings.")
    if payload["tables"] == 0 and any(b["in_person"] for b in blocks):
        raise ValidationFailed.field("tables", "In-person sessions need tables.")
    if not payload["online"] and not all(b["in_person"] for b in blocks):
        raise ValidationFailed.field(
            "online", "An online-only session needs online meetings offered."
        )


def _booked(db_session, announcement_id) -> bool:
    return bool(
        db_session.scalar(
            select(
                exists().where(
                    MeetingRequest.announcement_id == announcement_id,
                    MeetingRequest.slot_id.is_not(None),
                )
            )
        )
    )


def configure(db_session, caller: Caller, announcement_id, payload: dict) -> Matchmaking:
    """Switch matchmaking on for an event, or change its settings and sessions."""
    announcement = organised(db_session, caller, announcement_id)
    zone = announcement.timezone or "UTC"
    payload = dict(payload)
    for name in ("booking_opens_at", "booking_closes_at"):
        payload[name] = times.to_utc(payload[name], zone)
    blocks = [
        {
            **b,
            "starts_at": times.to_utc(b["starts_at"], zone),
            "ends_at": times.to_utc(b["ends_at"], zone),
        }
        for b in payload.pop("sessions")
    ]
    _check(payload, blocks)
    settings = db_session.get(Matchmaking, announcement.id)
    now = utcnow()
    if settings is None:
        settings = Matchmaking(announcement_id=announcement.id, created_at=now)
        for name in SETTINGS:
            setattr(settings, name, payload[name])
        db_session.add(settings)
        try:
            db_session.flush()
        except IntegrityError as exc:  # another organiser switched meetings on meanwhile
            raise Conflict(
                "Meetings were just switched on for this event; read them again."
            ) from exc
    else:
        settings = lock(db_session, announcement.id)
        current = [
            (s.starts_at, s.ends_at, s.in_person) for s in sessions(db_session, announcement.id)
        ]
        wanted = sorted((b["starts_at"], b["ends_at"], b["in_person"]) for b in blocks)
        changed = current != wanted or settings.meeting_minutes != payload["meeting_minutes"]
        if changed and _booked(db_session, announcement.id):
            raise Conflict(
                "Meetings hold slots already: sessions and meeting length stay as they are.",
                code="matchmaking.slots_in_use",
            )
    for name in SETTINGS:
        setattr(settings, name, payload[name])
    settings.updated_at = now
    db_session.flush()
    kept = {(s.starts_at, s.ends_at, s.in_person): s for s in sessions(db_session, announcement.id)}
    wanted_keys = set()
    for block in blocks:
        key = (block["starts_at"], block["ends_at"], block["in_person"])
        wanted_keys.add(key)
        if key in kept:
            kept[key].name = block.get("name") or {}
        else:
            db_session.add(
                MeetingSession(
                    announcement_id=announcement.id,
                    name=block.get("name") or {},
                    starts_at=block["starts_at"],
                    ends_at=block["ends_at"],
                    in_person=block["in_person"],
                )
            )
    gone = [s.id for key, s in kept.items() if key not in wanted_keys]
    if gone:
        db_session.execute(delete(MeetingSession).where(MeetingSession.id.in_(gone)))
    db_session.flush()
    return settings


def booking_open(settings: Matchmaking, now: datetime | None = None) -> None:
    """409 outside the booking window."""
    now = now or utcnow()
    if not settings.booking_opens_at <= now < settings.booking_closes_at:
        raise Conflict(
            "Meeting requests are taken only while booking is open.",
            code="meeting.booking_closed",
        )


def described(db_session, settings: Matchmaking, reader_zone: str | None) -> dict:
    """The settings with sessions and slots, times in UTC, the event's zone and the reader's."""
    announcement = db_session.get(Announcement, settings.announcement_id)
    zone = announcement.timezone or "UTC"

    def moment(value: datetime) -> dict:
        return {
            "utc": value.isoformat(),
            "local": times.local(value, zone),
            "reader": times.local(value, reader_zone),
        }

    blocks = []
    for block in sessions(db_session, settings.announcement_id):
        blocks.append(
            {
                "id": block.id,
                "name": block.name or {},
                "in_person": block.in_person,
                "starts_at": moment(block.starts_at),
                "ends_at": moment(block.ends_at),
                "slots": [
                    {"id": s.id, "starts_at": moment(s.starts_at), "ends_at": moment(s.ends_at)}
                    for s in slots_of(block, settings.meeting_minutes)
                ],
            }
        )
    return {
        "announcement_id": settings.announcement_id,
        "timezone": zone,
        "reader_timezone": reader_zone,
        **{name: getattr(settings, name) for name in SETTINGS},
        "booking_opens_at": moment(settings.booking_opens_at),
        "booking_closes_at": moment(settings.booking_closes_at),
        "agendas_published_at": settings.agendas_published_at,
        "sessions": blocks,
    }
