"""Deleting an account: the person goes from members and from what members keeps for others.

Invitations sent to their address are deleted (an organisation's invitation list would go on
showing it); those they sent stay the organisation's, without their name; the events in the
outbox stop naming them. The last person of an organisation cannot leave it ownerless by
surprise: they either close it with their account, or someone else is made admin first.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, update

from shared.erasure import Person, erase_from_event_tables
from shared.errors import Conflict
from shared.events import emit

from ..models import DataExport, Invitation, Membership, Organisation, User, db
from . import contact_people
from .snapshots import organisation_snapshot


def ensure_may_leave(session, membership: Membership, close_organisation: bool) -> bool:
    """Whether the organisation must be closed with the account; Conflict when undecided."""
    others = session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.organisation_id == membership.organisation_id,
            Membership.user_id != membership.user_id,
        )
    )
    if others:
        return False
    if not close_organisation:
        raise Conflict(
            "You are the only person of your organisation. Invite someone and make them its "
            "admin first, or delete your account with close_organisation set to true: the "
            "organisation is then closed and leaves the directory.",
            code="account.last_member",
        )
    return True


def close_organisation(session, organisation_id) -> None:
    """Close an organisation whose last person left: out of every list, its events say so."""

    organisation = session.get(Organisation, organisation_id)
    organisation.status = "closed"
    organisation.status_reason = "Closed by its last member, who deleted their account."
    session.flush()
    emit(session, "organisation.updated", organisation_snapshot(organisation))


def erase(session, user: User) -> None:
    """What members keeps beside the account itself, rewritten so that it no longer names them."""
    session.execute(delete(Invitation).where(func.lower(Invitation.email) == user.email.lower()))
    session.execute(
        update(Invitation).where(Invitation.invited_by == user.id).values(invited_by=None)
    )
    session.execute(delete(DataExport).where(DataExport.user_id == user.id))
    contact_people.forget_contact(session, user.id)
    erase_from_event_tables(session, db, Person(str(user.id), user.email, user.full_name))
