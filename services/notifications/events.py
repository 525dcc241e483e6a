"""Events notifications handles: members' organisations, people and memberships, kept locally."""

from shared.projections import organisation_handlers, people_handlers

from .models import ForgottenPerson, Membership, Organisation, User

HANDLERS = {
    **organisation_handlers(Organisation),
    **people_handlers(User, Membership, ForgottenPerson),
}
