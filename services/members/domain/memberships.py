"""An organisation's people and their roles; an organisation never loses its last admin."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from shared.auth import ORG_ADMIN, Caller
from shared.errors import Conflict, Forbidden, NotFound
from shared.events import emit
from shared.pagination import keyset, page

from ..models import Membership, User
from . import access, contact_people, credentials, revocations, snapshots


def membership_of(session, user_id) -> Membership | None:
    return session.scalars(select(Membership).where(Membership.user_id == user_id)).first()


def _member(session, organisation_id, user_id) -> tuple[User, Membership]:
    membership = session.scalars(
        select(Membership)
        .where(Membership.organisation_id == organisation_id, Membership.user_id == user_id)
        .with_for_update()
    ).first()
    if membership is None:
        raise NotFound("This person is not a member of the organisation.")
    return session.get(User, user_id), membership


def ensure_not_last_admin(session, membership: Membership) -> None:
    """Conflict when `membership` is its organisation's only admin."""
    if membership.role != ORG_ADMIN:
        return
    # Locking every admin row serialises two admins demoting each other at the same moment.
    admins = session.scalars(
        select(Membership.id)
        .where(
            Membership.organisation_id == membership.organisation_id,
            Membership.role == ORG_ADMIN,
        )
        .with_for_update()
    ).all()
    if len(admins) <= 1:
        raise Conflict(
            "The organisation's last admin cannot leave or step down; "
            "make someone else admin first."
        )


def listing(session, caller: Caller, organisation_id, cursor: str | None, limit: int) -> dict:
    """Members in joining order: who they are and their role."""
    if not (caller.is_platform_admin or caller.belongs_to(organisation_id)):
        raise Forbidden("You do not act for this organisation.")
    stmt = (
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.organisation_id == organisation_id)
    )
    rows = session.execute(
        keyset(stmt, [Membership.created_at, Membership.id], cursor, limit)
    ).all()
    result = page(list(rows), limit, lambda row: (row[0].created_at, row[0].id))
    result["items"] = [as_member(user, membership) for membership, user in result["items"]]
    return result


def as_member(user: User, membership: Membership) -> dict:
    return {
        "user_id": user.id,
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "role": membership.role,
        "joined_at": membership.created_at,
    }


def change_role(session, caller: Caller, organisation_id, user_id: uuid.UUID, role: str) -> dict:
    access.ensure_admin_now(
        session, caller, organisation_id, "Only an admin of the organisation changes roles."
    )
    user, membership = _member(session, organisation_id, user_id)
    previous = membership.role
    if role != previous:
        if role != ORG_ADMIN:
            ensure_not_last_admin(session, membership)
        membership.role = role
        session.flush()
        # Tokens carry the role: the old ones must not outlive it.
        revocations.person(session, user.id, "role_changed")
        emit(
            session,
            "member.role_changed",
            snapshots.member_event(user, membership, previous_role=previous),
        )
    return as_member(user, membership)


def remove(session, caller: Caller, organisation_id, user_id: uuid.UUID) -> None:
    """An admin removes a member, or a member leaves; the person keeps their account."""

    if caller.user_id != user_id:
        access.ensure_admin_now(
            session, caller, organisation_id, "Only an admin of the organisation removes members."
        )
    user, membership = _member(session, organisation_id, user_id)
    ensure_not_last_admin(session, membership)
    session.delete(membership)
    contact_people.forget_contact(session, user.id, organisation_id)
    # Their sessions carried the organisation: they sign in again without it.
    credentials.revoke_user_tokens(session, user.id)
    revocations.person(session, user.id, "member_removed")
    session.flush()
    emit(
        session,
        "member.left",
        {"organisation_id": str(organisation_id), "user_id": str(user.id)},
    )
