"""A participant's agenda of B2B meetings at an event: times in the event's zone and the
reader's, table or online room, the other party; printable; an `.ics` per meeting; and the
private calendar feed's reset (its new URL shown once, on the agenda that follows).
"""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, abort, flash, redirect, url_for
from flask_babel import gettext as _

from .. import confirmation, moments
from .. import meeting_reads as reads
from ..api_client import ApiError
from ..auth import api, keep_for_next_page, login_required, take_from_last_page
from ..forms import EmptyForm
from ..problem_messages import problem

bp = Blueprint(
    "meeting_agenda", __name__, url_prefix="/announcements/<uuid:announcement_id>/meetings"
)
moments.install(bp)
bp.register_error_handler(reads.NotTakingPart, reads.to_profile)


@bp.get("/agenda")
@login_required
def agenda(announcement_id: uuid.UUID):
    """The reader's meetings with their times in the event's zone and the reader's."""
    reads.joined(announcement_id)
    found = api(
        "GET",
        reads.path(announcement_id, "/matchmaking/agenda"),
        params={"tz": moments.reader_zone()},
    ).json()
    return reads.page(
        "meetings/agenda.html",
        announcement_id,
        agenda=found,
        event_zone=found["timezone"],
        reader=found.get("reader_timezone") or moments.reader_zone(),
        calendar_url=take_from_last_page(reads.CALENDAR_URL),
    )


@bp.get("/<uuid:meeting_id>.ics", endpoint="ics")
@login_required
def meeting_ics(announcement_id: uuid.UUID, meeting_id: uuid.UUID):
    """One meeting as a calendar file, for its parties once it has a time."""
    try:
        upstream = api(
            "GET",
            reads.path(announcement_id, f"/meetings/{meeting_id}/ics"),
            params={"lang": reads.language()},
            headers={"Accept": "text/calendar"},
        )
    except ApiError as error:
        if error.status == 409:
            flash(problem(error.code), "error")
            return redirect(url_for("meetings.home", announcement_id=announcement_id))
        abort(404)
    response = Response(upstream.content, mimetype="text/calendar")
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="meeting-{meeting_id}.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/calendar")
@login_required
def reset_calendar(announcement_id: uuid.UUID):
    """A new private calendar URL (the old one stops working): shown once, on the agenda."""
    reads.joined(announcement_id)
    back = url_for("meeting_agenda.agenda", announcement_id=announcement_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not confirmation.confirmed():
        return confirmation.ask(
            title=_("Get a new calendar address?"),
            consequence=_(
                "The current address stops working at once: calendars subscribed to it no longer "
                "receive your meetings until you subscribe them to the new one."
            ),
            button=_("Get a new address"),
            back=back,
        )
    done = api("POST", reads.path(announcement_id, "/matchmaking/participants/me/calendar-secret"))
    keep_for_next_page(reads.CALENDAR_URL, done.json().get("calendar_url"))
    flash(_("Your calendar has a new address; the old one no longer works."), "success")
    return redirect(back)
