"""Invitations: an org admin asks someone to join by e-mail; the link works once, for a while."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from shared.auth import Caller
from shared.db import utcnow
from shared.errors import Conflict, Forbidden, Gone, NotFound
from shared.events import emit
from shared.pagination import keyset, page

from .. import settings
from ..models import Invitation, Membership, Organisation, User
from . import access, accounts, credentials, snapshots


def _organisation(session, organisation_id) -> Organisation:
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("No such organisation.")
    return organisation


def create(session, caller: Caller, organisation_id: uuid.UUID, payload: dict) -> Invitation:
    """A pending invitation; the e-mail is sent by a task after commit."""
    access.ensure_admin_now(
        session, caller, organisation_id, "Only an admin of the organisation invites people."
    )
    _organisation(session, organisation_id)
    email = accounts.normalise_email(payload["email"])
    if accounts.find_user_by_email(session, email) is not None:
        raise Conflict(
            "A person with this e-mail address already has an account.",
            errors=[{"pointer": "/email", "detail": "Already registered."}],
            code="invitation.already_member",
        )
    now = utcnow()
    pending = session.scalars(
        select(Invitation).where(
            Invitation.organisation_id == organisation_id,
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
    ).first()
    if pending is not None:
        raise Conflict(
            "This person already has a pending invitation; revoke it to invite again.",
            errors=[{"pointer": "/email", "detail": "Already invited."}],
            code="invitation.already_pending",
        )
    inviter = session.get(User, caller.user_id) if caller.user_id else None
    language = payload.get("language") or (inviter.language if inviter else None) or "en"
    invitation = Invitation(
        id=uuid.uuid4(),
        organisation_id=organisation_id,
        email=email,
        role=payload["role"],
        language=language,
        nonce=credentials.new_nonce(),
        invited_by=caller.user_id,
        expires_at=now + timedelta(seconds=settings.get("INVITATION_TTL")),
    )
    invitation.token_hash = credentials.digest(
        credentials.derived_token("invitation", invitation.id, invitation.nonce)
    )
    session.add(invitation)
    session.flush()
    return invitation


def listing(session, caller: Caller, organisation_id, cursor: str | None, limit: int) -> dict:
    if not caller.is_admin_of(organisation_id):
        raise Forbidden("Only an admin of the organisation sees its invitations.")
    stmt = select(Invitation).where(Invitation.organisation_id == organisation_id)
    columns = [Invitation.created_at, Invitation.id]
    rows = session.scalars(keyset(stmt, columns, cursor, limit, descending=True)).all()
    return page(list(rows), limit, lambda row: (row.created_at, row.id))


def revoke(session, caller: Caller, organisation_id, invitation_id) -> None:
    access.ensure_admin_now(
        session, caller, organisation_id, "Only an admin of the organisation revokes invitations."
    )
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.organisation_id != organisation_id:
        raise NotFound("No such invitation.")
    if invitation.accepted_at is not None:
        raise Conflict("This invitation was already accepted.", code="invitation.already_accepted")
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()


def preview(session, token: str) -> dict:
    """What an invitation link's page shows before the account form: the organisation, who
    invited, the address and role; the same refusals as `accept` for a link that is used,
    expired, revoked or whose organisation is gone."""
    invitation = session.scalars(
        select(Invitation).where(Invitation.token_hash == credentials.digest(token))
    ).first()
    if invitation is None:
        raise NotFound("This invitation link is not valid.")
    status = invitation.status(utcnow())
    if status != "pending":
        raise Gone(
            f"This invitation is {status}; ask for a new one.",
            reason=status,
            code="invitation.expired_or_revoked",
        )
    organisation = session.get(Organisation, invitation.organisation_id)
    if organisation is None or organisation.status == "closed":
        raise Gone(
            "The organisation of this invitation no longer exists.",
            reason="revoked",
            code="invitation.organisation_gone",
        )
    inviter = session.get(User, invitation.invited_by) if invitation.invited_by else None
    return {
        "email": invitation.email,
        "role": invitation.role,
        "language": invitation.language,
        "expires_at": invitation.expires_at,
        "organisation": {
            "id": organisation.id,
            "name": organisation.name,
            "name_zh": organisation.name_zh,
        },
        "inviter_name": inviter.full_name if inviter else None,
    }


def accept(session, payload: dict) -> tuple[User, Membership]:
    """Sign up through an invitation: the account and the membership in one transaction."""
    invitation = session.scalars(
        select(Invitation)
        .where(Invitation.token_hash == credentials.digest(payload["token"]))
        .with_for_update()
    ).first()
    if invitation is None:
        raise NotFound("This invitation link is not valid.")
    status = invitation.status(utcnow())
    if status != "pending":
        raise Gone(
            f"This invitation is {status}; ask for a new one.",
            reason=status,
            code="invitation.expired_or_revoked",
        )
    if payload.get("timezone"):
        accounts.check_timezone(payload["timezone"])
    if session.get(Organisation, invitation.organisation_id) is None:
        raise Gone(
            "The organisation of this invitation no longer exists.",
            reason="revoked",
            code="invitation.organisation_gone",
        )
    user = accounts.new_user(
        session,
        email=invitation.email,
        password=payload["password"],
        full_name=payload["full_name"],
        language=payload.get("language") or invitation.language,
        timezone=payload.get("timezone") or "Europe/Paris",
    )
    membership = Membership(
        user_id=user.id, organisation_id=invitation.organisation_id, role=invitation.role
    )
    session.add(membership)
    invitation.accepted_at = utcnow()
    session.flush()
    emit(session, "member.joined", snapshots.member_event(user, membership))
    return user, membership
