"""Who acts in meetings: people, for their organisation (integrator clients only read)."""

from __future__ import annotations

from shared import organisation_status
from shared.auth import Caller
from shared.errors import Forbidden
from shared.organisation_status import MEMBERS_ONLY

from ..models import Organisation


def person(caller: Caller) -> Caller:
    """The caller if a person; integrator clients hold no write scope for meetings."""
    if caller.user_id is None:
        raise Forbidden("Meetings are arranged by people, not integrator clients.")
    return caller


def verified_organisation(session, caller: Caller) -> Organisation:
    """The caller's organisation, if its status lets it take part (verified)."""
    organisation = (
        session.get(Organisation, caller.organisation_id) if caller.organisation_id else None
    )
    if caller.organisation_id is None:
        raise Forbidden("Meetings are between organisations: join one first.")
    organisation_status.ensure(organisation.status if organisation else None, MEMBERS_ONLY)
    return organisation
