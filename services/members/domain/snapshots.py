"""What members' events say of a person, a membership and an organisation.

Kept apart from the rules that change them, so every module that emits an event (and the
republish command) builds the same data without importing the others.
"""

from __future__ import annotations

from ..models import Organisation, User


def organisation_snapshot(org: Organisation) -> dict:
    """What other services keep of an organisation (event data), ids as strings."""
    return {
        "id": str(org.id),
        "name": org.name,
        "name_zh": org.name_zh,
        "country": org.country,
        "park": org.park,
        "city": org.city,
        "kind": org.kind,
        "size": org.size,
        "sectors": list(org.sectors or []),
        "website": org.website,
        "description": dict(org.description or {}),
        "status": org.status,
    }


def user_event(user: User) -> dict:
    """`user.updated` data: what other services keep of a person."""
    return {
        "id": str(user.id),
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "timezone": user.timezone,
    }


def member_event(user: User, membership, previous_role: str | None = None) -> dict:
    """`member.joined` / `member.role_changed` data: the person and their place in the org."""
    data = {
        "organisation_id": str(membership.organisation_id),
        "user_id": str(user.id),
        "role": membership.role,
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "timezone": user.timezone,
    }
    if previous_role is not None:
        data["previous_role"] = previous_role
    return data
