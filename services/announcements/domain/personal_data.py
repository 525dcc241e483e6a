"""announcements' part of a person's data export: registrations, what they wrote, their
brokerage meetings, their copy."""

from __future__ import annotations

from sqlalchemy import or_, select

from shared.personal_data import rows

from ..models import (
    Announcement,
    AnnouncementVersion,
    MeetingRequest,
    Participant,
    Registration,
    User,
)

README = {
    "registrations.json": "Your registrations for events, with their status and waiting list.",
    "announcements_written.json": "News, events and calls you wrote or submitted.",
    "versions_edited.json": "Earlier versions of published announcements you edited.",
    "meeting_participations.json": "Your profiles for the brokerage meetings of events: what "
    "you offer and seek, languages, sessions, working hours.",
    "meeting_requests.json": "Meetings you asked for, were asked for, accepted or declined "
    "(at events, and contacts outside them), with their times and places.",
    "profile_copy.json": "The copy of your name, e-mail, language and time zone kept here to "
    "show your name on the attendee lists of the events you registered for.",
}


def collect(session, user_id) -> tuple[dict, dict]:
    participations = select(Participant.id).where(Participant.user_id == user_id)
    files = {
        "registrations.json": rows(session, Registration, Registration.user_id == user_id),
        "announcements_written.json": rows(
            session, Announcement, Announcement.created_by == user_id
        ),
        "versions_edited.json": rows(
            session, AnnouncementVersion, AnnouncementVersion.edited_by == user_id
        ),
        "meeting_participations.json": rows(session, Participant, Participant.user_id == user_id),
        "meeting_requests.json": rows(
            session,
            MeetingRequest,
            or_(
                MeetingRequest.requested_by == user_id,
                MeetingRequest.decided_by == user_id,
                MeetingRequest.requester_id.in_(participations),
                MeetingRequest.recipient_id.in_(participations),
            ),
        ),
        "profile_copy.json": rows(session, User, User.id == user_id),
    }
    return files, README
