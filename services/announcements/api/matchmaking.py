"""Matchmaking on an event: the organiser switches it on and sets it up; attendees read it;
the organiser runs the scheduler."""

from __future__ import annotations

import logging

from flask.views import MethodView
from flask_smorest import Blueprint

from shared.auth import authenticated, current_caller, require_auth, require_scopes
from shared.openapi import problems

from ..domain import announcements as announcements_domain
from ..domain import matchmaking as domain
from ..domain import scheduling
from ..domain.people import person
from ..models import db
from ..schemas import MatchmakingIn, MatchmakingOut, ReaderArgs, ScheduleRunIn, ScheduleRunOut
from .presenting import reader_zone

blp = Blueprint(
    "matchmaking",
    __name__,
    url_prefix="/announcements/<uuid:announcement_id>/matchmaking",
    description="One-to-one meetings on an event: sessions, slots, tables, booking window, mode",
)


@blp.route("")
class MatchmakingSettings(MethodView):
    @blp.arguments(ReaderArgs, location="query")
    @blp.response(200, MatchmakingOut)
    @require_scopes("announcements:read")
    def get(self, args, announcement_id):
        """The event's meeting settings, sessions and slots (whoever may read the event)."""
        caller = current_caller()
        announcements_domain.readable(db.session, caller, announcement_id)
        settings = domain.of_event(db.session, announcement_id)
        return domain.described(db.session, settings, reader_zone(args["tz"], caller))

    @blp.arguments(MatchmakingIn)
    @blp.response(200, MatchmakingOut)
    @require_auth
    @problems(409)
    def put(self, payload, announcement_id):
        """Switch meetings on, or change their settings (staff, or an admin of the organiser).

        Sessions and the meeting length cannot change once a meeting holds a slot.
        """
        caller = person(authenticated())
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
    @blp.arguments(ScheduleRunIn)
    @blp.response(202, ScheduleRunOut)
    @require_auth
    @problems(409)
    def post(self, payload, announcement_id):
        """Run the scheduler on the accepted meetings (organisers); read the run for its result."""
        with db.transaction() as session:
            run = scheduling.start(session, authenticated(), announcement_id, payload)
        _queue(run.id)
        return run


@blp.route("/runs/<uuid:run_id>")
class ScheduleRunDetail(MethodView):
    @blp.response(200, ScheduleRunOut)
    @require_auth
    def get(self, announcement_id, run_id):
        """A scheduling run: its state, then the solver, optimality, bound, gap, and the
        meetings left out with their reasons."""
        return scheduling.read(db.session, authenticated(), announcement_id, run_id)
