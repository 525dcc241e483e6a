"""The person an organisation names as its contact on its public profile, as people change.

Apart from `organisations`, which accounts and memberships import, so that a renamed, leaving or
erased person is handled without an import circle.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from shared.db import utcnow

from ..models import Organisation


def contact_renamed(session, user_id: uuid.UUID) -> None:
    """The profiles naming this person as their contact changed with the person's name."""
    for org in session.scalars(select(Organisation).where(Organisation.contact_user_id == user_id)):
        org.updated_at = utcnow()
    session.flush()


def forget_contact(session, user_id: uuid.UUID, organisation_id: uuid.UUID | None = None) -> None:
    """The person is no longer named as a contact (of `organisation_id`, or of any): they left
    it or deleted their account. Written through the ORM so the change bumps the directory's
    version and the profile's ETag like any other write."""
    named = select(Organisation).where(Organisation.contact_user_id == user_id)
    if organisation_id is not None:
        named = named.where(Organisation.id == organisation_id)
    for org in session.scalars(named):
        org.contact_user_id = None
    session.flush()
