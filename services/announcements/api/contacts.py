"""Contact outside events: meeting requests between organisations, with proposed times."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from shared import policy
from shared.auth import authenticated, current_caller
from shared.openapi import problems
from shared.organisation_status import MEMBERS_ONLY

from ..domain import agendas, contacts, meetings
from ..models import db
from ..schemas import (
    ContactAcceptIn,
    ContactIn,
    ContactListArgs,
    ContactOut,
    LanguageArgs,
    NoteIn,
    ReaderArgs,
)
from .meetings import ics_response
from .presenting import reader_zone

blp = Blueprint(
    "contacts",
    __name__,
    url_prefix="/contacts",
    description="Meetings between organisations outside events, with up to three proposed times",
)


def _shown(meeting, tz=None, zone=None) -> dict:
    return contacts.shown(db.session, meeting, zone or reader_zone(tz, current_caller()))


@blp.route("")
class Contacts(MethodView):
    @policy.member("announcements:read")
    @blp.arguments(ContactListArgs, location="query")
    @blp.response(200, ContactOut(many=True))
    def get(self, args):
        """The caller's organisation's requests, sent and received, newest first (200 at most)."""
        caller = authenticated()
        zone = reader_zone(args["tz"], caller)
        found = contacts.listing(db.session, caller, args["direction"], args["status"])
        return [_shown(m, zone=zone) for m in found]

    @policy.person(MEMBERS_ONLY)
    @blp.arguments(ContactIn)
    @blp.response(201, ContactOut)
    @problems(404, 409)
    def post(self, payload):
        """Ask another verified organisation for a meeting (from its profile or a project)."""
        with db.transaction() as session:
            meeting = contacts.request(session, authenticated(), payload)
            return _shown(meeting)


@blp.route("/<uuid:contact_id>")
class ContactDetail(MethodView):
    @policy.member("announcements:read")
    @blp.arguments(ReaderArgs, location="query")
    @blp.response(200, ContactOut)
    def get(self, args, contact_id):
        """One request, for the people of the two organisations."""
        return _shown(contacts.readable(db.session, authenticated(), contact_id), args["tz"])


@blp.route("/<uuid:contact_id>/accept")
class ContactAcceptance(MethodView):
    @policy.person(MEMBERS_ONLY)
    @blp.arguments(ContactAcceptIn)
    @blp.response(200, ContactOut)
    @problems(409)
    def post(self, payload, contact_id):
        """Accept one of the proposed times (the organisation asked)."""
        with db.transaction() as session:
            return _shown(
                contacts.accept(session, authenticated(), contact_id, payload["starts_at"])
            )


@blp.route("/<uuid:contact_id>/decline")
class ContactDeclination(MethodView):
    @policy.person(MEMBERS_ONLY)
    @blp.arguments(NoteIn)
    @blp.response(200, ContactOut)
    @problems(409)
    def post(self, payload, contact_id):
        """Decline, with a note (the organisation asked)."""
        with db.transaction() as session:
            return _shown(contacts.decline(session, authenticated(), contact_id, payload["note"]))


@blp.route("/<uuid:contact_id>/cancel")
class ContactCancellation(MethodView):
    @policy.person(MEMBERS_ONLY)
    @blp.arguments(NoteIn)
    @blp.response(200, ContactOut)
    @problems(409)
    def post(self, payload, contact_id):
        """Call the request or the meeting off (either organisation)."""
        with db.transaction() as session:
            return _shown(contacts.cancel(session, authenticated(), contact_id, payload["note"]))


@blp.route("/<uuid:contact_id>/ics")
class ContactCalendarFile(MethodView):
    @policy.member("announcements:read")
    @blp.arguments(LanguageArgs, location="query")
    @blp.response(200)
    @problems(409)
    def get(self, args, contact_id):
        """The accepted meeting as an iCalendar file."""
        caller = authenticated()
        meeting = contacts.readable(db.session, caller, contact_id)
        meetings.ensure_timed(meeting)
        me = caller.organisation_id or meeting.requester_organisation_id
        body = agendas.meeting_ics(db.session, meeting, me, args["lang"] or caller.language)
        return ics_response(body, f"meeting-{meeting.id}")
