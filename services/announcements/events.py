"""Events announcements handles: members' organisations, kept locally, and deleted accounts."""

from shared.projections import organisation_handlers

from .domain import registrations
from .models import Organisation


def forget_person(session, data: dict, envelope: dict) -> None:
    """A person deleted their account: drop their registrations and their name as an author."""
    registrations.forget_person(session, data["id"])


HANDLERS = {**organisation_handlers(Organisation), "user.deleted": forget_person}
