"""Who must hear of an event, as a query over the projections of organisations and people.

Each rule gives a SELECT of user ids, so that the inbox writes a whole audience with one
INSERT ... SELECT, however many people it holds.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session

from shared.projections import LEFT

from ..models import Membership, Organisation, User


def _uuid(value) -> uuid.UUID | None:
    if value is None:
        return None
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _member_at(at: datetime):
    """Memberships that had begun when the event happened and have not ended."""
    return (Membership.role != LEFT, Membership.since <= at)


def admins_of(organisation_id, at: datetime) -> Select:
    return select(Membership.user_id).where(
        Membership.organisation_id == _uuid(organisation_id),
        Membership.role == "org_admin",
        Membership.since <= at,
    )


def members_of(organisation_id, at: datetime) -> Select:
    return select(Membership.user_id).where(
        Membership.organisation_id == _uuid(organisation_id), *_member_at(at)
    )


def people(ids) -> Select:
    wanted = [u for u in (_uuid(i) for i in ids or []) if u is not None]
    return select(User.id).where(User.id.in_(wanted))


def audience(session: Session, announcement: dict, at: datetime) -> Select:
    """The members of the verified organisations an announcement's audience selects."""
    rule = announcement.get("audience") or {}
    organisations = select(Organisation.id, Organisation.sectors).where(
        Organisation.status == "verified"
    )
    if rule.get("scope") == "selected":
        ids = [_uuid(i) for i in rule.get("organisation_ids") or []]
        organisations = organisations.where(Organisation.id.in_(ids))
    if rule.get("countries"):
        organisations = organisations.where(Organisation.country.in_(rule["countries"]))
    if rule.get("parks"):
        organisations = organisations.where(Organisation.park.in_(rule["parks"]))
    if rule.get("kinds"):
        organisations = organisations.where(Organisation.kind.in_(rule["kinds"]))
    sectors = set(rule.get("sectors") or [])
    if sectors:  # sectors are a JSON list: matched here, over organisations (few), not people
        chosen = [
            org_id
            for org_id, org_sectors in session.execute(organisations)
            if sectors & set(org_sectors or [])
        ]
        return select(Membership.user_id).where(
            Membership.organisation_id.in_(chosen), *_member_at(at)
        )
    ids = organisations.with_only_columns(Organisation.id)
    return select(Membership.user_id).where(Membership.organisation_id.in_(ids), *_member_at(at))


def _project_owner(data: dict):
    return (data.get("project") or {}).get("organisation_id")


# Each rule: (session, data, when the event happened) -> a SELECT of user ids.
RULES = {
    "organisation.registration_received": lambda s, d, at: people([p["id"] for p in d["staff"]]),
    "organisation.verified": lambda s, d, at: admins_of(d["id"], at),
    "organisation.suspended": lambda s, d, at: admins_of(d["id"], at),
    "project.application_submitted": lambda s, d, at: admins_of(_project_owner(d), at),
    "project.application_decided": lambda s, d, at: members_of(d["applicant_organisation_id"], at),
    "announcement.published": lambda s, d, at: audience(s, d["announcement"], at),
    "announcement.event_reminder": lambda s, d, at: people(d.get("user_ids")),
    "announcement.registration_changed": lambda s, d, at: people([d["user_id"]]),
}


def recipients(session: Session, event_type: str, data: dict, at: datetime) -> Select:
    """A SELECT of the people to tell of an event that happened `at` (nobody for types without
    a rule): members count from when their membership began, so the same people are told
    whether their membership reached this service before the event or after it."""
    rule = RULES.get(event_type)
    return select(User.id).where(false()) if rule is None else rule(session, data, at)
