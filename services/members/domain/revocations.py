"""Taking access away at once: members records a "not before" moment and publishes it.

Written in the transaction of the change itself (so members' own check sees it the moment the
change commits) and published as `access.revoked`, so every other service refuses the older
tokens within its cache's second or two (see shared.revocation).
"""

from __future__ import annotations

from shared import revocation
from shared.db import utcnow
from shared.events import emit

from ..models import access_revocations


def revoke(session, kind: str, subject, reason: str, now=None) -> None:
    """Refuse, from `now` on, the tokens of this person, organisation or client issued before."""
    moment = now or utcnow()
    revocation.record(session, access_revocations, kind, subject, moment)
    emit(
        session,
        revocation.EVENT,
        {"kind": kind, "subject": str(subject), "not_before": moment.isoformat(), "reason": reason},
    )


def person(session, user_id, reason: str, now=None) -> None:
    revoke(session, revocation.USER, user_id, reason, now)


def organisation(session, organisation_id, reason: str, now=None) -> None:
    revoke(session, revocation.ORGANISATION, organisation_id, reason, now)


def client(session, client_id: str, reason: str, now=None) -> None:
    revoke(session, revocation.CLIENT, client_id, reason, now)
