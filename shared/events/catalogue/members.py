"""Events published by members: organisations, their people and roles, accounts."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.events.catalogue.event_type import EventType
from shared.events.catalogue.personal_data import REQUESTED
from shared.vocabulary import KINDS, PARKS, SECTORS, SIZES, STATUSES

ROLES = ("org_admin", "org_member")
_ALL = ("projects", "announcements", "notifications")
# Who keeps people: notifications to reach them, announcements for its attendee lists' names.
_PEOPLE = ("announcements", "notifications")
_ORG_ID = "9b2f3c1e-5d4a-4f6b-8c7d-0e1f2a3b4c5d"
_USER_ID = "4c8e6a2b-1f3d-4e5a-9b7c-6d0e2f4a8b1c"


class OrganisationData(Schema):
    """The organisation as other services keep it: a full snapshot, so order never matters."""

    id = fields.UUID(required=True)
    name = fields.String(required=True)
    name_zh = fields.String(allow_none=True, load_default=None)
    country = fields.String(required=True, validate=validate.Length(equal=2))
    park = fields.String(required=True, validate=validate.OneOf(PARKS))
    city = fields.String(allow_none=True, load_default=None)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    size = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(SIZES))
    sectors = fields.List(fields.String(validate=validate.OneOf(SECTORS)), required=True)
    website = fields.String(allow_none=True, load_default=None)
    description = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))


class OrganisationStatusData(OrganisationData):
    reason = fields.String(allow_none=True, load_default=None)


class MemberData(Schema):
    """A person's place in an organisation, with what notifications needs to reach them."""

    organisation_id = fields.UUID(required=True)
    user_id = fields.UUID(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    email = fields.Email(required=True)
    full_name = fields.String(required=True)
    language = fields.String(required=True)
    timezone = fields.String(required=True)
    previous_role = fields.String(validate=validate.OneOf(ROLES))


class MemberLeftData(Schema):
    organisation_id = fields.UUID(required=True)
    user_id = fields.UUID(required=True)


class UserData(Schema):
    id = fields.UUID(required=True)
    email = fields.Email(required=True)
    full_name = fields.String(required=True)
    language = fields.String(required=True)
    timezone = fields.String(required=True)


class RegistrantData(Schema):
    user_id = fields.UUID(required=True)
    full_name = fields.String(required=True)
    email = fields.Email(required=True)


class RegistrationReceivedData(Schema):
    """A registration for staff to verify, with the staff to tell (notifications may not know
    platform staff, who belong to no organisation, before this)."""

    id = fields.UUID(required=True)
    name = fields.String(required=True)
    name_zh = fields.String(allow_none=True, load_default=None)
    country = fields.String(required=True, validate=validate.Length(equal=2))
    registration_number = fields.String(required=True)
    registrant = fields.Nested(RegistrantData, required=True)
    staff = fields.List(fields.Nested(UserData), required=True)


class UserDeletedData(Schema):
    id = fields.UUID(required=True)


class AccessRevokedData(Schema):
    """From `not_before` on, tokens issued earlier to this person, organisation or client fail."""

    kind = fields.String(required=True, validate=validate.OneOf(("user", "organisation", "client")))
    subject = fields.String(required=True, validate=validate.Length(min=1, max=64))
    not_before = fields.AwareDateTime(required=True)
    reason = fields.String(required=True, validate=validate.Length(max=40))


def _organisation(data: dict) -> set[str]:
    return {str(data["id"])}


def _member_of(data: dict) -> set[str]:
    return {str(data["organisation_id"])}


def _verified(data: dict) -> bool:
    return data.get("status") == "verified"


_ORGANISATION = {
    "id": _ORG_ID,
    "name": "Nanjing Zijin Biopharmaceutical Technology",
    "name_zh": "南京紫金生物医药科技",
    "country": "CN",
    "park": "jiangning",
    "city": "Nanjing",
    "kind": "company",
    "size": "medium",
    "sectors": ["biotech_health"],
    "website": "https://www.zijin-bio.example",
    "description": {"en": "Biologics for chronic diseases.", "zh": "慢性病生物制剂。"},
    "status": "verified",
}
_MEMBER = {
    "organisation_id": _ORG_ID,
    "user_id": _USER_ID,
    "role": "org_member",
    "email": "li.na@zijin-bio.example",
    "full_name": "Li Na",
    "language": "zh",
    "timezone": "Asia/Shanghai",
}

EVENTS = [
    EventType(
        "organisation.registered",
        1,
        OrganisationData,
        _ALL,
        "An organisation registered, with its first admin; it is pending until staff verify it.",
        {**_ORGANISATION, "status": "pending"},
        concerns=_organisation,
    ),
    EventType(
        "organisation.registration_received",
        1,
        RegistrationReceivedData,
        ("notifications",),
        "An organisation registered: platform staff (listed, with how to reach them) have it to "
        "verify.",
        {
            "id": _ORG_ID,
            "name": "Zijin Biologics",
            "name_zh": "紫金生物",
            "country": "CN",
            "registration_number": "91320115MA1MXXXX0X",
            "registrant": {
                "user_id": _USER_ID,
                "full_name": "Li Na",
                "email": "li.na@zijin-bio.example",
            },
            "staff": [
                {
                    "id": "7d1e3b5a-2c4f-4a6e-8b0d-1f3a5c7e9b2d",
                    "email": "verification@sophia-antipolis.example",
                    "full_name": "Claire Martin",
                    "language": "fr",
                    "timezone": "Europe/Paris",
                }
            ],
        },
        webhook=False,
    ),
    EventType(
        "organisation.updated",
        1,
        OrganisationData,
        _ALL,
        "An organisation's profile changed (the whole profile is in the event).",
        _ORGANISATION,
        concerns=_organisation,
        public=_verified,
    ),
    EventType(
        "organisation.verified",
        1,
        OrganisationStatusData,
        _ALL,
        "Platform staff verified an organisation: it appears in the directory.",
        {**_ORGANISATION, "reason": "SIREN checked with the registry."},
        concerns=_organisation,
        public=_verified,
    ),
    EventType(
        "organisation.suspended",
        1,
        OrganisationStatusData,
        _ALL,
        "Platform staff suspended an organisation, with a reason.",
        {**_ORGANISATION, "status": "suspended", "reason": "Registration number withdrawn."},
        concerns=_organisation,
    ),
    EventType(
        "member.joined",
        1,
        MemberData,
        _PEOPLE,
        "A person joined an organisation (registration or accepted invitation).",
        _MEMBER,
        concerns=_member_of,
    ),
    EventType(
        "member.role_changed",
        1,
        MemberData,
        _PEOPLE,
        "An organisation admin changed a member's role.",
        {**_MEMBER, "role": "org_admin", "previous_role": "org_member"},
        concerns=_member_of,
    ),
    EventType(
        "member.left",
        1,
        MemberLeftData,
        _PEOPLE,
        "A person left an organisation or was removed from it.",
        {"organisation_id": _ORG_ID, "user_id": _USER_ID},
        concerns=_member_of,
    ),
    EventType(
        "user.updated",
        1,
        UserData,
        _PEOPLE,
        "A person changed their profile (name, language, time zone).",
        {k: v for k, v in _MEMBER.items() if k not in ("organisation_id", "user_id", "role")}
        | {"id": _USER_ID},
        webhook=False,
    ),
    EventType(
        "user.deleted",
        1,
        UserDeletedData,
        _ALL,
        "A person deleted their account: every service forgets or anonymises them.",
        {"id": _USER_ID},
        webhook=False,
    ),
    EventType(
        "access.revoked",
        1,
        AccessRevokedData,
        _ALL,
        "Access was taken away (member removed, role changed, organisation suspended, account "
        "deleted, password changed, client revoked): every service refuses the tokens of that "
        "person, organisation or client issued before `not_before`.",
        {
            "kind": "user",
            "subject": _USER_ID,
            "not_before": "2026-11-30T09:15:00.123456+00:00",
            "reason": "member_removed",
        },
        webhook=False,
    ),
    REQUESTED,
]
