"""Events published by projects: projects, their calls for partners, applications, partners."""

from __future__ import annotations

import datetime as dt

from marshmallow import Schema, fields, validate

from shared.events.catalogue.event_type import EventType
from shared.events.catalogue.personal_data import part
from shared.vocabulary import SECTORS

_KINDS = (
    "technology_offer",
    "technology_request",
    "business_offer",
    "business_request",
    "rd_partnership",
)
_STATES = ("draft", "open", "active", "completed", "cancelled")
_SUBSCRIBERS = ("notifications",)
_OWNER = "9b2f3c1e-5d4a-4f6b-8c7d-0e1f2a3b4c5d"
_APPLICANT = "3a7d9e2f-8b1c-4d5e-a6f7-0b9c8d7e6f5a"
_USER = "4c8e6a2b-1f3d-4e5a-9b7c-6d0e2f4a8b1c"


def _localized(**kwargs):
    return fields.Dict(keys=fields.String(), values=fields.String(), **kwargs)


class ProjectData(Schema):
    """A project as every project.* event carries it; `organisation_id` is the owner, always."""

    id = fields.UUID(required=True)
    organisation_id = fields.UUID(required=True)
    anonymous = fields.Boolean(required=True)
    visibility = fields.String(required=True, validate=validate.OneOf(("public", "members")))
    kind = fields.String(required=True, validate=validate.OneOf(_KINDS))
    state = fields.String(required=True, validate=validate.OneOf(_STATES))
    title = _localized(required=True)
    summary = _localized(required=True)
    sectors = fields.List(fields.String(validate=validate.OneOf(SECTORS)), required=True)
    call_deadline = fields.AwareDateTime(required=True, allow_none=True, default_timezone=dt.UTC)


class ProjectEventData(Schema):
    project = fields.Nested(ProjectData, required=True)


class StateChangedData(ProjectEventData):
    from_state = fields.String(required=True, validate=validate.OneOf(_STATES))
    to_state = fields.String(required=True, validate=validate.OneOf(_STATES))
    changed_by = fields.UUID(required=True, allow_none=True)


class CallClosedData(ProjectEventData):
    closed_at = fields.AwareDateTime(required=True, default_timezone=dt.UTC)


class ApplicationSubmittedData(ProjectEventData):
    application_id = fields.UUID(required=True)
    applicant_organisation_id = fields.UUID(required=True)
    message = fields.String(required=True)


class ApplicationDecidedData(ProjectEventData):
    application_id = fields.UUID(required=True)
    applicant_organisation_id = fields.UUID(required=True)
    decision = fields.String(required=True, validate=validate.OneOf(("accepted", "rejected")))
    reason = fields.String(required=True, allow_none=True)


class PartnerAddedData(ProjectEventData):
    partner_organisation_id = fields.UUID(required=True)
    role = fields.String(required=True, validate=validate.OneOf(("lead", "partner")))


def _owner(data: dict) -> set[str]:
    return {str(data["project"]["organisation_id"])}


def _owner_and_applicant(data: dict) -> set[str]:
    return _owner(data) | {str(data["applicant_organisation_id"])}


def _owner_and_partner(data: dict) -> set[str]:
    return _owner(data) | {str(data["partner_organisation_id"])}


def _public_project(data: dict) -> bool:
    return data["project"].get("visibility") == "public"


_PROJECT = {
    "id": "7e3b1d5a-2c4f-4a6e-8b9d-1f0e2d3c4b5a",
    "organisation_id": _OWNER,
    "anonymous": False,
    "visibility": "public",
    "kind": "rd_partnership",
    "state": "open",
    "title": {
        "en": "Edge AI for smart buildings",
        "fr": "IA embarquée pour bâtiments intelligents",
        "zh": "智能建筑边缘人工智能",
    },
    "summary": {"en": "A French partner sought for sensor fusion on low-power chips."},
    "sectors": ["iot", "ai_data"],
    "call_deadline": "2027-03-31T23:59:00+08:00",
}

EVENTS = [
    EventType(
        "project.published",
        1,
        ProjectEventData,
        _SUBSCRIBERS,
        "A project left its draft: it is open and its call for partners is running.",
        {"project": _PROJECT},
        concerns=_owner,
        public=_public_project,
    ),
    EventType(
        "project.updated",
        1,
        ProjectEventData,
        _SUBSCRIBERS,
        "The owner changed a published project.",
        {"project": _PROJECT},
        concerns=_owner,
        public=_public_project,
    ),
    EventType(
        "project.state_changed",
        1,
        StateChangedData,
        _SUBSCRIBERS,
        "A project moved along its life cycle (draft, open, active, completed, cancelled).",
        {
            "project": {**_PROJECT, "state": "active"},
            "from_state": "open",
            "to_state": "active",
            "changed_by": _USER,
        },
        concerns=_owner,
        public=_public_project,
    ),
    EventType(
        "project.call_closed",
        1,
        CallClosedData,
        _SUBSCRIBERS,
        "A project's call for partners closed (its deadline passed, or the project moved on).",
        {"project": _PROJECT, "closed_at": "2027-03-31T16:00:00+00:00"},
        concerns=_owner,
        public=_public_project,
    ),
    EventType(
        "project.application_submitted",
        1,
        ApplicationSubmittedData,
        _SUBSCRIBERS,
        "An organisation applied to a project's call for partners.",
        {
            "application_id": "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a",
            "project": _PROJECT,
            "applicant_organisation_id": _APPLICANT,
            "message": "Our lab works on low-power sensor fusion and would like to join.",
        },
        concerns=_owner_and_applicant,
    ),
    EventType(
        "project.application_decided",
        1,
        ApplicationDecidedData,
        _SUBSCRIBERS,
        "The owner's admins accepted or rejected an application, with a reason.",
        {
            "application_id": "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a",
            "project": _PROJECT,
            "applicant_organisation_id": _APPLICANT,
            "decision": "accepted",
            "reason": "Exactly the sensor expertise we need.",
        },
        concerns=_owner_and_applicant,
    ),
    EventType(
        "project.partner_added",
        1,
        PartnerAddedData,
        _SUBSCRIBERS,
        "An organisation became a partner of a project (lead or partner).",
        {"project": _PROJECT, "partner_organisation_id": _APPLICANT, "role": "partner"},
        concerns=_owner_and_partner,
        public=_public_project,
    ),
    part(
        "projects",
        {"applications_submitted.json": []},
        {"applications_submitted.json": "What you did here."},
    ),
]
