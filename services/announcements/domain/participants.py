"""Participants: registered attendees whose verified organisation opts in to meetings.

Each keeps a profile for the event (offers and seeks in en/fr/zh, sectors, countries sought,
projects, languages, in person or online, sessions, working hours in its own zone) and a
private calendar feed behind a secret that only its sha256 is kept of.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, time, timedelta

from sqlalchemy import String, cast, select
from sqlalchemy.exc import IntegrityError

from shared.auth import Caller
from shared.db import utcnow
from shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from shared.pagination import keyset, page

from ..models import Announcement, Matchmaking, Organisation, Participant, Registration
from . import announcements as announcements_domain
from . import matchmaking, times
from .people import person, verified_organisation

PROFILE = (
    "offers",
    "seeks",
    "sectors",
    "countries_sought",
    "project_ids",
    "languages",
    "attendance",
    "working_hours_start",
    "working_hours_end",
    "timezone",
)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> tuple[str, str]:
    secret = secrets.token_urlsafe(32)
    return secret, secret_hash(secret)


def _search_text(offers: dict, seeks: dict) -> str:
    return " ".join([*offers.values(), *seeks.values()]).casefold()


def _clock(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def _check_profile(db_session, settings: Matchmaking, values: dict) -> None:
    """Sessions of this event, a format the event offers, working hours where online."""
    known = {str(s.id): s for s in matchmaking.sessions(db_session, settings.announcement_id)}
    chosen = [str(s) for s in values["session_ids"]]
    for i, session_id in enumerate(chosen):
        if session_id not in known:
            raise ValidationFailed.field(f"session_ids/{i}", "Not a session of this event.")
    if values["attendance"] != "in_person" and not settings.online:
        raise ValidationFailed.field(
            "attendance", "This event offers in-person meetings only.", code="one_of"
        )
    if values["attendance"] == "in_person" and not any(known[s].in_person for s in chosen):
        raise ValidationFailed.field("session_ids", "Choose a session held in person.")
    if values["attendance"] != "in_person":
        for name in ("working_hours_start", "working_hours_end", "timezone"):
            if not values.get(name):
                raise ValidationFailed.field(
                    name, "Online meetings need working hours and their time zone.", code="required"
                )
        times.zone(values["timezone"], "timezone")
        if _clock(values["working_hours_start"]) == _clock(values["working_hours_end"]):
            raise ValidationFailed.field("working_hours_end", "Working hours need a length.")


def _registered(db_session, announcement_id, user_id) -> bool:
    return (
        db_session.scalar(
            select(Registration.id).where(
                Registration.announcement_id == announcement_id,
                Registration.user_id == user_id,
                Registration.status == "registered",
            )
        )
        is not None
    )


def _apply(participant: Participant, values: dict) -> None:
    for name in PROFILE:
        if name in values:
            setattr(participant, name, values[name])
    participant.session_ids = [str(s) for s in values.get("session_ids", participant.session_ids)]
    participant.project_ids = [str(p) for p in participant.project_ids or ()]
    participant.search_text = _search_text(participant.offers or {}, participant.seeks or {})
    participant.updated_at = utcnow()


def opt_in(db_session, caller: Caller, announcement_id, values: dict) -> tuple[Participant, str]:
    """A registered attendee of a verified organisation takes part; the feed's secret, once."""
    caller = person(caller)
    announcement = announcements_domain.readable(db_session, caller, announcement_id)
    organisation = verified_organisation(db_session, caller)
    settings = matchmaking.of_event(db_session, announcement.id)
    if not _registered(db_session, announcement.id, caller.user_id):
        raise Conflict(
            "Register for the event before taking part in its meetings.",
            code="participant.not_registered",
        )
    _check_profile(db_session, settings, values)
    secret, hashed = new_secret()
    participant = Participant(
        announcement_id=announcement.id,
        user_id=caller.user_id,
        organisation_id=organisation.id,
        calendar_secret_hash=hashed,
        created_at=utcnow(),
    )
    _apply(participant, values)
    db_session.add(participant)
    try:
        db_session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "You take part in this event's meetings already.", code="participant.already_joined"
        ) from exc
    return participant, secret


def own(db_session, caller: Caller, announcement_id) -> Participant:
    """The caller's own participation in the event's meetings."""
    participant = db_session.scalars(
        select(Participant).where(
            Participant.announcement_id == announcement_id,
            Participant.user_id == caller.user_id,
        )
    ).first()
    if participant is None:
        raise NotFound("You do not take part in this event's meetings.")
    return participant


def acting(db_session, caller: Caller, announcement_id) -> Participant:
    """The caller's participation, for a write: a person of a still verified organisation."""
    caller = person(caller)
    participant = own(db_session, caller, announcement_id)
    verified_organisation(db_session, caller)
    return participant


def update_profile(db_session, caller: Caller, announcement_id, values: dict) -> Participant:
    participant = acting(db_session, caller, announcement_id)
    settings = matchmaking.of_event(db_session, announcement_id)
    merged = {name: getattr(participant, name) for name in (*PROFILE, "session_ids")}
    merged.update(values)
    _check_profile(db_session, settings, merged)
    _apply(participant, merged)
    return participant


def reset_secret(db_session, caller: Caller, announcement_id) -> tuple[Participant, str]:
    """A new calendar secret: the old feed URL stops working at once."""
    participant = own(db_session, person(caller), announcement_id)
    secret, participant.calendar_secret_hash = new_secret()
    participant.updated_at = utcnow()
    return participant, secret


def by_secret(db_session, secret: str) -> Participant:
    participant = db_session.scalars(
        select(Participant).where(Participant.calendar_secret_hash == secret_hash(secret))
    ).first()
    if participant is None:
        raise NotFound("No such calendar.")
    return participant


def visible_to(db_session, caller: Caller, announcement_id) -> Announcement:
    """The event, if the caller takes part in its meetings or organises it."""
    announcement = announcements_domain.readable(db_session, caller, announcement_id)
    matchmaking.of_event(db_session, announcement.id)
    if announcements_domain.may_manage(caller, announcement):
        return announcement
    if caller.user_id is None:
        raise Forbidden("The participant list is for participants and organisers.")
    own(db_session, caller, announcement.id)
    verified_organisation(db_session, caller)
    return announcement


def listing(db_session, caller: Caller, announcement_id, args: dict) -> dict:
    """Participants of verified organisations, filtered, oldest first, a keyset page."""
    announcement = visible_to(db_session, caller, announcement_id)
    stmt = (
        select(Participant, Organisation)
        .join(Organisation, Organisation.id == Participant.organisation_id)
        .where(
            Participant.announcement_id == announcement.id,
            Organisation.status == "verified",
        )
    )
    if args.get("country"):
        stmt = stmt.where(Organisation.country == args["country"])
    if args.get("park"):
        stmt = stmt.where(Organisation.park == args["park"])
    if args.get("kind"):
        stmt = stmt.where(Organisation.kind == args["kind"])
    if args.get("sector"):
        # JSON lists of codes: a code is a word of [a-z_], so its quoted form matches exactly.
        stmt = stmt.where(cast(Participant.sectors, String).like(f'%"{args["sector"]}"%'))
    if args.get("q"):
        escaped = args["q"].casefold().replace("\\", "\\\\").replace("%", "\\%")
        escaped = escaped.replace("_", "\\_")
        stmt = stmt.where(Participant.search_text.like(f"%{escaped}%", escape="\\"))
    if args.get("attendance") == "online":
        stmt = stmt.where(Participant.attendance.in_(("online", "both")))
    elif args.get("attendance") == "in_person":
        stmt = stmt.where(Participant.attendance.in_(("in_person", "both")))
    columns = [Participant.created_at, Participant.id]
    rows = db_session.execute(keyset(stmt, columns, args["cursor"], args["limit"])).all()
    result = page(rows, args["limit"], lambda row: (row[0].created_at, row[0].id))
    result["items"] = [shown(p, o) for p, o in result["items"]]
    return result


def within_working_hours(participant: Participant, starts_at: datetime, ends_at: datetime) -> bool:
    """Whether a meeting falls wholly inside one stretch of the participant's working hours, in
    its own zone on that day (DST included); hours like 22:00-06:00 run past midnight."""
    if participant.attendance == "in_person" or not participant.timezone:
        return False
    zone = times.zone(participant.timezone)
    start = _clock(participant.working_hours_start)
    end = _clock(participant.working_hours_end)
    first_day = starts_at.astimezone(zone).date()
    for day in (first_day - timedelta(days=1), first_day):
        opens = datetime.combine(day, start, zone)
        closes = datetime.combine(day + timedelta(days=1) if end <= start else day, end, zone)
        if opens <= starts_at and ends_at <= closes:
            return True
    return False


def shown(participant: Participant, organisation: Organisation | None) -> dict:
    """A participant as others see it: its profile and its organisation's public facts."""
    return {
        "id": participant.id,
        "announcement_id": participant.announcement_id,
        "organisation": {
            "id": participant.organisation_id,
            "name": organisation.name if organisation else None,
            "name_zh": organisation.name_zh if organisation else None,
            "country": organisation.country if organisation else None,
            "park": organisation.park if organisation else None,
            "kind": organisation.kind if organisation else None,
            "sectors": list(organisation.sectors or ()) if organisation else [],
        },
        **{name: getattr(participant, name) for name in PROFILE},
        "session_ids": list(participant.session_ids or ()),
        "created_at": participant.created_at,
    }
