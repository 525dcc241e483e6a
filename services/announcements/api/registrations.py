"""Registration for events: register, cancel, and the organiser's list."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from shared import policy
from shared.auth import authenticated
from shared.openapi import problems
from shared.organisation_status import PARTICIPATE

from ..domain import registrations as domain
from ..models import db
from ..schemas import AttendeesOut, RegistrationOut

blp = Blueprint(
    "registrations",
    __name__,
    url_prefix="/announcements/<uuid:announcement_id>/registrations",
    description="Registration for events, with a waiting list",
)


@blp.route("")
class Registrations(MethodView):
    @policy.member("announcements:read")
    @blp.response(200, AttendeesOut)
    def get(self, announcement_id):
        """Who has a place and who waits, in order (the organiser and staff)."""
        return domain.attendees(db.session, authenticated(), announcement_id)

    @policy.person(PARTICIPATE)
    @blp.response(201, RegistrationOut)
    @problems(409)
    def post(self, announcement_id):
        """Register: a place if one is free, otherwise the waiting list (`status` says which)."""
        with db.transaction() as session:
            return domain.register(session, authenticated(), announcement_id)


@blp.route("/me")
class OwnRegistration(MethodView):
    @policy.person()
    @blp.response(200, RegistrationOut)
    def get(self, announcement_id):
        """The caller's registration and its status."""
        return domain.own(db.session, authenticated(), announcement_id)

    @policy.person()
    @blp.response(200, RegistrationOut)
    def delete(self, announcement_id):
        """Cancel; a freed place goes to the first person waiting."""
        with db.transaction() as session:
            return domain.cancel(session, authenticated(), announcement_id)
