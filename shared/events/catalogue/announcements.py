"""Events published by announcements: news, events and calls, and registrations to events."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.events.catalogue import meetings
from shared.events.catalogue.event_type import EventType
from shared.events.catalogue.personal_data import part
from shared.vocabulary import KINDS, PARKS, SECTORS

_SUBSCRIBERS = ("notifications",)
_ANNOUNCEMENT_ID = "7d1e9a4c-2b3f-4c5d-8e6f-1a2b3c4d5e6f"
_ORG_ID = "9b2f3c1e-5d4a-4f6b-8c7d-0e1f2a3b4c5d"
_USER_ID = "4c8e6a2b-1f3d-4e5a-9b7c-6d0e2f4a8b1c"


class Localized(fields.Dict):
    """Text per locale, as `{"en": ..., "fr": ..., "zh": ...}`."""

    def __init__(self, **kwargs):
        super().__init__(
            keys=fields.String(validate=validate.OneOf(("en", "fr", "zh"))),
            values=fields.String(),
            **kwargs,
        )


class AudienceData(Schema):
    scope = fields.String(required=True, validate=validate.OneOf(("public", "members", "selected")))
    countries = fields.List(fields.String(validate=validate.Length(equal=2)), required=True)
    parks = fields.List(fields.String(validate=validate.OneOf(PARKS)), required=True)
    sectors = fields.List(fields.String(validate=validate.OneOf(SECTORS)), required=True)
    kinds = fields.List(fields.String(validate=validate.OneOf(KINDS)), required=True)
    organisation_ids = fields.List(fields.UUID(), required=True)


class AnnouncementData(Schema):
    """The announcement as subscribers need it: what, for whom, when."""

    id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("news", "event", "call")))
    title = Localized(required=True)
    summary = Localized(required=True)
    author_organisation_id = fields.UUID(required=True, allow_none=True)
    audience = fields.Nested(AudienceData, required=True)
    starts_at = fields.AwareDateTime(required=True, allow_none=True)
    ends_at = fields.AwareDateTime(required=True, allow_none=True)
    timezone = fields.String(required=True, allow_none=True)
    published_at = fields.AwareDateTime(required=True, allow_none=True)
    tags = fields.List(fields.String(), load_default=list)
    sectors = fields.List(fields.String(validate=validate.OneOf(SECTORS)), load_default=list)


class AnnouncementEventData(Schema):
    announcement = fields.Nested(AnnouncementData, required=True)


class WithdrawnData(AnnouncementEventData):
    reason = fields.String(allow_none=True, load_default=None)


class RegistrationChangedData(AnnouncementEventData):
    user_id = fields.UUID(required=True)
    organisation_id = fields.UUID(required=True, allow_none=True)
    status = fields.String(
        required=True,
        validate=validate.OneOf(("registered", "waiting", "cancelled", "promoted")),
    )


class ReminderData(AnnouncementEventData):
    user_ids = fields.List(fields.UUID(), required=True)


def _concerned(data: dict) -> set[str]:
    announcement = data["announcement"]
    found = {str(org) for org in announcement["audience"].get("organisation_ids") or ()}
    if announcement.get("author_organisation_id"):
        found.add(str(announcement["author_organisation_id"]))
    return found


def _registrant(data: dict) -> set[str]:
    found = _concerned(data)
    if data.get("organisation_id"):
        found.add(str(data["organisation_id"]))
    return found


def _public(data: dict) -> bool:
    return data["announcement"]["audience"]["scope"] == "public"


_ANNOUNCEMENT = {
    "id": _ANNOUNCEMENT_ID,
    "kind": "event",
    "title": {
        "en": "China-France Innovation and Cooperation Forum",
        "fr": "Forum franco-chinois d'innovation et de coopération",
        "zh": "中法创新合作论坛",
    },
    "summary": {
        "en": "Held in Nanjing and online from Sophia Antipolis.",
        "fr": "À Nankin et en ligne depuis Sophia Antipolis.",
        "zh": "在南京举行, 并在索菲亚科技园线上同步。",
    },
    "author_organisation_id": None,
    "audience": {
        "scope": "public",
        "countries": [],
        "parks": [],
        "sectors": [],
        "kinds": [],
        "organisation_ids": [],
    },
    "starts_at": "2026-10-26T01:30:00+00:00",
    "ends_at": "2026-10-26T09:00:00+00:00",
    "timezone": "Asia/Shanghai",
    "published_at": "2026-09-01T08:00:00+00:00",
    "tags": ["forum"],
    "sectors": ["biotech_health", "ai_data"],
}

EVENTS = [
    EventType(
        "announcement.published",
        1,
        AnnouncementEventData,
        _SUBSCRIBERS,
        "An announcement (news, event or call) was published for its audience.",
        {"announcement": _ANNOUNCEMENT},
        concerns=_concerned,
        public=_public,
    ),
    EventType(
        "announcement.updated",
        1,
        AnnouncementEventData,
        _SUBSCRIBERS,
        "A published announcement was edited (the previous text is kept as a version).",
        {"announcement": _ANNOUNCEMENT},
        concerns=_concerned,
        public=_public,
    ),
    EventType(
        "announcement.withdrawn",
        1,
        WithdrawnData,
        _SUBSCRIBERS,
        "A published announcement was withdrawn: it leaves lists and feeds.",
        {"announcement": _ANNOUNCEMENT, "reason": "Postponed to next year."},
        concerns=_concerned,
        public=_public,
    ),
    EventType(
        "announcement.registration_changed",
        1,
        RegistrationChangedData,
        _SUBSCRIBERS,
        "A person registered for an event, joined its waiting list, cancelled, or was promoted "
        "from the waiting list.",
        {
            "announcement": _ANNOUNCEMENT,
            "user_id": _USER_ID,
            "organisation_id": _ORG_ID,
            "status": "registered",
        },
        concerns=_registrant,
        webhook=False,
    ),
    EventType(
        "announcement.event_reminder",
        1,
        ReminderData,
        _SUBSCRIBERS,
        "An event starts within a day: a reminder for the people registered (sent once).",
        {"announcement": _ANNOUNCEMENT, "user_ids": [_USER_ID]},
        concerns=_concerned,
        webhook=False,
    ),
    *meetings.EVENTS,
    part("announcements", {"registrations.json": []}, {"registrations.json": "What you did here."}),
]
