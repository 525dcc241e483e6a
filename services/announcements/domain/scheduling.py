"""The organiser's scheduler: accepted meetings into slots and tables (or online rooms).

A run is recorded first (`queued`); the Celery task `announcements.schedule_meetings` then
loads the event's accepted meetings into the solver's `Instance` (read, no lock), solves outside
any transaction, and writes the assignments in one transaction that locks the event's bookings.
Meetings already published keep their slot and table unless the run says otherwise. Meetings
cancelled while the solver ran are skipped; a slot taken meanwhile fails the run, which changes
nothing and can be started again.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shared.auth import Caller
from shared.db import utcnow
from shared.errors import Conflict, NotFound
from shared.events import emit

from ..models import MeetingRequest, Participant, ScheduleRun
from . import matchmaking, meetings, participants

ACTIVE = ("queued", "running")
STALE = timedelta(minutes=15)


def start(session, caller: Caller, announcement_id, payload: dict) -> ScheduleRun:
    """Record a run for the organiser; the caller queues the task once this commits."""
    matchmaking.organised(session, caller, announcement_id)
    matchmaking.lock(session, announcement_id)
    running = session.scalars(
        select(ScheduleRun).where(
            ScheduleRun.announcement_id == announcement_id,
            ScheduleRun.status == "running",
            # A run whose worker died long ago no longer blocks the organiser.
            ScheduleRun.created_at > utcnow() - STALE,
        )
    ).first()
    if running is not None:
        raise Conflict("The scheduler is running for this event.", code="schedule.running")
    run = ScheduleRun(
        announcement_id=announcement_id,
        requested_by=caller.user_id,
        status="queued",
        keep_published=payload["keep_published"],
        publish=payload["publish"],
        time_limit=payload["time_limit"],
        created_at=utcnow(),
    )
    session.add(run)
    session.flush()
    return run


def read(session, caller: Caller, announcement_id, run_id) -> ScheduleRun:
    matchmaking.organised(session, caller, announcement_id)
    run = session.get(ScheduleRun, run_id)
    if run is None or run.announcement_id != announcement_id:
        raise NotFound("No such scheduling run.")
    return run


def accepted_meetings(session, caller: Caller, announcement_id) -> list[MeetingRequest]:
    """The event's accepted meetings, placed or not, in slot order (for its organisers)."""
    matchmaking.organised(session, caller, announcement_id)
    matchmaking.of_event(session, announcement_id)
    return list(
        session.scalars(
            select(MeetingRequest)
            .where(
                MeetingRequest.announcement_id == announcement_id,
                MeetingRequest.status == "accepted",
            )
            .order_by(MeetingRequest.starts_at, MeetingRequest.table_number, MeetingRequest.id)
        )
    )


def _movable(meeting: MeetingRequest, keep_published: bool) -> bool:
    return meeting.slot_id is None or not (keep_published and meeting.published)


def instance_of(session, settings, keep_published: bool):
    """The solver's Instance for the event's accepted meetings, and the slots by id."""
    from . import meeting_solver as solver

    slots = matchmaking.all_slots(session, settings)
    accepted = list(
        session.scalars(
            select(MeetingRequest)
            .where(
                MeetingRequest.announcement_id == settings.announcement_id,
                MeetingRequest.status == "accepted",
            )
            .order_by(MeetingRequest.created_at, MeetingRequest.id)
        )
    )
    party_ids = {p for m in accepted for p in (m.requester_id, m.recipient_id)}
    parties = []
    for participant in session.scalars(select(Participant).where(Participant.id.in_(party_ids))):
        online = frozenset(
            slot.id
            for slot in slots.values()
            if participants.within_working_hours(participant, slot.starts_at, slot.ends_at)
        )
        parties.append(
            solver.Party(str(participant.id), frozenset(participant.session_ids or ()), online)
        )
    wanted = []
    for meeting in accepted:
        fixed = (
            None
            if _movable(meeting, keep_published)
            else (
                meeting.slot_id,
                meeting.table_number,
            )
        )
        wanted.append(
            solver.Meeting(
                str(meeting.id),
                str(meeting.requester_id),
                str(meeting.recipient_id),
                meeting.online,
                fixed,
            )
        )
    instance = solver.Instance(
        slots=tuple(
            solver.Slot(s.id, s.session_id, s.starts_at, s.ends_at, in_person=s.in_person)
            for s in slots.values()
        ),
        tables=settings.tables,
        parties=tuple(sorted(parties, key=lambda p: p.id)),
        meetings=tuple(wanted),
        gap_slots=settings.gap_slots,
    )
    return instance, slots


def solve(run_id) -> None:
    """The task's work: load, solve outside any transaction, write (see the module's doc)."""
    from ..models import db

    with db.transaction() as session:
        run = session.get(ScheduleRun, _uuid(run_id))
        if run is None or run.status not in ACTIVE:
            return
        run.status = "running"
        settings = matchmaking.of_event(session, run.announcement_id)
        instance, slots = instance_of(session, settings, run.keep_published)
        time_limit, keep, publish = run.time_limit, run.keep_published, run.publish
    from . import meeting_solver

    try:
        result = meeting_solver.solve(instance, time_limit=time_limit)
    except Exception as exc:
        _failed(db, run_id, f"The solver failed: {exc}")
        raise
    try:
        with db.transaction() as session:
            write(session, run_id, slots, result, keep, publish)
    except (IntegrityError, Conflict):
        _failed(db, run_id, "Bookings changed while the scheduler ran; start it again.")


def _failed(db, run_id, message: str) -> None:
    with db.transaction() as session:
        run = session.get(ScheduleRun, _uuid(run_id))
        run.status = "failed"
        run.error = message
        run.finished_at = utcnow()


def write(session, run_id, slots: dict, result, keep_published: bool, publish: bool) -> None:
    """The solver's assignments as bookings, the run's figures, and the agendas published."""
    run = session.get(ScheduleRun, _uuid(run_id))
    settings = matchmaking.lock(session, run.announcement_id)
    unscheduled = dict(result.unscheduled)
    chosen = {}
    for meeting_id, (slot_id, table) in result.assignments.items():
        meeting = session.get(MeetingRequest, _uuid(meeting_id))
        if meeting is None or meeting.status != "accepted":
            continue  # cancelled while the solver ran
        slot = slots[slot_id]
        if not meeting.online and not slot.in_person:  # never, if the solver keeps its word
            unscheduled[meeting_id] = "no_common_session"
            continue
        chosen[meeting.id] = (meeting, slot, table)
    for meeting, _slot, _table in chosen.values():
        if _movable(meeting, keep_published):
            meetings.unplace(session, meeting)
    session.flush()
    for meeting, slot, table in chosen.values():
        if meeting.slot_id is None:
            meetings.place(session, settings, meeting, slot, table)
            meeting.published = False  # until the agendas are published
            session.flush()
            emit(session, "meeting.scheduled", {"meeting": meetings.event_data(meeting)})
    for meeting_id in unscheduled:
        meeting = session.get(MeetingRequest, _uuid(meeting_id))
        if (
            meeting is not None
            and meeting.status == "accepted"
            and _movable(meeting, keep_published)
        ):
            meetings.unplace(session, meeting)
            meeting.starts_at = meeting.ends_at = None
    now = utcnow()
    run.status = "done"
    run.solver = result.solver
    run.optimal = result.optimal
    run.bound = result.bound
    run.gap = result.gap
    run.wall_seconds = result.wall_seconds
    run.scheduled = len(chosen)
    run.unscheduled = unscheduled
    run.finished_at = now
    if publish:
        publish_agendas(session, settings, now)


def publish_agendas(session, settings, now: datetime | None = None) -> None:
    """Every scheduled meeting becomes visible on its parties' agendas."""
    now = now or datetime.now(UTC)
    scheduled = list(
        session.scalars(
            select(MeetingRequest).where(
                MeetingRequest.announcement_id == settings.announcement_id,
                MeetingRequest.status == "accepted",
                MeetingRequest.slot_id.is_not(None),
            )
        )
    )
    for meeting in scheduled:
        meeting.published = True
    settings.agendas_published_at = now
    organisations = sorted(
        {
            str(o)
            for m in scheduled
            for o in (m.requester_organisation_id, m.recipient_organisation_id)
        }
    )
    session.flush()
    emit(
        session,
        "meetings.agenda_published",
        {
            "announcement_id": str(settings.announcement_id),
            "organisation_ids": organisations,
            "meetings": len(scheduled),
            "published_at": now.isoformat(),
        },
    )


def _uuid(value):
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
