"""The caller's live standing, for privileged writes: members reads it from its own tables.

A token says what its bearer was when it was issued; for writes that hand out or take away
access (API clients, invitations, roles, removals) members checks what they are now, so even a
token the revocation check has not yet refused cannot act for an organisation its bearer left.
"""

from __future__ import annotations

from sqlalchemy import select

from shared.auth import ORG_ADMIN, Caller
from shared.errors import Forbidden

from ..models import ApiClient, Membership, Organisation, User


def ensure_admin_now(session, caller: Caller, organisation_id, refusal: str) -> None:
    """Forbidden unless the caller is, at this moment, staff or an admin of the organisation
    (a person with the org_admin role, or a live client with `organisation:admin`), and the
    organisation is not suspended."""
    if not caller.is_admin_of(organisation_id):
        raise Forbidden(refusal)
    if caller.kind == "client":
        client = session.scalars(
            select(ApiClient).where(ApiClient.client_id == caller.subject)
        ).first()
        live = (
            client is not None
            and client.revoked_at is None
            and str(client.organisation_id) == str(organisation_id)
            and "organisation:admin" in (client.scopes or [])
        )
        if not live:
            raise Forbidden(f"{refusal} This client no longer holds that right.")
    else:
        user = session.get(User, caller.user_id)
        if user is None:
            raise Forbidden(f"{refusal} This account no longer exists.")
        if user.is_platform_admin:
            return
        membership = session.scalars(
            select(Membership).where(
                Membership.user_id == user.id, Membership.organisation_id == organisation_id
            )
        ).first()
        if membership is None or membership.role != ORG_ADMIN:
            raise Forbidden(f"{refusal} You are no longer an admin of this organisation.")
    organisation = session.get(Organisation, organisation_id)
    if organisation is not None and organisation.status == "suspended":
        raise Forbidden(f"{refusal} The organisation is suspended.")
