"""Request and response bodies of announcements' API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.i18n import LocalizedText
from shared.numbers import WholeNumber
from shared.pagination import PageArgs, page_schema
from shared.vocabulary import KINDS, PARKS, SECTORS

from .domain.times import zone_names
from .models import KINDS as ANNOUNCEMENT_KINDS
from .models import SCOPES, STATUSES

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
