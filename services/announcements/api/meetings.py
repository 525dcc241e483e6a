"""Meetings at an event: participants and their profiles, suggestions, requests, agendas."""

from __future__ import annotations

from flask import Response, url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from shared import policy
from shared.auth import authenticated
from shared.openapi import problems
from shared.organisation_status import MEMBERS_ONLY
from shared.pagination import next_link

from ..domain import agendas, meetings, participants, suggestions
from ..models import db
from ..schemas import (
    AcceptIn,
    AgendaOut,
    LanguageArgs,
    MeetingListArgs,
    MeetingOut,
    MeetingRequestIn,
    NoteIn,
    OwnParticipantOut,
    ParticipantArgs,
    ParticipantIn,
    ParticipantPage,
    ParticipantPatch,
    ReaderArgs,
    SuggestionArgs,
    SuggestionOut,
)
from .presenting import reader_zone

blp = Blueprint(
    "meetings",
    __name__,
    url_prefix="/announcements/<uuid:announcement_id>",
    description="One-to-one meetings at an event: participants, suggestions, requests, agendas",
)
calendars = Blueprint(
    "meeting_calendars",
    __name__,
    url_prefix="/meeting-calendars",
    description="Participants' private calendar feeds of their meetings",
)
ICS = "text/calendar"


def _own(participant, secret: str | None = None) -> dict:
    shown = participants.shown(participant, None)
    shown["organisation"]["id"] = participant.organisation_id
    shown["calendar_url"] = (
        url_for("meeting_calendars.MeetingCalendar", secret=secret, _external=True)
        if secret
        else None
    )
    return shown


def ics_response(body: bytes, name: str) -> Response:
    response = Response(body, mimetype=ICS)
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blp.route("/matchmaking/participants")
class Participants(MethodView):
    @policy.member("announcements:read", MEMBERS_ONLY)
    @blp.arguments(ParticipantArgs, location="query")
    @blp.response(200, ParticipantPage)
    def get(self, args, announcement_id):
        """Participants of verified organisations, filtered (for participants and organisers)."""
        result = participants.listing(db.session, authenticated(), announcement_id, args)
        return result, next_link(result["next"])

    @policy.person(MEMBERS_ONLY)
    @blp.arguments(ParticipantIn)
    @blp.response(201, OwnParticipantOut)
    @problems(409)
    def post(self, payload, announcement_id):
        """Take part: a registered attendee of a verified organisation publishes a profile.

        The answer holds the private calendar feed's URL, shown this once.
        """
        with db.transaction() as session:
            participant, secret = participants.opt_in(
                session, authenticated(), announcement_id, payload
            )
            return _own(participant, secret)


@blp.route("/matchmaking/participants/me")
class OwnParticipation(MethodView):
    @policy.person()
    @blp.response(200, OwnParticipantOut)
    def get(self, announcement_id):
        """The caller's own participation profile."""
        return _own(participants.own(db.session, authenticated(), announcement_id))

    @policy.person(MEMBERS_ONLY)
    @blp.arguments(ParticipantPatch(partial=True))
    @blp.response(200, OwnParticipantOut)
    def patch(self, payload, announcement_id):
        """Change the profile (sessions, hours, what is offered and sought...)."""
        with db.transaction() as session:
            participant = participants.update_profile(
                session, authenticated(), announcement_id, payload
            )
            return _own(participant)


@blp.route("/matchmaking/participants/me/calendar-secret")
class CalendarSecret(MethodView):
    @policy.person()
    @blp.response(200, OwnParticipantOut)
    def post(self, announcement_id):
        """A new private calendar URL; the previous one stops working at once."""
        with db.transaction() as session:
            participant, secret = participants.reset_secret(
                session, authenticated(), announcement_id
            )
            return _own(participant, secret)


@blp.route("/matchmaking/suggestions")
class Suggestions(MethodView):
    @policy.person(MEMBERS_ONLY)
    @blp.arguments(SuggestionArgs, location="query")
    @blp.response(200, SuggestionOut(many=True))
    def get(self, args, announcement_id):
        """Whom to meet, best first, with reasons in the reader's language."""
        return suggestions.suggest(
            db.session, authenticated(), announcement_id, args["lang"], args["limit"]
        )


@blp.route("/matchmaking/agenda")
class Agenda(MethodView):
    @policy.person()
    @blp.arguments(ReaderArgs, location="query")
    @blp.response(200, AgendaOut)
    def get(self, args, announcement_id):
        """The caller's meetings with their times (UTC, the event's zone, the reader's), table
        or online room, and the other party."""
        caller = authenticated()
        return agendas.agenda(db.session, caller, announcement_id, reader_zone(args["tz"], caller))


@blp.route("/meetings")
class MeetingRequests(MethodView):
    @policy.person()
    @blp.arguments(MeetingListArgs, location="query")
    @blp.response(200, MeetingOut(many=True))
    def get(self, args, announcement_id):
        """The caller's requests at the event, sent and received, newest first."""
        return meetings.mine(
            db.session, authenticated(), announcement_id, args["direction"], args["status"]
        )

    @policy.person(MEMBERS_ONLY)
    @blp.arguments(MeetingRequestIn)
    @blp.response(201, MeetingOut)
    @problems(409)
    def post(self, payload, announcement_id):
        """Ask another participant for a meeting, with a reason."""
        with db.transaction() as session:
            return meetings.request(session, authenticated(), announcement_id, payload)


@blp.route("/meetings/<uuid:meeting_id>")
class MeetingDetail(MethodView):
    @policy.member("announcements:read")
    @blp.response(200, MeetingOut)
    def get(self, announcement_id, meeting_id):
        """One request, for its two parties and the organisers."""
        return meetings.readable(db.session, authenticated(), announcement_id, meeting_id)


@blp.route("/meetings/<uuid:meeting_id>/accept")
class Acceptance(MethodView):
    @policy.person(MEMBERS_ONLY)
    @blp.arguments(AcceptIn)
    @blp.response(200, MeetingOut)
    @problems(409)
    def post(self, payload, announcement_id, meeting_id):
        """Accept (the participant asked); pick a free common slot when participants schedule."""
        with db.transaction() as session:
            return meetings.accept(
                session, authenticated(), announcement_id, meeting_id, payload["slot_id"]
            )


@blp.route("/meetings/<uuid:meeting_id>/decline")
class Declination(MethodView):
    @policy.person(MEMBERS_ONLY)
    @blp.arguments(NoteIn)
    @blp.response(200, MeetingOut)
    @problems(409)
    def post(self, payload, announcement_id, meeting_id):
        """Decline, with a note (the participant asked)."""
        with db.transaction() as session:
            return meetings.decline(
                session, authenticated(), announcement_id, meeting_id, payload["note"]
            )


@blp.route("/meetings/<uuid:meeting_id>/cancel")
class Cancellation(MethodView):
    @policy.person(MEMBERS_ONLY)
    @blp.arguments(NoteIn)
    @blp.response(200, MeetingOut)
    @problems(409)
    def post(self, payload, announcement_id, meeting_id):
        """Call a requested or accepted meeting off (either party); its slot frees up."""
        with db.transaction() as session:
            return meetings.cancel(
                session, authenticated(), announcement_id, meeting_id, payload["note"]
            )


@blp.route("/meetings/<uuid:meeting_id>/ics")
class MeetingCalendarFile(MethodView):
    @policy.person()
    @blp.arguments(LanguageArgs, location="query")
    @blp.response(200)
    @problems(409)
    def get(self, args, announcement_id, meeting_id):
        """The meeting as an iCalendar file (its parties, once it has a published time)."""
        caller = authenticated()
        meeting = meetings.readable(db.session, caller, announcement_id, meeting_id)
        me = participants.own(db.session, caller, announcement_id)
        meetings.ensure_timed(meeting)
        body = agendas.meeting_ics(db.session, meeting, me.id, args["lang"] or caller.language)
        return ics_response(body, f"meeting-{meeting.id}")


@calendars.route("/<string:secret>")
class MeetingCalendar(MethodView):
    @policy.anyone()
    @calendars.doc(security=[])
    @calendars.response(200)
    def get(self, secret):
        """A participant's meetings as a calendar feed; the URL is the secret (reset it to
        revoke)."""
        participant = participants.by_secret(db.session, secret)
        return ics_response(agendas.feed_ics(db.session, participant), "meetings")
