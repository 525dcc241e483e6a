"""Contact outside events: a verified organisation asks another for a meeting, with a message
and up to three proposed times; the other accepts one or declines.

The same `meeting_requests` rows as at events, with no event: the parties are organisations, so
the people of either organisation may act for it and read it, and nobody else may. Times are
kept in UTC and shown in each side's zone (its park's) and the reader's.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from shared.auth import Caller
from shared.db import utcnow
from shared.errors import Conflict, Forbidden, NotFound, ValidationFailed

from ..models import MeetingRequest, Organisation
from . import meetings, times
from .people import person, verified_organisation

PARK_ZONES = {"sophia_antipolis": "Europe/Paris", "jiangning": "Asia/Shanghai"}


def zone_of(organisation: Organisation | None) -> str:
    """An organisation's usual zone: its park's, else UTC."""
    return PARK_ZONES.get(organisation.park, "UTC") if organisation else "UTC"


def request(session, caller: Caller, payload: dict, now: datetime | None = None):
    caller = person(caller)
    mine = verified_organisation(session, caller)
    now = now or utcnow()
    length = timedelta(minutes=payload["minutes"])
    proposed = sorted({t.astimezone(times.zone("UTC")) for t in payload["proposed_times"]})
    for i, moment in enumerate(payload["proposed_times"]):
        if moment <= now:
            raise ValidationFailed.field(f"proposed_times/{i}", "Propose a time ahead.")
    if len(proposed) != len(payload["proposed_times"]):
        raise ValidationFailed.field("proposed_times", "Propose different times.")
    theirs = session.get(Organisation, payload["recipient_organisation_id"])
    if theirs is None or theirs.status != "verified":
        raise NotFound("No such organisation takes meeting requests.")
    if theirs.id == mine.id:
        raise Conflict(
            "Meetings are between different organisations.", code="meeting.same_organisation"
        )
    meeting = MeetingRequest(
        announcement_id=None,
        requester_id=mine.id,
        recipient_id=theirs.id,
        requester_organisation_id=mine.id,
        recipient_organisation_id=theirs.id,
        requested_by=caller.user_id,
        status="requested",
        open_pair="c:" + meetings.pair_key(mine.id, theirs.id),
        reason=payload["message"],
        online=payload["online"],
        project_id=payload.get("project_id"),
        proposed_times=[
            {"starts_at": t.isoformat(), "ends_at": (t + length).isoformat()} for t in proposed
        ],
        created_at=now,
        updated_at=now,
    )
    return meetings._insert_open(session, meeting)


def _get(session, contact_id) -> MeetingRequest:
    meeting = session.get(MeetingRequest, contact_id)
    if meeting is None or meeting.announcement_id is not None:
        raise NotFound("No such meeting request.")
    return meeting


def readable(session, caller: Caller, contact_id) -> MeetingRequest:
    """For the people of either organisation (and staff); 404 for anyone else."""
    meeting = _get(session, contact_id)
    if caller.is_platform_admin or any(
        caller.belongs_to(o)
        for o in (meeting.requester_organisation_id, meeting.recipient_organisation_id)
    ):
        return meeting
    raise NotFound("No such meeting request.")


def _side(session, caller: Caller, contact_id):
    caller = person(caller)
    meeting = _get(session, contact_id)
    if not any(
        caller.belongs_to(o)
        for o in (meeting.requester_organisation_id, meeting.recipient_organisation_id)
    ):
        raise NotFound("No such meeting request.")
    verified_organisation(session, caller)
    # A write first (the row's lock on PostgreSQL, the write lock on SQLite): two decisions on
    # one request are taken one after the other, the second seeing the first.
    session.execute(
        update(MeetingRequest)
        .where(MeetingRequest.id == meeting.id)
        .values(updated_at=MeetingRequest.updated_at)
    )
    session.refresh(meeting)
    return caller, meeting


def accept(session, caller: Caller, contact_id, starts_at: datetime):
    """The organisation asked accepts one of the proposed times."""
    caller, meeting = _side(session, caller, contact_id)
    if not caller.belongs_to(meeting.recipient_organisation_id):
        raise Forbidden("Only the organisation asked can accept.")
    if meeting.status != "requested":
        raise Conflict(f"This request is {meeting.status}.", code="meeting.not_open")
    chosen = next(
        (
            t
            for t in meeting.proposed_times
            if datetime.fromisoformat(t["starts_at"]) == starts_at.astimezone(times.zone("UTC"))
        ),
        None,
    )
    if chosen is None:
        raise ValidationFailed.field("starts_at", "Choose one of the proposed times.")
    if datetime.fromisoformat(chosen["starts_at"]) <= utcnow():
        raise Conflict("That time has passed.", code="meeting.time_passed")
    meeting.starts_at = datetime.fromisoformat(chosen["starts_at"])
    meeting.ends_at = datetime.fromisoformat(chosen["ends_at"])
    meeting.status = "accepted"
    meeting.published = True
    meeting.decided_by = caller.user_id
    meeting.updated_at = utcnow()
    session.flush()
    meetings._emit(session, "meeting.accepted", meeting)
    return meeting


def decline(session, caller: Caller, contact_id, note: str | None):
    caller, meeting = _side(session, caller, contact_id)
    if not caller.belongs_to(meeting.recipient_organisation_id):
        raise Forbidden("Only the organisation asked can decline.")
    if meeting.status != "requested":
        raise Conflict(f"This request is {meeting.status}.", code="meeting.not_open")
    meeting.status = "declined"
    meeting.note = note
    meeting.open_pair = None
    meeting.decided_by = caller.user_id
    meeting.updated_at = utcnow()
    session.flush()
    meetings._emit(session, "meeting.declined", meeting)
    return meeting


def cancel(session, caller: Caller, contact_id, note: str | None):
    caller, meeting = _side(session, caller, contact_id)
    return meetings.close(session, caller, meeting, note)


def listing(session, caller: Caller, direction: str | None, status: str | None):
    """The caller's organisation's contact requests, newest first."""
    organisation_id = caller.organisation_id
    if organisation_id is None:
        return []
    stmt = select(MeetingRequest).where(MeetingRequest.announcement_id.is_(None))
    sent = MeetingRequest.requester_organisation_id == organisation_id
    received = MeetingRequest.recipient_organisation_id == organisation_id
    stmt = stmt.where({"sent": sent, "received": received}.get(direction, or_(sent, received)))
    if status:
        stmt = stmt.where(MeetingRequest.status == status)
    return list(session.scalars(stmt.order_by(MeetingRequest.created_at.desc()).limit(200)))


def shown(session, meeting: MeetingRequest, reader_zone: str | None) -> dict:
    """The request with every time in UTC, each side's zone and the reader's."""
    zones = {
        "requester": zone_of(session.get(Organisation, meeting.requester_organisation_id)),
        "recipient": zone_of(session.get(Organisation, meeting.recipient_organisation_id)),
    }

    def moment(value: datetime | None) -> dict | None:
        if value is None:
            return None
        return {
            "utc": value.isoformat(),
            "requester": times.local(value, zones["requester"]),
            "recipient": times.local(value, zones["recipient"]),
            "reader": times.local(value, reader_zone),
        }

    return {
        "id": meeting.id,
        "requester_organisation_id": meeting.requester_organisation_id,
        "recipient_organisation_id": meeting.recipient_organisation_id,
        "requester_timezone": zones["requester"],
        "recipient_timezone": zones["recipient"],
        "reader_timezone": reader_zone,
        "project_id": meeting.project_id,
        "status": meeting.status,
        "message": meeting.reason,
        "note": meeting.note,
        "online": meeting.online,
        "proposed_times": [
            {
                "starts_at": moment(datetime.fromisoformat(t["starts_at"])),
                "ends_at": moment(datetime.fromisoformat(t["ends_at"])),
            }
            for t in meeting.proposed_times or ()
        ],
        "starts_at": moment(meeting.starts_at),
        "ends_at": moment(meeting.ends_at),
        "created_at": meeting.created_at,
        "updated_at": meeting.updated_at,
    }
