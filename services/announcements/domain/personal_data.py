"""announcements' part of a person's data export: registrations, what they wrote, their copy."""

from __future__ import annotations

from shared.personal_data import rows

from ..models import Announcement, AnnouncementVersion, Registration, User

README = {
    "registrations.json": "Your registrations for events, with their status and waiting list.",
    "announcements_written.json": "News, events and calls you wrote or submitted.",
    "versions_edited.json": "Earlier versions of published announcements you edited.",
    "profile_copy.json": "The copy of your name, e-mail, language and time zone kept here to "
    "show your name on the attendee lists of the events you registered for.",
}


def collect(session, user_id) -> tuple[dict, dict]:
    files = {
        "registrations.json": rows(session, Registration, Registration.user_id == user_id),
        "announcements_written.json": rows(
            session, Announcement, Announcement.created_by == user_id
        ),
        "versions_edited.json": rows(
            session, AnnouncementVersion, AnnouncementVersion.edited_by == user_id
        ),
        "profile_copy.json": rows(session, User, User.id == user_id),
    }
    return files, README
