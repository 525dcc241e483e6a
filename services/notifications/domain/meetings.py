# ruff: noqa: RUF001 - Chinese text uses full-width punctuation
"""Meeting events told to the two people concerned, each in their language and time zone.

Few people hear of one meeting, so each item is written per person (not one INSERT ... SELECT
per language): its text gives the time in the reader's zone beside the event's.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import String, cast, exists, select, true, union
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from shared.db import utcnow

from ..models import ForgottenPerson, Meeting, Membership, Notification, Organisation, User
from .inbox import email_now, mode_of
from .recipients import admins_of, members_of, people
from .texts import LANGUAGES

CATEGORY = "events"
MEETING_EVENTS = (
    "meeting.requested",
    "meeting.accepted",
    "meeting.declined",
    "meeting.cancelled",
    "meeting.scheduled",
)
AGENDA = "meetings.agenda_published"
REMINDER = "meeting.reminder"  # not an event: written by the reminder task
LEAD = timedelta(minutes=15)
ENDED = ("declined", "cancelled")

TITLES = {
    "meeting.requested": {
        "en": "{who} asks for a meeting",
        "fr": "{who} demande un rendez-vous",
        "zh": "{who} 请求会面",
    },
    "meeting.accepted": {
        "en": "Meeting accepted: {who}",
        "fr": "Rendez-vous accepté : {who}",
        "zh": "会面已接受：{who}",
    },
    "meeting.declined": {
        "en": "Meeting declined: {who}",
        "fr": "Rendez-vous refusé : {who}",
        "zh": "会面已拒绝：{who}",
    },
    "meeting.cancelled": {
        "en": "Meeting cancelled: {who}",
        "fr": "Rendez-vous annulé : {who}",
        "zh": "会面已取消：{who}",
    },
    "meeting.scheduled": {
        "en": "Meeting scheduled: {who}",
        "fr": "Rendez-vous planifié : {who}",
        "zh": "会面已安排：{who}",
    },
    REMINDER: {
        "en": "In 15 minutes: your meeting with {other}",
        "fr": "Dans 15 minutes : votre rendez-vous avec {other}",
        "zh": "15 分钟后：您与 {other} 的会面",
    },
    AGENDA: {
        "en": "Your meeting agenda is published",
        "fr": "Votre agenda de rendez-vous est publié",
        "zh": "您的会面日程已发布",
    },
}
ASKED_BY = {"en": "Asked by {name}.", "fr": "Demandé par {name}.", "zh": "由 {name} 发起。"}
WHEN = {"en": "When: {when}.", "fr": "Quand : {when}.", "zh": "时间：{when}。"}
NOT_YET = {"en": "Time to be set.", "fr": "Horaire à fixer.", "zh": "时间待定。"}
WHERE_ONLINE = {"en": "Where: online.", "fr": "Où : en ligne.", "zh": "地点：线上。"}
WHERE_TABLE = {
    "en": "Where: table {table}.",
    "fr": "Où : table {table}.",
    "zh": "地点：{table} 号桌。",
}
AGENDA_BODY = {
    "en": "{count} meetings were scheduled. Read your agenda on the event's page.",
    "fr": "{count} rendez-vous ont été planifiés. Votre agenda est sur la page de l'événement.",
    "zh": "已安排 {count} 场会面。请在活动页面查看您的日程。",
}


def _name(session: Session, organisation_id, language: str) -> str:
    organisation = session.get(Organisation, uuid.UUID(str(organisation_id)))
    if organisation is None:
        return "—"
    if language == "zh" and getattr(organisation, "name_zh", None):
        return organisation.name_zh
    return organisation.name


def _at(moment: datetime, zone: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%Y-%m-%d %H:%M} ({zone})"


def when(starts_at: str | None, reader_zone: str | None, event_zone: str | None) -> str | None:
    """The start in the reader's zone, then in the event's when it differs."""
    if not starts_at:
        return None
    moment = datetime.fromisoformat(starts_at)
    zones = [z for z in (reader_zone or "UTC", event_zone) if z]
    shown = list(dict.fromkeys(zones))
    return " / ".join(_at(moment, zone) for zone in shown)


def render(session: Session, event_type: str, data: dict, reader, language: str):
    """(title, body) of a meeting event for one reader (a User)."""
    if event_type == AGENDA:
        return TITLES[AGENDA][language], AGENDA_BODY[language].format(count=data["meetings"])
    meeting = data["meeting"]
    zone = reader.timezone
    who = _name(session, meeting["requester_organisation_id"], language)
    other = _name(session, _other_party(session, meeting, reader.id), language)
    lines = [ASKED_BY[language].format(name=who)]
    moment = when(meeting.get("starts_at"), zone, meeting.get("timezone"))
    lines.append(WHEN[language].format(when=moment) if moment else NOT_YET[language])
    if meeting.get("online"):
        lines.append(WHERE_ONLINE[language])
    elif meeting.get("table") is not None:
        lines.append(WHERE_TABLE[language].format(table=meeting["table"]))
    title = TITLES[event_type][language].format(who=who, other=other)
    return title[:300], " ".join(lines)


def _other_party(session: Session, meeting: dict, user_id) -> str:
    """The organisation across the table from the reader."""
    if str(user_id) == str(meeting.get("requester_user_id")):
        return meeting["recipient_organisation_id"]
    if str(user_id) == str(meeting.get("recipient_user_id")):
        return meeting["requester_organisation_id"]
    mine = session.scalar(
        select(Membership.organisation_id).where(
            Membership.user_id == user_id,
            Membership.organisation_id == uuid.UUID(str(meeting["requester_organisation_id"])),
        )
    )
    return meeting["recipient_organisation_id"] if mine else meeting["requester_organisation_id"]


def audience(data: dict, event_type: str, at: datetime):
    """The two people of a meeting at an event, the admins of both organisations for a contact
    outside events (or when the people are not named), every member of an agenda's
    participants."""
    if event_type == AGENDA:
        return union(*(members_of(o, at) for o in data["organisation_ids"] or [None]))
    meeting = data["meeting"]
    named = [p for p in (meeting.get("requester_user_id"), meeting.get("recipient_user_id")) if p]
    if meeting.get("announcement_id") and named:  # one of them may have deleted their account
        return people(named)
    return union(
        admins_of(meeting["requester_organisation_id"], at),
        admins_of(meeting["recipient_organisation_id"], at),
    )


def link(event_type: str, data: dict) -> str:
    announcement_id = data.get("announcement_id") or (data.get("meeting") or {}).get(
        "announcement_id"
    )
    return f"/announcements/{announcement_id}/meetings" if announcement_id else "/meetings"


def write(
    session: Session, event_type: str, data: dict, event_id, at: datetime, now=None, only=None
) -> int:
    """One item per person concerned (none twice for the same event), in their language;
    written (and e-mailed from) `now`, the present unless a task is given its own time; among
    `only` (a SELECT of user ids) when late recipients catch up."""
    ids = audience(data, event_type, at).subquery()
    readers = session.scalars(
        select(User).where(
            User.id.in_(select(ids.c[0])),
            User.id.in_(only) if only is not None else true(),
            mode_of(User.id, CATEGORY) != "off",
            ~exists().where(
                Notification.user_id == User.id, Notification.event_id == str(event_id)
            ),
        )
    ).all()
    now = now or utcnow()
    written = 0
    for reader in readers:
        texts = {lang: list(render(session, event_type, data, reader, lang)) for lang in LANGUAGES}
        language = reader.language if reader.language in LANGUAGES else "en"
        title, body = texts[language]
        row = {
            "user_id": reader.id,
            "event_id": str(event_id),
            "type": event_type,
            "category": CATEGORY,
            "language": language,
            "title": title,
            "body": body,
            "texts": texts,
            "link": link(event_type, data),
            "created_at": now,
        }
        written += session.execute(_insert_once(session), row).rowcount
    email_now(session, str(event_id), event_type, CATEGORY, now)
    return written


def _insert_once(session: Session):
    """An INSERT that a concurrent writer of the same (person, event) item turns into nothing."""
    dialect = session.get_bind().dialect.name
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[dialect]
    return (
        insert(Notification.__table__)
        .on_conflict_do_nothing(index_elements=["user_id", "event_id"])
        .execution_options(preserve_rowcount=True)
    )


def keep(session: Session, data: dict, envelope: dict) -> None:
    """The meeting as the reminder task needs it. Events arrive in any order: a declined or
    cancelled meeting stays so; otherwise the latest event wins."""
    kept = _without_forgotten(session, envelope["data"])
    meeting = kept["meeting"]
    occurred = datetime.fromisoformat(envelope["occurred_at"])
    starts_at = datetime.fromisoformat(meeting["starts_at"]) if meeting["starts_at"] else None
    known = session.get(Meeting, uuid.UUID(str(meeting["id"])))
    if known is None:
        session.add(
            Meeting(
                id=uuid.UUID(str(meeting["id"])),
                status=meeting["status"],
                starts_at=starts_at,
                occurred_at=occurred,
                data=kept,
            )
        )
        return
    if known.status in ENDED:
        return
    if meeting["status"] in ENDED or occurred >= known.occurred_at:
        known.status, known.starts_at = meeting["status"], starts_at
        known.occurred_at, known.data = occurred, kept


PEOPLE = ("requester_user_id", "recipient_user_id")


def _without(data: dict, gone) -> dict:
    meeting = {k: None if k in PEOPLE and v in gone else v for k, v in data["meeting"].items()}
    return {**data, "meeting": meeting}


def _without_forgotten(session: Session, data: dict) -> dict:
    """The data with the ids of people whose account is deleted taken out (in any order)."""
    named = {str(data["meeting"].get(k)) for k in PEOPLE if data["meeting"].get(k)}
    gone = {n for n in named if session.get(ForgottenPerson, uuid.UUID(n)) is not None}
    return _without(data, gone) if gone else data


def forget(session: Session, user_id: str) -> None:
    """Meetings kept for reminders stop naming a deleted person: nobody is reminded for them."""
    text = cast(Meeting.data, String)
    for meeting in session.scalars(select(Meeting).where(text.contains(user_id))):
        meeting.data = _without(meeting.data, {user_id})


def reminder_id(meeting_id: uuid.UUID) -> str:
    """The reminder's event id: the same for every run, so each person's item is one row."""
    return str(uuid.uuid5(meeting_id, REMINDER))


def remind_due(session: Session, now: datetime) -> int:
    """Remind the people of every accepted meeting starting within `LEAD` of `now`: once per
    meeting and person, however many runs (or concurrent workers) see it due."""
    due = session.scalars(
        select(Meeting).where(
            Meeting.status == "accepted",
            Meeting.starts_at > now,
            Meeting.starts_at <= now + LEAD,
        )
    ).all()
    return sum(write(session, REMINDER, m.data, reminder_id(m.id), now, now) for m in due)
