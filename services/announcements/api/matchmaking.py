"""Matchmaking on an event: the organiser switches it on and sets it up; attendees read it;
the organiser runs the scheduler."""

from __future__ import annotations

import logging

from flask.views import MethodView
from flask_smorest import Blueprint

from shared import policy
from shared.auth import authenticated, current_caller
from shared.openapi import problems
from shared.organisation_status import PUBLISH

from ..domain import announcements as announcements_domain
from ..domain import matchmaking as domain
from ..domain import scheduling
from ..models import db
from ..schemas import (
    MatchmakingIn,
    MatchmakingOut,
    ReaderArgs,
    ScheduledMeetingOut,
    ScheduleRunIn,
    ScheduleRunOut,
)
from .presenting import reader_zone

blp = Blueprint(
    "matchmaking",
    __name__,
    url_prefix="/announcements/<uuid:announcement_id>/matchmaking",
    description="One-to-one meetings on an event: sessions, slots, tables, booking window, mode",
)


@blp.route("")
class MatchmakingSettings(MethodView):
    @policy.member("announcements:read")
    @blp.arguments(ReaderArgs, location="query")
    @blp.response(200, MatchmakingOut)
    def get(self, args, announcement_id):
        """The event's meeting settings, sessions and slots (whoever may read the event)."""
        caller = current_caller()
        announcements_domain.readable(db.session, caller, announcement_id)
        settings = domain.of_event(db.session, announcement_id)
        return domain.described(db.session, settings, reader_zone(args["tz"], caller))

    @policy.admin("announcements:write", PUBLISH)
    @blp.arguments(MatchmakingIn)
    @blp.response(200, MatchmakingOut)
    @problems(409)
    def put(self, payload, announcement_id):
        """Switch meetings on, or change their settings (staff, or an admin of the organiser).

        Sessions and the meeting length cannot change once a meeting holds a slot.
        """
        caller = authenticated()
        with db.transaction() as session:
            settings = domain.configure(session, caller, announcement_id, payload)
        return domain.described(db.session, settings, reader_zone(None, caller))


def _queue(run_id) -> None:
    """Hand the run to a worker; when the broker is down the run stays queued (start again)."""
    from ..tasks import schedule_meetings

    try:
        schedule_meetings.apply_async(args=[str(run_id)], retry=False)
    except Exception:
        logging.getLogger(__name__).warning("could not queue scheduling run", exc_info=True)


@blp.route("/runs")
class ScheduleRuns(MethodView):
    @policy.admin("announcements:write", PUBLISH)
    @blp.arguments(ScheduleRunIn)
    @blp.response(202, ScheduleRunOut)
    @problems(409)
    def post(self, payload, announcement_id):
        """Run the scheduler on the accepted meetings (organisers); read the run for its result."""
        with db.transaction() as session:
            run = scheduling.start(session, authenticated(), announcement_id, payload)
        _queue(run.id)
        return run


@blp.route("/runs/<uuid:run_id>")
class ScheduleRunDetail(MethodView):
    @policy.admin("announcements:read")
    @blp.response(200, ScheduleRunOut)
    def get(self, announcement_id, run_id):
        """A scheduling run: its state, then the solver, optimality, bound, gap, and the
        meetings left out with their reasons."""
        return scheduling.read(db.session, authenticated(), announcement_id, run_id)


@blp.route("/schedule")
class Schedule(MethodView):
    @policy.admin("announcements:read")
    @blp.response(200, ScheduledMeetingOut(many=True))
    def get(self, announcement_id):
        """The event's accepted meetings with their slot and table, or none yet (organisers)."""
        return scheduling.accepted_meetings(db.session, authenticated(), announcement_id)
