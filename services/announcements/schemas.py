"""Request and response bodies of announcements' API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.i18n import LocalizedText
from shared.numbers import WholeNumber
from shared.pagination import PageArgs, page_schema
from shared.vocabulary import KINDS, PARKS, SECTORS

from .domain.times import zone_names
from .models import (
    ATTENDANCE,
    MEETING_MINUTES,
    MEETING_STATUSES,
    SCHEDULING_MODES,
    SCOPES,
    STATUSES,
)
from .models import KINDS as ANNOUNCEMENT_KINDS

_codes = {"validate": validate.Length(max=50), "load_default": list}


class AudienceIn(Schema):
    scope = fields.String(required=True, validate=validate.OneOf(SCOPES))
    countries = fields.List(
        fields.String(validate=validate.Regexp(r"^[A-Z]{2}$", error="ISO 3166 alpha-2 code.")),
        **_codes,
    )
    parks = fields.List(fields.String(validate=validate.OneOf(PARKS)), **_codes)
    sectors = fields.List(fields.String(validate=validate.OneOf(SECTORS)), **_codes)
    kinds = fields.List(fields.String(validate=validate.OneOf(KINDS)), **_codes)
    organisation_ids = fields.List(
        fields.UUID(), validate=validate.Length(max=500), load_default=list
    )


class AnnouncementIn(Schema):
    """An announcement; event times without an offset are wall times in `timezone`."""

    kind = fields.String(required=True, validate=validate.OneOf(ANNOUNCEMENT_KINDS))
    author_organisation_id = fields.UUID(allow_none=True, load_default=None)
    title = LocalizedText(required=True, max_length=200)
    summary = LocalizedText(max_length=1000, required_locale=False)
    body = LocalizedText(
        max_length=50_000,
        required_locale=False,
        metadata={"description": "Markdown per locale; served back as sanitised HTML too."},
    )
    tags = fields.List(
        fields.String(validate=validate.Length(min=1, max=40)), validate=validate.Length(max=20)
    )
    sectors = fields.List(
        fields.String(validate=validate.OneOf(SECTORS)), validate=validate.Length(max=20)
    )
    audience = fields.Nested(AudienceIn)
    starts_at = fields.DateTime(allow_none=True)
    ends_at = fields.DateTime(allow_none=True)
    timezone = fields.String(
        allow_none=True, validate=validate.Length(max=64), metadata={"enum": zone_names()}
    )
    place = fields.String(allow_none=True, validate=validate.Length(max=300))
    online_url = fields.URL(
        allow_none=True, schemes={"http", "https"}, validate=validate.Length(max=500)
    )
    capacity = WholeNumber(allow_none=True, validate=validate.Range(min=1, max=100_000))


class AnnouncementPatch(AnnouncementIn):
    """Any of the fields of an announcement but its kind and author."""

    class Meta:
        exclude = ("kind", "author_organisation_id")


class PublishIn(Schema):
    publish_at = fields.AwareDateTime(
        allow_none=True,
        load_default=None,
        metadata={"description": "When to publish; now when absent or past."},
    )


class RejectIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class WithdrawIn(Schema):
    reason = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000))


class ReaderArgs(Schema):
    tz = fields.String(
        load_default=None,
        validate=validate.Length(max=64),
        metadata={
            "description": "IANA zone to show event times in, besides the event's own "
            "(empty: as if absent).",
            "enum": ["", *zone_names()],
        },
    )


class ListArgs(PageArgs, ReaderArgs):
    kind = fields.String(load_default=None, validate=validate.OneOf(ANNOUNCEMENT_KINDS))
    upcoming = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Only events still to start, soonest first (whatever `kind` says); "
            "its cursors are not those of the list by publication."
        },
    )


class MineArgs(PageArgs, ReaderArgs):
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))


class LanguageArgs(Schema):
    lang = fields.String(load_default=None, validate=validate.OneOf(("en", "fr", "zh")))


class AudienceOut(Schema):
    scope = fields.String()
    countries = fields.List(fields.String())
    parks = fields.List(fields.String())
    sectors = fields.List(fields.String())
    kinds = fields.List(fields.String())
    organisation_ids = fields.List(fields.String())


class AnnouncementOut(Schema):
    id = fields.UUID()
    kind = fields.String()
    status = fields.String()
    author_organisation_id = fields.UUID(allow_none=True)
    title = fields.Dict()
    summary = fields.Dict()
    body = fields.Dict(metadata={"description": "Markdown source per locale"})
    body_html = fields.Dict(metadata={"description": "Sanitised HTML per locale"})
    tags = fields.List(fields.String())
    sectors = fields.List(fields.String())
    audience = fields.Nested(AudienceOut)
    timezone = fields.String(allow_none=True)
    starts_at = fields.String(allow_none=True, metadata={"description": "UTC, ISO 8601"})
    ends_at = fields.String(allow_none=True)
    starts_at_local = fields.String(allow_none=True, metadata={"description": "event's zone"})
    ends_at_local = fields.String(allow_none=True)
    reader_timezone = fields.String(allow_none=True)
    starts_at_reader = fields.String(allow_none=True, metadata={"description": "reader's zone"})
    ends_at_reader = fields.String(allow_none=True)
    place = fields.String(allow_none=True)
    online_url = fields.String(allow_none=True)
    capacity = fields.Integer(allow_none=True)
    registrations = fields.Dict(allow_none=True)
    publish_at = fields.DateTime(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    withdrawn_at = fields.DateTime(allow_none=True)
    moderation_reason = fields.String(allow_none=True)
    version = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class AnnouncementItem(AnnouncementOut):
    """An announcement in a list: everything but the body (read it from the detail)."""

    class Meta:
        exclude = ("body", "body_html", "registrations")


AnnouncementPage = page_schema(AnnouncementItem, "AnnouncementPage")


class VersionOut(Schema):
    version = fields.Integer()
    snapshot = fields.Dict()
    edited_by = fields.UUID(allow_none=True)
    edited_at = fields.DateTime()


class RegistrationOut(Schema):
    announcement_id = fields.UUID()
    user_id = fields.UUID()
    organisation_id = fields.UUID(allow_none=True)
    status = fields.String()
    requested_at = fields.DateTime()
    updated_at = fields.DateTime()


class AttendeeOut(RegistrationOut):
    full_name = fields.String(
        allow_none=True, metadata={"description": "The person's name; null until members told"}
    )


class AttendeesOut(Schema):
    capacity = fields.Integer(allow_none=True)
    registered = fields.List(fields.Nested(AttendeeOut))
    waiting = fields.List(fields.Nested(AttendeeOut))


# --- Brokerage meetings ---

_ZONE = {
    "validate": validate.Length(max=64),
    "metadata": {"enum": zone_names(), "description": "IANA time zone"},
}
_WALL = "without an offset: a wall time in the event's zone"


class SessionIn(Schema):
    name = LocalizedText(max_length=200, required_locale=False, load_default=dict)
    starts_at = fields.DateTime(required=True, metadata={"description": _WALL})
    ends_at = fields.DateTime(required=True, metadata={"description": _WALL})
    in_person = fields.Boolean(load_default=True)


class MatchmakingIn(Schema):
    """One-to-one meetings on an event: sessions, slots, tables, booking window, mode."""

    sessions = fields.List(
        fields.Nested(SessionIn), required=True, validate=validate.Length(min=1, max=10)
    )
    meeting_minutes = fields.Integer(required=True, validate=validate.OneOf(MEETING_MINUTES))
    tables = WholeNumber(required=True, validate=validate.Range(min=0, max=1000))
    online = fields.Boolean(load_default=False)
    booking_opens_at = fields.DateTime(required=True, metadata={"description": _WALL})
    booking_closes_at = fields.DateTime(required=True, metadata={"description": _WALL})
    max_meetings = WholeNumber(required=True, validate=validate.Range(min=1, max=100))
    mode = fields.String(required=True, validate=validate.OneOf(SCHEDULING_MODES))
    gap_slots = WholeNumber(load_default=0, validate=validate.Range(min=0, max=4))


class MomentOut(Schema):
    utc = fields.String(metadata={"description": "UTC, ISO 8601"})
    local = fields.String(metadata={"description": "the event's zone"})
    reader = fields.String(allow_none=True, metadata={"description": "the reader's zone"})


class SlotOut(Schema):
    id = fields.String()
    starts_at = fields.Nested(MomentOut)
    ends_at = fields.Nested(MomentOut)


class SessionOut(Schema):
    id = fields.UUID()
    name = fields.Dict()
    in_person = fields.Boolean()
    starts_at = fields.Nested(MomentOut)
    ends_at = fields.Nested(MomentOut)
    slots = fields.List(fields.Nested(SlotOut))


class MatchmakingOut(Schema):
    announcement_id = fields.UUID()
    timezone = fields.String()
    reader_timezone = fields.String(allow_none=True)
    meeting_minutes = fields.Integer()
    tables = fields.Integer()
    online = fields.Boolean()
    booking_opens_at = fields.Nested(MomentOut)
    booking_closes_at = fields.Nested(MomentOut)
    max_meetings = fields.Integer()
    mode = fields.String()
    gap_slots = fields.Integer()
    agendas_published_at = fields.DateTime(allow_none=True)
    sessions = fields.List(fields.Nested(SessionOut))


_CLOCK = {
    "validate": validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="A time as HH:MM."),
    "allow_none": True,
}


class ParticipantIn(Schema):
    """A participation profile: what the organisation offers and seeks, how and when it meets."""

    offers = LocalizedText(max_length=2000, required_locale=False, load_default=dict)
    seeks = LocalizedText(max_length=2000, required_locale=False, load_default=dict)
    sectors = fields.List(
        fields.String(validate=validate.OneOf(SECTORS)),
        validate=validate.Length(max=20),
        load_default=list,
    )
    countries_sought = fields.List(
        fields.String(validate=validate.Regexp(r"^[A-Z]{2}$", error="ISO 3166 alpha-2 code.")),
        validate=validate.Length(max=20),
        load_default=list,
    )
    project_ids = fields.List(fields.UUID(), validate=validate.Length(max=20), load_default=list)
    languages = fields.List(
        fields.String(validate=validate.Regexp(r"^[a-z]{2,3}$", error="An ISO 639 code.")),
        validate=validate.Length(max=10),
        load_default=list,
    )
    attendance = fields.String(required=True, validate=validate.OneOf(ATTENDANCE))
    session_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(min=1, max=10))
    working_hours_start = fields.String(load_default=None, **_CLOCK)
    working_hours_end = fields.String(load_default=None, **_CLOCK)
    timezone = fields.String(load_default=None, allow_none=True, **_ZONE)


class ParticipantPatch(ParticipantIn):
    """Any fields of the profile."""


class ParticipantOrganisationOut(Schema):
    id = fields.UUID()
    name = fields.String(allow_none=True)
    name_zh = fields.String(allow_none=True)
    country = fields.String(allow_none=True)
    park = fields.String(allow_none=True)
    kind = fields.String(allow_none=True)
    sectors = fields.List(fields.String())


class ParticipantOut(Schema):
    id = fields.UUID()
    announcement_id = fields.UUID()
    organisation = fields.Nested(ParticipantOrganisationOut)
    offers = fields.Dict()
    seeks = fields.Dict()
    sectors = fields.List(fields.String())
    countries_sought = fields.List(fields.String())
    project_ids = fields.List(fields.String())
    languages = fields.List(fields.String())
    attendance = fields.String()
    session_ids = fields.List(fields.String())
    working_hours_start = fields.String(allow_none=True)
    working_hours_end = fields.String(allow_none=True)
    timezone = fields.String(allow_none=True)
    created_at = fields.DateTime()


class OwnParticipantOut(ParticipantOut):
    calendar_url = fields.String(
        allow_none=True,
        metadata={"description": "the private calendar feed; shown only when (re)issued"},
    )


ParticipantPage = page_schema(ParticipantOut, "ParticipantPage")


class ParticipantArgs(PageArgs):
    country = fields.String(
        load_default=None, validate=validate.Regexp(r"^[A-Z]{2}$", error="ISO 3166 alpha-2 code.")
    )
    park = fields.String(load_default=None, validate=validate.OneOf(PARKS))
    sector = fields.String(load_default=None, validate=validate.OneOf(SECTORS))
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))
    q = fields.String(
        load_default=None,
        validate=validate.Length(min=2, max=100),
        metadata={"description": "words in what participants offer or seek, any language"},
    )
    attendance = fields.String(load_default=None, validate=validate.OneOf(("online", "in_person")))


class SuggestionArgs(LanguageArgs):
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))


class ReasonOut(Schema):
    code = fields.String(
        metadata={
            "enum": ["shared_sector", "country_sought", "france_china", "offers_what_you_seek"]
        }
    )
    text = fields.String(metadata={"description": "in the reader's language"})


class SuggestionOut(Schema):
    participant = fields.Nested(ParticipantOut)
    score = fields.Integer()
    reasons = fields.List(fields.Nested(ReasonOut))


class MeetingRequestIn(Schema):
    recipient_id = fields.UUID(required=True, metadata={"description": "a participant's id"})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    online = fields.Boolean(
        load_default=None,
        allow_none=True,
        metadata={"description": "default: in person if both can"},
    )


class AcceptIn(Schema):
    slot_id = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=80),
        metadata={"description": "required when participants pick their slots"},
    )


class NoteIn(Schema):
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class MeetingListArgs(Schema):
    direction = fields.String(load_default=None, validate=validate.OneOf(("sent", "received")))
    status = fields.String(load_default=None, validate=validate.OneOf(MEETING_STATUSES))


class MeetingOut(Schema):
    id = fields.UUID()
    announcement_id = fields.UUID(allow_none=True)
    requester_id = fields.UUID()
    recipient_id = fields.UUID()
    requester_organisation_id = fields.UUID()
    recipient_organisation_id = fields.UUID()
    status = fields.String()
    reason = fields.String()
    note = fields.String(allow_none=True)
    online = fields.Boolean()
    slot_id = fields.String(allow_none=True)
    table_number = fields.Integer(allow_none=True)
    starts_at = fields.DateTime(allow_none=True)
    ends_at = fields.DateTime(allow_none=True)
    published = fields.Boolean()
    project_id = fields.UUID(allow_none=True)
    proposed_times = fields.List(fields.Dict())
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class AgendaItemOut(Schema):
    meeting_id = fields.UUID()
    starts_at = fields.Nested(MomentOut)
    ends_at = fields.Nested(MomentOut)
    online = fields.Boolean()
    table = fields.Integer(allow_none=True)
    online_url = fields.String(allow_none=True)
    other = fields.Nested(ParticipantOut)
    ics_url = fields.String()


class AgendaOut(Schema):
    announcement_id = fields.UUID()
    timezone = fields.String()
    reader_timezone = fields.String(allow_none=True)
    meetings = fields.List(fields.Nested(AgendaItemOut))


class ScheduleRunIn(Schema):
    keep_published = fields.Boolean(
        load_default=True, metadata={"description": "published meetings keep slot and table"}
    )
    publish = fields.Boolean(
        load_default=True, metadata={"description": "publish the agendas when done"}
    )
    time_limit = fields.Float(
        load_default=30.0, validate=validate.Range(min=1, max=300), metadata={"description": "s"}
    )


class ScheduleRunOut(Schema):
    id = fields.UUID()
    announcement_id = fields.UUID()
    status = fields.String(metadata={"enum": ["queued", "running", "done", "failed"]})
    keep_published = fields.Boolean()
    publish = fields.Boolean()
    time_limit = fields.Float()
    solver = fields.String(allow_none=True)
    optimal = fields.Boolean(allow_none=True)
    bound = fields.Integer(allow_none=True)
    gap = fields.Float(allow_none=True)
    wall_seconds = fields.Float(allow_none=True)
    scheduled = fields.Integer(allow_none=True)
    unscheduled = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={
            "description": "meeting id: no_common_session, no_common_working_hours, capacity"
        },
    )
    error = fields.String(allow_none=True)
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)


class ScheduledMeetingOut(Schema):
    """An accepted meeting as the organisers' schedule shows it (no reason, no note)."""

    id = fields.UUID()
    requester_organisation_id = fields.UUID()
    recipient_organisation_id = fields.UUID()
    online = fields.Boolean()
    slot_id = fields.String(allow_none=True)
    table_number = fields.Integer(allow_none=True)
    starts_at = fields.DateTime(allow_none=True)
    ends_at = fields.DateTime(allow_none=True)
    published = fields.Boolean()


class ContactIn(Schema):
    """A meeting asked of another organisation, outside any event."""

    recipient_organisation_id = fields.UUID(required=True)
    project_id = fields.UUID(
        load_default=None, allow_none=True, metadata={"description": "the project it is about"}
    )
    message = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    proposed_times = fields.List(
        fields.AwareDateTime(),
        required=True,
        validate=validate.Length(min=1, max=3),
        metadata={"description": "UTC (or any offset), up to three"},
    )
    minutes = fields.Integer(load_default=30, validate=validate.OneOf((15, 20, 30, 45, 60)))
    online = fields.Boolean(load_default=True)


class ContactAcceptIn(Schema):
    starts_at = fields.AwareDateTime(
        required=True, metadata={"description": "one of the proposed times"}
    )


class ContactListArgs(MeetingListArgs, ReaderArgs):
    pass


class ContactMomentOut(Schema):
    utc = fields.String()
    requester = fields.String(metadata={"description": "the asking organisation's zone"})
    recipient = fields.String(metadata={"description": "the asked organisation's zone"})
    reader = fields.String(allow_none=True)


class ProposedTimeOut(Schema):
    starts_at = fields.Nested(ContactMomentOut)
    ends_at = fields.Nested(ContactMomentOut)


class ContactOut(Schema):
    id = fields.UUID()
    requester_organisation_id = fields.UUID()
    recipient_organisation_id = fields.UUID()
    requester_timezone = fields.String()
    recipient_timezone = fields.String()
    reader_timezone = fields.String(allow_none=True)
    project_id = fields.UUID(allow_none=True)
    status = fields.String()
    message = fields.String()
    note = fields.String(allow_none=True)
    online = fields.Boolean()
    proposed_times = fields.List(fields.Nested(ProposedTimeOut))
    starts_at = fields.Nested(ContactMomentOut, allow_none=True)
    ends_at = fields.Nested(ContactMomentOut, allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
