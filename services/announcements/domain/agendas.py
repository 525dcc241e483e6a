"""A participant's agenda, its meetings as iCalendar (one `.ics` each) and a private feed.

Times are kept in UTC and shown in UTC, the event's zone and the reader's; `.ics` files carry
UTC times (every calendar turns them into its owner's zone, DST included). Online meetings get
a room from `MEETINGS_ONLINE_URL_TEMPLATE`, in-person ones their table.
"""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event
from sqlalchemy import or_, select

from shared.auth import Caller
from shared.db import utcnow
from shared.i18n import pick

from .. import settings as service_settings
from ..models import Announcement, MeetingRequest, Organisation, Participant
from . import participants, times

PRODID = "-//Sino-Sophipolitan Cooperation Platform//Meetings//EN"


def online_url(meeting: MeetingRequest) -> str | None:
    if not meeting.online:
        return None
    return service_settings.get("MEETINGS_ONLINE_URL_TEMPLATE").format(meeting_id=meeting.id)


def _moment(value: datetime, event_zone: str, reader_zone: str | None) -> dict:
    return {
        "utc": value.isoformat(),
        "local": times.local(value, event_zone),
        "reader": times.local(value, reader_zone),
    }


def _shown_meetings(session, participant: Participant) -> list[MeetingRequest]:
    """The participant's accepted meetings that have a time the participant may know."""
    return list(
        session.scalars(
            select(MeetingRequest)
            .where(
                MeetingRequest.announcement_id == participant.announcement_id,
                MeetingRequest.status == "accepted",
                MeetingRequest.published.is_(True),
                MeetingRequest.starts_at.is_not(None),
                or_(
                    MeetingRequest.requester_id == participant.id,
                    MeetingRequest.recipient_id == participant.id,
                ),
            )
            .order_by(MeetingRequest.starts_at)
        )
    )


def _other(session, participant: Participant, meeting: MeetingRequest):
    other_id = (
        meeting.recipient_id if meeting.requester_id == participant.id else meeting.requester_id
    )
    other = session.get(Participant, other_id)
    return other, session.get(Organisation, other.organisation_id)


def agenda(session, caller: Caller, announcement_id, reader_zone: str | None) -> dict:
    me = participants.own(session, caller, announcement_id)
    event = session.get(Announcement, me.announcement_id)
    zone = event.timezone or "UTC"
    items = []
    for meeting in _shown_meetings(session, me):
        other, organisation = _other(session, me, meeting)
        items.append(
            {
                "meeting_id": meeting.id,
                "starts_at": _moment(meeting.starts_at, zone, reader_zone),
                "ends_at": _moment(meeting.ends_at, zone, reader_zone),
                "online": meeting.online,
                "table": meeting.table_number,
                "online_url": online_url(meeting),
                "other": participants.shown(other, organisation),
                "ics_url": f"/api/announcements/v1/announcements/{event.id}/meetings/"
                f"{meeting.id}/ics",
            }
        )
    return {
        "announcement_id": event.id,
        "timezone": zone,
        "reader_timezone": reader_zone,
        "meetings": items,
    }


def _vevent(session, meeting: MeetingRequest, me_id, event: Announcement | None, language):
    """One meeting as a VEVENT, as `me_id`'s side sees it (the other party in the summary)."""
    other_organisation_id = (
        meeting.recipient_organisation_id
        if str(meeting.requester_id) == str(me_id)
        or str(meeting.requester_organisation_id) == str(me_id)
        else meeting.requester_organisation_id
    )
    other = session.get(Organisation, other_organisation_id)
    name = (other.name_zh if language == "zh" and other.name_zh else other.name) if other else ""
    vevent = Event()
    vevent.add("uid", f"meeting-{meeting.id}@sino-sophipolitan")
    vevent.add("dtstamp", meeting.updated_at or utcnow())
    vevent.add("dtstart", meeting.starts_at)
    vevent.add("dtend", meeting.ends_at)
    vevent.add("summary", f"B2B: {name}")
    if meeting.online:
        vevent.add("location", online_url(meeting))
        vevent.add("url", online_url(meeting))
    else:
        place = (event.place if event else None) or ""
        table = f"table {meeting.table_number}" if meeting.table_number else ""
        location = " — ".join(part for part in (place, table) if part)
        if location:
            vevent.add("location", location)
    if event is not None:
        vevent.add("description", pick(event.title, language) or "")
    return vevent


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def meeting_ics(session, meeting: MeetingRequest, me_id, language: str | None) -> bytes:
    event = session.get(Announcement, meeting.announcement_id) if meeting.announcement_id else None
    calendar = _calendar("Meeting")
    calendar.add_component(_vevent(session, meeting, me_id, event, language))
    return calendar.to_ical()


def feed_ics(session, participant: Participant) -> bytes:
    """Every scheduled meeting of a participant: the private feed calendars subscribe to."""
    event = session.get(Announcement, participant.announcement_id)
    calendar = _calendar(pick(event.title, None) or "Meetings")
    for meeting in _shown_meetings(session, participant):
        calendar.add_component(_vevent(session, meeting, participant.id, event, None))
    return calendar.to_ical()
