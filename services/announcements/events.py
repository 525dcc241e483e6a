"""Events announcements handles: members' organisations, kept locally."""

from shared.projections import organisation_handlers

from .models import Organisation


def forget_person(session, data: dict, envelope: dict) -> None:
    """A person deleted their account: forget them as a registrant or an author."""
    # No table of announcements names a person yet; the handler grows with those tables.


HANDLERS = {**organisation_handlers(Organisation), "user.deleted": forget_person}
