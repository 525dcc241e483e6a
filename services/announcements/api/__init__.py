"""announcements' HTTP API: flask-smorest blueprints of thin views."""

from __future__ import annotations


def blueprints() -> list:
    """The service's blueprints, registered under `/api/announcements/v1`."""
    from . import announcements, contacts, feeds, matchmaking, meetings, registrations

    return [
        announcements.blp,
        registrations.blp,
        feeds.blp,
        matchmaking.blp,
        meetings.blp,
        meetings.calendars,
        contacts.blp,
    ]
