"""Meeting requests at an event: request with a reason, accept (into a slot), decline, cancel.

Every write locks the event's matchmaking row first (`matchmaking.lock`), so limits are counted
with no other booking in between. What makes double-booking impossible is the database itself:
a meeting in a slot writes one `meeting_bookings` row per participant, unique on (participant,
slot), and its table is unique per (event, slot, table); a write that loses a race fails its
INSERT and answers 409, leaving nothing behind.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import object_session

from shared.auth import Caller
from shared.db import utcnow
from shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from shared.events import emit

from ..models import (
    Announcement,
    Matchmaking,
    MeetingBooking,
    MeetingRequest,
    Organisation,
    Participant,
)
from . import announcements as announcements_domain
from . import matchmaking, participants
from .people import person

OPEN = ("requested", "accepted")


def pair_key(a, b) -> str:
    """One key per unordered pair of parties (the same whoever asked)."""
    first, second = sorted((str(a), str(b)))
    return f"{first}:{second}"


def event_data(meeting: MeetingRequest) -> dict:
    """The meeting as the catalogue carries it: ids, times, organisations; no text, no people."""

    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": str(meeting.id),
        "announcement_id": str(meeting.announcement_id) if meeting.announcement_id else None,
        "requester_id": str(meeting.requester_id),
        "recipient_id": str(meeting.recipient_id),
        "requester_organisation_id": str(meeting.requester_organisation_id),
        "recipient_organisation_id": str(meeting.recipient_organisation_id),
        "status": meeting.status,
        "online": meeting.online,
        "starts_at": iso(meeting.starts_at),
        "ends_at": iso(meeting.ends_at),
        "table": meeting.table_number,
        **_people_and_zone(meeting),
    }


def _people_and_zone(meeting: MeetingRequest) -> dict:
    """The two participants' user ids and the event's zone, so that notifications can tell the
    two people (not everyone of their organisations) in their own time and the event's."""
    session = object_session(meeting)
    if meeting.announcement_id is None or session is None:
        return {"requester_user_id": None, "recipient_user_id": None, "timezone": None}
    requester = session.get(Participant, meeting.requester_id)
    recipient = session.get(Participant, meeting.recipient_id)
    announcement = session.get(Announcement, meeting.announcement_id)
    return {
        "requester_user_id": str(requester.user_id) if requester else None,
        "recipient_user_id": str(recipient.user_id) if recipient else None,
        "timezone": announcement.timezone if announcement else None,
    }


def _emit(session, name: str, meeting: MeetingRequest) -> None:
    emit(session, name, {"meeting": event_data(meeting)})


def accepted_count(session, participant_id) -> int:
    return session.scalar(
        select(func.count())
        .select_from(MeetingRequest)
        .where(
            MeetingRequest.status == "accepted",
            or_(
                MeetingRequest.requester_id == participant_id,
                MeetingRequest.recipient_id == participant_id,
            ),
        )
    )


def _within_limit(session, settings: Matchmaking, party: Participant, whose: str) -> None:
    if accepted_count(session, party.id) >= settings.max_meetings:
        raise Conflict(
            f"{whose} already {'have' if whose == 'You' else 'has'} the most meetings this "
            f"event allows ({settings.max_meetings}).",
            code="meeting.limit_reached",
        )


def _format(settings: Matchmaking, a: Participant, b: Participant, online: bool | None) -> bool:
    """Whether the meeting is online: as asked, else in person when both can meet so."""
    can_online = settings.online and a.attendance != "in_person" and b.attendance != "in_person"
    can_in_person = a.attendance != "online" and b.attendance != "online"
    if online is None:
        online = not can_in_person
    if (online and not can_online) or (not online and not can_in_person):
        raise Conflict(
            "You cannot meet this participant that way (in person or online).",
            code="meeting.no_common_format",
        )
    return online


def _verified(session, organisation_id) -> bool:
    organisation = session.get(Organisation, organisation_id)
    return organisation is not None and organisation.status == "verified"


def request(session, caller: Caller, announcement_id, payload: dict, now=None) -> MeetingRequest:
    """Ask another participant for a meeting, with a reason."""
    requester = participants.acting(session, caller, announcement_id)
    settings = matchmaking.lock(session, announcement_id)
    matchmaking.booking_open(settings, now)
    recipient = session.get(Participant, payload["recipient_id"])
    if (
        recipient is None
        or recipient.announcement_id != requester.announcement_id
        or not _verified(session, recipient.organisation_id)
    ):
        raise ValidationFailed.field("recipient_id", "Not a participant of this event.")
    if recipient.organisation_id == requester.organisation_id:
        raise Conflict(
            "Meetings are between different organisations.", code="meeting.same_organisation"
        )
    online = _format(settings, requester, recipient, payload.get("online"))
    _within_limit(session, settings, requester, "You")
    now = utcnow()
    meeting = MeetingRequest(
        announcement_id=requester.announcement_id,
        requester_id=requester.id,
        recipient_id=recipient.id,
        requester_organisation_id=requester.organisation_id,
        recipient_organisation_id=recipient.organisation_id,
        requested_by=caller.user_id,
        status="requested",
        open_pair=pair_key(requester.id, recipient.id),
        reason=payload["reason"],
        online=online,
        created_at=now,
        updated_at=now,
    )
    return _insert_open(session, meeting)


def _insert_open(session, meeting: MeetingRequest) -> MeetingRequest:
    """Insert a new open request; 409 when the pair has one already (checked by the database)."""
    session.add(meeting)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "You two have an open request already.", code="meeting.already_requested"
        ) from exc
    _emit(session, "meeting.requested", meeting)
    return meeting


def _meeting(session, announcement_id, meeting_id) -> MeetingRequest:
    meeting = session.get(MeetingRequest, meeting_id)
    if meeting is None or meeting.announcement_id != announcement_id:
        raise NotFound("No such meeting request.")
    return meeting


def _party_of(session, caller: Caller, meeting: MeetingRequest) -> Participant:
    """The caller's side of the meeting; 404 for anyone not a party (they may not see it)."""
    mine = participants.acting(session, caller, meeting.announcement_id)
    if mine.id not in (meeting.requester_id, meeting.recipient_id):
        raise NotFound("No such meeting request.")
    return mine


def readable(session, caller: Caller, announcement_id, meeting_id) -> MeetingRequest:
    """A meeting request, for its parties (and the event's organisers)."""
    meeting = _meeting(session, announcement_id, meeting_id)
    event = announcements_domain.get(session, announcement_id)
    if announcements_domain.may_manage(caller, event):
        return meeting
    mine = participants.own(session, caller, announcement_id)
    if mine.id not in (meeting.requester_id, meeting.recipient_id):
        raise NotFound("No such meeting request.")
    return meeting


def ensure_timed(meeting: MeetingRequest) -> None:
    """409 unless the meeting is accepted with a published time."""
    if meeting.status != "accepted" or meeting.starts_at is None or not meeting.published:
        raise Conflict("This meeting has no time yet.", code="meeting.not_scheduled")


def _free_for_both(session, settings: Matchmaking, meeting: MeetingRequest, slot) -> None:
    """409 when either party has a meeting in the slot (the unique key catches any race), or
    within the event's break (`gap_slots`) before or after it."""
    session_id, index = slot.id.rsplit(".", 1)
    near = [
        f"{session_id}.{i}"
        for i in range(int(index) - settings.gap_slots, int(index) + settings.gap_slots + 1)
    ]
    taken = set(
        session.scalars(
            select(MeetingBooking.slot_id).where(
                MeetingBooking.slot_id.in_(near),
                MeetingBooking.participant_id.in_((meeting.requester_id, meeting.recipient_id)),
            )
        )
    )
    if slot.id in taken:
        raise Conflict("One of you has a meeting in this slot.", code="meeting.slot_taken")
    if taken:
        raise Conflict(
            "One of you would have no break between two meetings.", code="meeting.no_break"
        )


def _free_table(session, settings: Matchmaking, slot_id: str) -> int:
    taken = set(
        session.scalars(
            select(MeetingRequest.table_number).where(
                MeetingRequest.announcement_id == settings.announcement_id,
                MeetingRequest.slot_id == slot_id,
                MeetingRequest.table_number.is_not(None),
            )
        )
    )
    for table in range(1, settings.tables + 1):
        if table not in taken:
            return table
    raise Conflict("Every table is taken in this slot.", code="meeting.no_table")


def _slot_for(session, settings, meeting, a: Participant, b: Participant, slot_id: str):
    """The slot, if both attend its session, it suits the format and their hours."""
    slot = matchmaking.all_slots(session, settings).get(slot_id or "")
    if slot is None:
        raise ValidationFailed.field("slot_id", "Not a slot of this event.")
    if slot.session_id not in set(a.session_ids) or slot.session_id not in set(b.session_ids):
        raise Conflict(
            "You do not both attend this slot's session.", code="meeting.slot_not_common"
        )
    if not meeting.online and not slot.in_person:
        raise Conflict("This session meets online only.", code="meeting.slot_not_common")
    if meeting.online and not all(
        participants.within_working_hours(p, slot.starts_at, slot.ends_at) for p in (a, b)
    ):
        raise Conflict(
            "This slot is outside the working hours of one of you.",
            code="meeting.outside_working_hours",
        )
    return slot


def place(session, settings: Matchmaking, meeting: MeetingRequest, slot, table: int | None):
    """Put a meeting into a slot: both parties' bookings and its table, or a 409 if the
    database says one of them is taken (by a concurrent acceptance, say)."""
    meeting.slot_id = slot.id
    meeting.table_number = table
    meeting.starts_at = slot.starts_at
    meeting.ends_at = slot.ends_at
    for party_id in (meeting.requester_id, meeting.recipient_id):
        session.add(MeetingBooking(participant_id=party_id, slot_id=slot.id, meeting_id=meeting.id))
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "This slot was just taken (by one of you, or its last table).",
            code="meeting.slot_taken",
        ) from exc


def unplace(session, meeting: MeetingRequest) -> None:
    session.execute(delete(MeetingBooking).where(MeetingBooking.meeting_id == meeting.id))
    meeting.slot_id = None
    meeting.table_number = None


def accept(session, caller: Caller, announcement_id, meeting_id, slot_id=None, now=None):
    """The recipient accepts; in participant-scheduled mode, into a free slot common to both."""
    caller = person(caller)
    meeting = _meeting(session, announcement_id, meeting_id)
    mine = _party_of(session, caller, meeting)
    settings = matchmaking.lock(session, announcement_id)
    session.refresh(meeting)
    if mine.id != meeting.recipient_id:
        raise Forbidden("Only the participant asked can accept.")
    if meeting.status != "requested":
        raise Conflict(f"This request is {meeting.status}.", code="meeting.not_open")
    matchmaking.booking_open(settings, now)
    requester = session.get(Participant, meeting.requester_id)
    _within_limit(session, settings, mine, "You")
    _within_limit(session, settings, requester, "The other participant")
    if settings.mode == "participants":
        slot = _slot_for(session, settings, meeting, requester, mine, slot_id)
        _free_for_both(session, settings, meeting, slot)
        table = None if meeting.online else _free_table(session, settings, slot.id)
        place(session, settings, meeting, slot, table)
        meeting.published = True
    elif slot_id is not None:
        raise ValidationFailed.field(
            "slot_id", "The organiser schedules this event's meetings.", code="unknown"
        )
    meeting.status = "accepted"
    meeting.decided_by = caller.user_id
    meeting.updated_at = utcnow()
    session.flush()
    _emit(session, "meeting.accepted", meeting)
    return meeting


def decline(session, caller: Caller, announcement_id, meeting_id, note: str | None):
    caller = person(caller)
    meeting = _meeting(session, announcement_id, meeting_id)
    mine = _party_of(session, caller, meeting)
    matchmaking.lock(session, announcement_id)
    session.refresh(meeting)
    if mine.id != meeting.recipient_id:
        raise Forbidden("Only the participant asked can decline.")
    if meeting.status != "requested":
        raise Conflict(f"This request is {meeting.status}.", code="meeting.not_open")
    meeting.status = "declined"
    meeting.note = note
    meeting.open_pair = None
    meeting.decided_by = caller.user_id
    meeting.updated_at = utcnow()
    session.flush()
    _emit(session, "meeting.declined", meeting)
    return meeting


def cancel(session, caller: Caller, announcement_id, meeting_id, note: str | None):
    """Either party calls it off; its slot and table are free again."""
    caller = person(caller)
    meeting = _meeting(session, announcement_id, meeting_id)
    _party_of(session, caller, meeting)
    matchmaking.lock(session, announcement_id)
    session.refresh(meeting)
    return close(session, caller, meeting, note)


def close(session, caller: Caller, meeting: MeetingRequest, note: str | None):
    if meeting.status not in OPEN:
        raise Conflict(f"This request is {meeting.status}.", code="meeting.not_open")
    unplace(session, meeting)
    meeting.status = "cancelled"
    meeting.note = note
    meeting.open_pair = None
    meeting.decided_by = caller.user_id
    meeting.updated_at = utcnow()
    session.flush()
    _emit(session, "meeting.cancelled", meeting)
    return meeting


def mine(session, caller: Caller, announcement_id, direction: str | None, status: str | None):
    """The caller's requests at the event, sent and received, newest first."""
    me = participants.own(session, person(caller), announcement_id)
    stmt = select(MeetingRequest).where(MeetingRequest.announcement_id == announcement_id)
    if direction == "sent":
        stmt = stmt.where(MeetingRequest.requester_id == me.id)
    elif direction == "received":
        stmt = stmt.where(MeetingRequest.recipient_id == me.id)
    else:
        stmt = stmt.where(
            or_(MeetingRequest.requester_id == me.id, MeetingRequest.recipient_id == me.id)
        )
    if status:
        stmt = stmt.where(MeetingRequest.status == status)
    return list(session.scalars(stmt.order_by(MeetingRequest.created_at.desc())))


def forget_person(session, user_id) -> None:
    """A deleted account takes its participations with it: their open meetings are called off
    (the other side is told), and no meeting names the person as who asked or decided."""
    mine = list(session.scalars(select(Participant).where(Participant.user_id == user_id)))
    for participant in mine:
        open_ones = session.scalars(
            select(MeetingRequest).where(
                MeetingRequest.status.in_(OPEN),
                or_(
                    MeetingRequest.requester_id == participant.id,
                    MeetingRequest.recipient_id == participant.id,
                ),
            )
        )
        for meeting in list(open_ones):
            unplace(session, meeting)
            meeting.status = "cancelled"
            meeting.open_pair = None
            meeting.updated_at = utcnow()
            session.flush()
            _emit(session, "meeting.cancelled", meeting)
        session.delete(participant)
    for column in (MeetingRequest.requested_by, MeetingRequest.decided_by):
        session.execute(update(MeetingRequest).where(column == user_id).values({column: None}))
    session.flush()
