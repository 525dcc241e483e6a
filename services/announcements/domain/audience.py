"""Who an announcement is for: everyone, every member, or organisations picked by criteria.

A `selected` audience names organisations outright and/or gives criteria (countries, parks,
sectors, kinds). Criteria combine with AND, the values of one criterion with OR (an organisation
matches `sectors` when it shares one); named organisations are added to those the criteria pick.
Only organisations whose status allows members-only content (verified ones:
`shared.organisation_status`) are in an audience or read what is not public.
"""

from __future__ import annotations

from sqlalchemy import select

from shared.auth import Caller
from shared.organisation_status import MEMBERS_ONLY, allows

from ..models import Announcement, Organisation

CRITERIA = ("countries", "parks", "sectors", "kinds")
EMPTY = {"countries": [], "parks": [], "sectors": [], "kinds": [], "organisation_ids": []}


def matches(organisation: Organisation, scope: str, audience: dict) -> bool:
    """Whether `organisation` is in the audience (for `members` and `selected` scopes)."""
    if not allows(organisation.status, MEMBERS_ONLY):
        return False
    if scope in ("public", "members"):
        return True
    if str(organisation.id) in {str(o) for o in audience.get("organisation_ids") or ()}:
        return True
    if not any(audience.get(name) for name in CRITERIA):
        return False
    checks = {
        "countries": organisation.country in (audience.get("countries") or ()),
        "parks": organisation.park in (audience.get("parks") or ()),
        "sectors": bool(set(organisation.sectors or ()) & set(audience.get("sectors") or ())),
        "kinds": organisation.kind in (audience.get("kinds") or ()),
    }
    return all(checks[name] for name in CRITERIA if audience.get(name))


def resolve(session, scope: str, audience: dict) -> list:
    """The ids of the organisations (known locally) an audience reaches."""
    organisations = session.scalars(select(Organisation).order_by(Organisation.name)).all()
    return [org.id for org in organisations if matches(org, scope, audience)]


def can_read(session, caller: Caller | None, announcement: Announcement) -> bool:
    """Whether the caller may read a published announcement."""
    scope = announcement.audience_scope
    if scope == "public":
        return True
    if caller is None:
        return False
    if caller.is_platform_admin:
        return True
    if announcement.author_organisation_id and caller.belongs_to(
        announcement.author_organisation_id
    ):
        return True
    if caller.organisation_id is None:
        return False
    organisation = session.get(Organisation, caller.organisation_id)
    if organisation is None:
        return False
    return matches(organisation, scope, announcement.audience or EMPTY)
