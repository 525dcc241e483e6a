"""Events announcements handles: members' organisations and people, kept locally (people for
the names on attendee lists), and deleted accounts."""

from shared import revocation
from shared.projections import organisation_handlers, people_handlers

from .domain import registrations
from .models import ForgottenPerson, Membership, Organisation, User, access_revocations

PEOPLE = people_handlers(User, Membership, ForgottenPerson)


def forget_person(session, data: dict, envelope: dict) -> None:
    """A person deleted their account: drop their registrations, their name as an author and
    their copy kept from members."""
    registrations.forget_person(session, data["id"])
    PEOPLE["user.deleted"](session, data, envelope)


HANDLERS = {
    **organisation_handlers(Organisation),
    **PEOPLE,
    "user.deleted": forget_person,
    **revocation.handlers(access_revocations),
}
