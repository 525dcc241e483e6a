"""The organiser's brokerage pages: matchmaking set up on an event, scheduling runs and results.

Staff and the admins of the event's organiser organisation use them; the announcements API
decides (a refusal there is a 403 page here, with nothing changed). Session times are wall
times in the event's zone; the grid shows slots in that zone, and in the reader's when it
differs.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal, format_percent
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from shared.i18n import pick

from .. import confirmation, moments, panels
from ..api_client import ApiError, announcements
from ..auth import api, current_person, login_required
from ..forms import flash_refusal, show_api_error
from ..i18n import babel_locale
from ..meeting_organiser_forms import SESSION_ROWS, MatchmakingForm, RunForm
from ..problem_messages import field as field_message

bp = Blueprint(
    "meeting_organiser", __name__, url_prefix="/announcements/<uuid:announcement_id>/organise"
)
moments.install(bp)

RUN_STATUSES = {
    "queued": _l("Waiting for a worker"),
    "running": _l("Running"),
    "done": _l("Done"),
    "failed": _l("Failed"),
}
UNSCHEDULED_REASONS = {
    "no_common_session": _l("The two parties attend no session in common."),
    "no_common_working_hours": _l(
        "Their working hours never overlap during an online session's slots."
    ),
    "capacity": _l("No slot and table was left for it."),
}
SOLVERS = {"cp-sat": _l("CP-SAT (OR-Tools)"), "greedy": _l("First fit")}
REFRESH_SECONDS = 3


def _language() -> str:
    return str(get_locale())


def _event(announcement_id) -> dict:
    """The event as the reader may see it, if the reader may organise it; 404 or 403 otherwise."""
    try:
        item = api(
            "GET",
            announcements(f"/announcements/{announcement_id}"),
            params={"tz": moments.reader_zone()},
        ).json()
    except ApiError as error:
        if error.status in (403, 404, 410, 422):
            abort(404)
        raise
    if item["kind"] != "event":
        abort(404)
    if not organises(item):
        abort(403)
    return item


def organises(item: dict) -> bool:
    """Staff, or an admin of the event's organiser (the API checks again on every write)."""
    person = current_person() or {}
    if person.get("is_platform_admin"):
        return True
    author = item.get("author_organisation_id")
    return bool(
        author
        and person.get("role") == "org_admin"
        and str(person.get("organisation_id")) == str(author)
    )


def _settings(announcement_id) -> dict | None:
    """The event's matchmaking, with times in the reader's zone too; None while it is off."""
    try:
        return api(
            "GET",
            announcements(f"/announcements/{announcement_id}/matchmaking"),
            params={"tz": moments.reader_zone()},
        ).json()
    except ApiError as error:
        if error.status == 404:
            return None
        raise


def _wall(iso: str | None) -> datetime | None:
    """An ISO time with its offset as the naive wall time in that offset's zone."""
    return datetime.fromisoformat(iso).replace(tzinfo=None, second=0) if iso else None


def _form_data(item: dict, settings: dict | None) -> dict:
    """What the form shows first: the settings as they are, else a start from the event."""
    if settings is None:
        zone = ZoneInfo(item.get("timezone") or "UTC")
        now = datetime.now(UTC).astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
        starts = _wall(item.get("starts_at_local"))
        ends = _wall(item.get("ends_at_local"))
        return {
            "sessions": [{"starts_at": starts, "ends_at": ends, "in_person": "yes"}],
            "meeting_minutes": "20",
            "tables": 10,
            "online": True,
            "booking_opens_at": now,
            "booking_closes_at": starts or now + timedelta(days=14),
            "max_meetings": 10,
            "gap_slots": 0,
            "mode": "organiser",
        }
    return {
        "sessions": [
            {
                "name": pick(block.get("name"), _language()) or "",
                "starts_at": _wall(block["starts_at"]["local"]),
                "ends_at": _wall(block["ends_at"]["local"]),
                "in_person": "yes" if block["in_person"] else "no",
            }
            for block in settings["sessions"]
        ],
        "meeting_minutes": str(settings["meeting_minutes"]),
        "tables": settings["tables"],
        "online": settings["online"],
        "booking_opens_at": _wall(settings["booking_opens_at"]["local"]),
        "booking_closes_at": _wall(settings["booking_closes_at"]["local"]),
        "max_meetings": settings["max_meetings"],
        "gap_slots": settings["gap_slots"],
        "mode": settings["mode"],
    }


def _show_refusal(form: MatchmakingForm, error: ApiError) -> None:
    """Field errors next to their fields (a session's by its row), anything else above."""
    matched = False
    for entry in error.errors:
        pointer = str(entry.get("pointer") or "").strip("/")
        parts = pointer.split("/")
        if len(parts) == 3 and parts[0] == "sessions" and parts[1].isdigit():
            target = form.session_field(int(parts[1]), parts[2])
            if target is not None:
                target.errors = [
                    *target.errors,
                    field_message(entry, form.FIELD_MESSAGES, error.code),
                ]
                matched = True
    if not show_api_error(form, error) and not matched:
        flash_refusal(error)


@bp.route("", methods=["GET", "POST"])
@login_required
def setup(announcement_id: uuid.UUID):
    """Switch one-to-one meetings on for the event, or change their settings."""
    item = _event(announcement_id)
    settings = _settings(announcement_id)
    form = MatchmakingForm(data=_form_data(item, settings) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            api(
                "PUT",
                announcements(f"/announcements/{announcement_id}/matchmaking"),
                json=form.payload(_language()),
            )
        except ApiError as error:
            if error.status in (403, 404):
                abort(403)
            _show_refusal(form, error)
        else:
            flash(
                _("One-to-one meetings are switched on.")
                if settings is None
                else _("The meeting settings are saved."),
                "success",
            )
            return redirect(url_for("meeting_organiser.setup", announcement_id=announcement_id))
    return render_template(
        "meeting_organiser/setup.html",
        item=item,
        title=pick(item["title"], _language()),
        settings=settings,
        form=form,
        run_form=RunForm(),
        rows=SESSION_ROWS,
        event_zone=item.get("timezone") or "UTC",
    )


def _schedule(announcement_id) -> list[dict]:
    return api(
        "GET", announcements(f"/announcements/{announcement_id}/matchmaking/schedule")
    ).json()


@bp.post("/runs")
@login_required
def start_run(announcement_id: uuid.UUID):
    """Start the scheduler; moving published meetings is confirmed first."""
    _event(announcement_id)
    form = RunForm()
    if not form.validate_on_submit():
        flash(_("The form expired: please try again."), "error")
        return redirect(url_for("meeting_organiser.setup", announcement_id=announcement_id))
    keep = form.keep_published.data != "no"
    if not keep and not confirmation.confirmed():
        published = [m for m in _schedule(announcement_id) if m["published"] and m["slot_id"]]
        if published:
            return confirmation.ask(
                title=_("Reschedule published meetings?"),
                consequence=_(
                    "%(count)s meetings are on participants' agendas already. The scheduler may "
                    "move them to other times and tables; their participants are told.",
                    count=len(published),
                ),
                button=_("Reschedule every meeting"),
                back=url_for("meeting_organiser.setup", announcement_id=announcement_id),
            )
    try:
        run = api(
            "POST",
            announcements(f"/announcements/{announcement_id}/matchmaking/runs"),
            json={"keep_published": keep, "publish": bool(form.publish.data)},
        ).json()
    except ApiError as error:
        if error.status in (403, 404):
            abort(403)
        flash_refusal(error)
        return redirect(url_for("meeting_organiser.setup", announcement_id=announcement_id))
    flash(_("The scheduler is started."), "success")
    return redirect(
        url_for("meeting_organiser.run", announcement_id=announcement_id, run_id=run["id"])
    )


def _percent(value) -> str | None:
    if value is None:
        return None
    return format_percent(value, "#,##0.0%", locale=babel_locale(_language()))


def _decimal(value) -> str | None:
    if value is None:
        return None
    return format_decimal(value, "#,##0.00", locale=babel_locale(_language()))


def _grid(settings: dict, meetings: list[dict], names: dict[str, str]) -> list[dict]:
    """Per session, its slots in order, each with a cell per table and the online meetings."""
    by_slot: dict[str, list[dict]] = {}
    for meeting in meetings:
        if meeting.get("slot_id"):
            by_slot.setdefault(meeting["slot_id"], []).append(meeting)

    def pair(meeting: dict) -> dict:
        return {
            "id": meeting["id"],
            "requester": names.get(str(meeting["requester_organisation_id"]), "—"),
            "recipient": names.get(str(meeting["recipient_organisation_id"]), "—"),
            "published": meeting["published"],
        }

    sessions = []
    for block in settings["sessions"]:
        rows = []
        for slot in block["slots"]:
            here = by_slot.get(slot["id"], [])
            tables = {m["table_number"]: pair(m) for m in here if not m["online"]}
            rows.append(
                {
                    "slot": slot,
                    "tables": [tables.get(n) for n in range(1, settings["tables"] + 1)],
                    "online": [pair(m) for m in here if m["online"]],
                }
            )
        sessions.append({"session": block, "rows": rows})
    return sessions


@bp.get("/runs/<uuid:run_id>")
@login_required
def run(announcement_id: uuid.UUID, run_id: uuid.UUID):
    """A run's state; once done its figures, the meetings left out and why, and the grid."""
    item = _event(announcement_id)
    try:
        found = api(
            "GET", announcements(f"/announcements/{announcement_id}/matchmaking/runs/{run_id}")
        ).json()
    except ApiError as error:
        if error.status in (403, 404, 422):
            abort(404 if error.status != 403 else 403)
        raise
    settings = _settings(announcement_id)
    meetings = _schedule(announcement_id) if found["status"] == "done" else []
    names = panels.organisation_names(
        o
        for m in meetings
        for o in (m["requester_organisation_id"], m["recipient_organisation_id"])
    )
    by_id = {str(m["id"]): m for m in meetings}
    unscheduled = []
    for meeting_id, reason in (found.get("unscheduled") or {}).items():
        meeting = by_id.get(meeting_id) or {}
        unscheduled.append(
            {
                "requester": names.get(str(meeting.get("requester_organisation_id")), "—"),
                "recipient": names.get(str(meeting.get("recipient_organisation_id")), "—"),
                "online": meeting.get("online"),
                "reason": UNSCHEDULED_REASONS.get(reason, reason),
            }
        )
    event_zone = item.get("timezone") or "UTC"
    reader = moments.reader_zone()
    refresh = REFRESH_SECONDS if found["status"] in ("queued", "running") else None
    page = render_template(
        "meeting_organiser/run.html",
        item=item,
        title=pick(item["title"], _language()),
        found=found,
        status_label=RUN_STATUSES.get(found["status"], found["status"]),
        solver_label=SOLVERS.get(found.get("solver") or "", found.get("solver") or ""),
        refresh=refresh,
        gap_text=_percent(found.get("gap")),
        seconds_text=_decimal(found.get("wall_seconds")),
        unscheduled=unscheduled,
        grid=_grid(settings, meetings, names) if settings and meetings else [],
        tables=settings["tables"] if settings else 0,
        event_zone=event_zone,
        reader_zone_shown=reader if reader != event_zone else None,
    )
    # While the run is under way the browser reloads the page by itself (no script needed).
    headers = {"Refresh": str(refresh)} if refresh else {}
    return page, 200, headers
