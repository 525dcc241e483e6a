"""Events announcements publishes about one-to-one meetings (brokerage events and contact).

They carry ids, times and organisations: no reasons, notes or people's details, so they may be
offered to the webhooks of the two organisations a meeting concerns. The two people's user ids
(for notifications to tell them) are dropped from what webhooks receive.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.events.catalogue.event_type import EventType

_SUBSCRIBERS = ("notifications",)
_EVENT_ID = "7d1e9a4c-2b3f-4c5d-8e6f-1a2b3c4d5e6f"


class MeetingData(Schema):
    id = fields.UUID(required=True)
    announcement_id = fields.UUID(
        required=True, allow_none=True, metadata={"description": "null: contact outside events"}
    )
    requester_id = fields.UUID(
        required=True, metadata={"description": "a participant at an event, else organisation"}
    )
    recipient_id = fields.UUID(required=True)
    requester_organisation_id = fields.UUID(required=True)
    recipient_organisation_id = fields.UUID(required=True)
    status = fields.String(
        required=True, validate=validate.OneOf(("requested", "accepted", "declined", "cancelled"))
    )
    online = fields.Boolean(required=True)
    starts_at = fields.AwareDateTime(required=True, allow_none=True)
    ends_at = fields.AwareDateTime(required=True, allow_none=True)
    table = fields.Integer(required=True, allow_none=True)
    requester_user_id = fields.UUID(
        allow_none=True,
        metadata={
            "description": "the person who asked (null: an organisation did); not sent to webhooks"
        },
    )
    recipient_user_id = fields.UUID(
        allow_none=True,
        metadata={
            "description": "the person asked (null: an organisation was); not sent to webhooks"
        },
    )
    timezone = fields.String(
        allow_none=True, metadata={"description": "the event's time zone; null outside events"}
    )


class MeetingEventData(Schema):
    meeting = fields.Nested(MeetingData, required=True)


class AgendaPublishedData(Schema):
    announcement_id = fields.UUID(required=True)
    organisation_ids = fields.List(fields.UUID(), required=True)
    meetings = fields.Integer(required=True, metadata={"description": "meetings scheduled"})
    published_at = fields.AwareDateTime(required=True)


def _parties(data: dict) -> set[str]:
    meeting = data["meeting"]
    return {str(meeting["requester_organisation_id"]), str(meeting["recipient_organisation_id"])}


def _participants(data: dict) -> set[str]:
    return {str(org) for org in data["organisation_ids"]}


_MEETING = {
    "id": "0b7e3c52-8d4f-4a1e-9c6b-2f5a7d8e1c30",
    "announcement_id": _EVENT_ID,
    "requester_id": "5a1c2e3f-4b6d-4e8a-9f0b-1c2d3e4f5a6b",
    "recipient_id": "6b2d3f4a-5c7e-4f9b-8a1c-2d3e4f5a6b7c",
    "requester_organisation_id": "9b2f3c1e-5d4a-4f6b-8c7d-0e1f2a3b4c5d",
    "recipient_organisation_id": "3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b",
    "status": "accepted",
    "online": True,
    "starts_at": "2026-10-26T08:00:00+00:00",
    "ends_at": "2026-10-26T08:20:00+00:00",
    "table": None,
    "requester_user_id": "7c3e4a5b-6d8f-4a0c-9b2d-3e4f5a6b7c8d",
    "recipient_user_id": "8d4f5b6c-7e9a-4b1d-8c3e-4f5a6b7c8d9e",
    "timezone": "Asia/Shanghai",
}


def _meeting_event(name: str, description: str, status: str) -> EventType:
    return EventType(
        name,
        1,
        MeetingEventData,
        _SUBSCRIBERS,
        description,
        {"meeting": {**_MEETING, "status": status}},
        concerns=_parties,
    )


EVENTS = [
    _meeting_event(
        "meeting.requested",
        "A participant (or an organisation, outside events) asked another for a meeting.",
        "requested",
    ),
    _meeting_event(
        "meeting.accepted",
        "A meeting request was accepted; `starts_at` is set when a time was chosen with it.",
        "accepted",
    ),
    _meeting_event("meeting.declined", "A meeting request was declined.", "declined"),
    _meeting_event(
        "meeting.cancelled", "A requested or accepted meeting was called off.", "cancelled"
    ),
    _meeting_event(
        "meeting.scheduled",
        "The organiser's scheduler gave an accepted meeting its time and table (or room).",
        "accepted",
    ),
    EventType(
        "meetings.agenda_published",
        1,
        AgendaPublishedData,
        _SUBSCRIBERS,
        "An event's meeting agendas were published: every participant can read their own.",
        {
            "announcement_id": _EVENT_ID,
            "organisation_ids": [_MEETING["requester_organisation_id"]],
            "meetings": 1,
            "published_at": "2026-10-20T09:00:00+00:00",
        },
        concerns=_participants,
    ),
]
