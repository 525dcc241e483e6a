"""Request and response bodies of projects, applications, milestones and recommendations."""

from __future__ import annotations

import datetime as dt

from marshmallow import Schema, ValidationError, fields, validate

from shared.i18n import LOCALES, LocalizedText
from shared.numbers import WholeNumber
from shared.pagination import PageArgs, page_schema
from shared.vocabulary import COUNTRIES, SECTORS
from shared.vocabulary import KINDS as ORGANISATION_KINDS

from .domain.vocabulary import (
    APPLICATION_STATUSES,
    DECISIONS,
    KINDS,
    PARTNER_ROLES,
    STATES,
    VISIBILITIES,
)


class CountryCode(fields.String):
    """ISO 3166-1 alpha-2, any case in, upper case stored; documented as the codes' enum."""

    def __init__(self, **kwargs):
        kwargs["metadata"] = {"enum": sorted(COUNTRIES), **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        code = super()._deserialize(value, attr, data, **kwargs).strip().upper()
        if code not in COUNTRIES:
            raise ValidationError("Use the country's ISO 3166-1 alpha-2 code, such as FR or CN.")
        return code


def _words(max_items: int, **kwargs) -> fields.List:
    return fields.List(
        fields.String(validate=validate.Length(min=1, max=60)),
        validate=validate.Length(max=max_items),
        **kwargs,
    )


class AttachmentIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    url = fields.Url(required=True, schemes={"http", "https"}, validate=validate.Length(max=500))


class ProjectPatch(Schema):
    """What the owner's members may write; every field optional on a change."""

    kind = fields.String(validate=validate.OneOf(KINDS))
    title = LocalizedText(max_length=200)
    summary = LocalizedText(max_length=1000)
    description = LocalizedText(
        max_length=20_000,
        required_locale=False,
        metadata={"description": "Markdown per locale; served back with sanitised HTML"},
    )
    sectors = fields.List(
        fields.String(validate=validate.OneOf(list(SECTORS))),
        validate=validate.Length(min=1, max=8),
    )
    keywords = _words(20)
    seeks_countries = fields.List(CountryCode(), validate=validate.Length(max=20))
    seeks_kinds = fields.List(
        fields.String(validate=validate.OneOf(list(ORGANISATION_KINDS))),
        validate=validate.Length(max=6),
    )
    seeks_skills = _words(20)
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)
    budget_min = WholeNumber(allow_none=True, validate=validate.Range(0, 10**12))
    budget_max = WholeNumber(allow_none=True, validate=validate.Range(0, 10**12))
    budget_currency = fields.String(allow_none=True, validate=validate.OneOf(("EUR", "CNY", "USD")))
    funding_scheme = fields.String(allow_none=True, validate=validate.Length(max=200))
    visibility = fields.String(validate=validate.OneOf(VISIBILITIES))
    attachments = fields.List(fields.Nested(AttachmentIn), validate=validate.Length(max=20))
    anonymous = fields.Boolean(
        metadata={
            "description": "Hide the owner's name (not its country, kind, size) until it "
            "accepts an application"
        }
    )
    call_deadline = fields.AwareDateTime(
        allow_none=True, default_timezone=dt.UTC, metadata={"description": "Call's deadline"}
    )


class ProjectIn(ProjectPatch):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    title = LocalizedText(max_length=200, required=True)
    summary = LocalizedText(max_length=1000, required=True)
    sectors = fields.List(
        fields.String(validate=validate.OneOf(list(SECTORS))),
        required=True,
        validate=validate.Length(min=1, max=8),
    )
    visibility = fields.String(load_default="members", validate=validate.OneOf(VISIBILITIES))


class TransitionIn(Schema):
    to_state = fields.String(
        required=True, validate=validate.OneOf([s for s in STATES if s != "draft"])
    )
    note = fields.String(load_default=None, validate=validate.Length(max=2000))


class OwnerOut(Schema):
    anonymous = fields.Boolean(metadata={"description": "The owner is hidden from you"})
    discreet = fields.Boolean(
        metadata={"description": "To the owner's own members: its name is hidden from others"}
    )
    id = fields.String()
    name = fields.String()
    name_zh = fields.String(allow_none=True)
    country = fields.String()
    kind = fields.String()
    size = fields.String(allow_none=True)


class CallOut(Schema):
    deadline = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    open = fields.Boolean()


class MilestoneIn(Schema):
    title = LocalizedText(max_length=200, required=True)
    starts_on = fields.Date(load_default=None, allow_none=True)
    due_on = fields.Date(required=True)
    progress = WholeNumber(load_default=0, validate=validate.Range(0, 100))


class MilestonePatch(Schema):
    title = LocalizedText(max_length=200)
    starts_on = fields.Date(allow_none=True)
    due_on = fields.Date()
    progress = WholeNumber(validate=validate.Range(0, 100))


class MilestoneOut(Schema):
    id = fields.UUID()
    title = fields.Dict()
    starts_on = fields.Date(allow_none=True)
    due_on = fields.Date()
    progress = fields.Integer()
    updated_at = fields.DateTime()


class PartnerOut(Schema):
    organisation_id = fields.UUID()
    role = fields.String(validate=validate.OneOf(PARTNER_ROLES))
    joined_at = fields.DateTime()


class ProjectOut(Schema):
    id = fields.UUID()
    kind = fields.String()
    state = fields.String()
    owner = fields.Nested(OwnerOut)
    title = fields.Dict()
    summary = fields.Dict()
    description = fields.Dict(metadata={"description": "Markdown source per locale"})
    description_html = fields.Dict(metadata={"description": "Sanitised HTML per locale"})
    sectors = fields.List(fields.String())
    keywords = fields.List(fields.String())
    partner_sought = fields.Dict()
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)
    budget = fields.Dict(allow_none=True)
    funding_scheme = fields.String(allow_none=True)
    visibility = fields.String()
    attachments = fields.List(fields.Dict())
    call = fields.Nested(CallOut, allow_none=True)
    allowed_transitions = fields.List(fields.String())
    milestones = fields.List(fields.Nested(MilestoneOut))
    partners = fields.List(fields.Nested(PartnerOut))
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ProjectSummaryOut(Schema):
    id = fields.UUID()
    kind = fields.String()
    state = fields.String()
    owner = fields.Nested(OwnerOut)
    title = fields.String(allow_none=True)
    summary = fields.String(allow_none=True)
    sectors = fields.List(fields.String())
    visibility = fields.String()
    call = fields.Nested(CallOut, allow_none=True)
    created_at = fields.DateTime()


ProjectPage = page_schema(ProjectSummaryOut, name="ProjectPage")


class SearchArgs(PageArgs):
    q = fields.String(load_default=None, validate=validate.Length(max=200))
    sector = fields.String(load_default=None, validate=validate.OneOf(list(SECTORS)))
    state = fields.String(load_default=None, validate=validate.OneOf(STATES))
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))
    country = CountryCode(load_default=None, metadata={"description": "Owner's country"})
    seeks_country = CountryCode(load_default=None)
    seeks_kind = fields.String(load_default=None, validate=validate.OneOf(list(ORGANISATION_KINDS)))
    open_calls = fields.Boolean(load_default=False)
    organisation_id = fields.UUID(
        load_default=None,
        metadata={"description": "Owner organisation (its discreet projects only to itself)"},
    )
    lang = fields.String(load_default=None, validate=validate.OneOf(LOCALES))


class StateChangeOut(Schema):
    from_state = fields.String(allow_none=True)
    to_state = fields.String()
    changed_by = fields.UUID(allow_none=True)
    by_platform_admin = fields.Boolean()
    note = fields.String(allow_none=True)
    changed_at = fields.DateTime()


class StaffActionOut(Schema):
    user_id = fields.UUID(allow_none=True)
    action = fields.String()
    detail = fields.Dict()
    acted_at = fields.DateTime()


class ApplicationIn(Schema):
    message = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class DecisionIn(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    reason = fields.String(load_default=None, validate=validate.Length(max=2000))
    role = fields.String(load_default="partner", validate=validate.OneOf(PARTNER_ROLES))


class ApplicationOut(Schema):
    id = fields.UUID()
    project_id = fields.UUID()
    organisation_id = fields.UUID()
    message = fields.String()
    status = fields.String(validate=validate.OneOf(APPLICATION_STATUSES))
    reason = fields.String(allow_none=True)
    role = fields.String(allow_none=True)
    submitted_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)


class ApplicationProjectOut(Schema):
    id = fields.UUID()
    title = fields.String(allow_none=True, metadata={"description": "In the reader's language"})
    state = fields.String()


class SentApplicationOut(ApplicationOut):
    project = fields.Nested(ApplicationProjectOut)


SentApplicationPage = page_schema(SentApplicationOut, name="SentApplicationPage")


class SentApplicationArgs(PageArgs):
    status = fields.String(load_default=None, validate=validate.OneOf(APPLICATION_STATUSES))
    lang = fields.String(load_default=None, validate=validate.OneOf(LOCALES))


class RecommendationArgs(Schema):
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))
    lang = fields.String(load_default=None, validate=validate.OneOf(LOCALES))


class RecommendedProjectOut(Schema):
    project = fields.Nested(ProjectSummaryOut)
    score = fields.Float()
    reasons = fields.List(fields.String())


class RecommendedPartnerOut(Schema):
    organisation = fields.Dict()
    score = fields.Float()
    reasons = fields.List(fields.String())


class DashboardArgs(Schema):
    limit = fields.Integer(load_default=5, validate=validate.Range(min=1, max=20))
    lang = fields.String(load_default=None, validate=validate.OneOf(LOCALES))


class DashboardOut(Schema):
    projects = fields.List(
        fields.Nested(ProjectSummaryOut),
        metadata={"description": "The organisation's newest projects, drafts included"},
    )
    recommended_projects = fields.List(
        fields.Nested(RecommendedProjectOut),
        metadata={"description": "Open calls that fit it; none until it is verified"},
    )
    seeking = fields.Nested(
        ProjectSummaryOut,
        allow_none=True,
        metadata={"description": "Its newest open or active project, which partners are for"},
    )
    recommended_partners = fields.List(fields.Nested(RecommendedPartnerOut))
