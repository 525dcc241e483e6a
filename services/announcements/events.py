"""Events announcements handles: members' organisations and people, kept locally (people for
the names on attendee lists), and deleted accounts."""

from shared import revocation
from shared.erasure import Person, erase_from_event_tables
from shared.personal_data import part_handler
from shared.projections import organisation_handlers, people_handlers

from .domain import meetings, personal_data, registrations
from .models import ForgottenPerson, Membership, Organisation, User, access_revocations, db

PEOPLE = people_handlers(User, Membership, ForgottenPerson)


def forget_person(session, data: dict, envelope: dict) -> None:
    """A person deleted their account: drop their registrations and meeting participations,
    their name as an author, the events kept that name them and their copy kept from members."""
    known = session.get(User, data["id"])
    person = Person(str(data["id"]), *((known.email, known.full_name) if known else ()))
    registrations.forget_person(session, data["id"])
    meetings.forget_person(session, data["id"])
    erase_from_event_tables(session, db, person)
    PEOPLE["user.deleted"](session, data, envelope)


HANDLERS = {
    **organisation_handlers(Organisation),
    **PEOPLE,
    "user.deleted": forget_person,
    "personal_data.export_requested": part_handler(personal_data.collect),
    **revocation.handlers(access_revocations),
}
