"""What the B2B meeting pages read from the announcements API, as the signed-in reader, and
the frame every one of them renders in.

The event, its meeting settings (sessions and slots), the reader's own participation and
registration, and every participant by id (to name the other party of a request).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import abort, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from shared.i18n import pick

from . import moments
from .api_client import ApiError, announcements
from .auth import api

STATUS_LABELS = {
    "requested": _l("Awaiting an answer"),
    "accepted": _l("Meeting accepted"),
    "declined": _l("Request declined"),
    "cancelled": _l("Cancelled"),
}
# Where the private calendar URL waits, server-side, for the one page that shows it.
CALENDAR_URL = "meetings.calendar_url"


def language() -> str:
    return str(get_locale())


def path(announcement_id, tail: str = "") -> str:
    return announcements(f"/announcements/{announcement_id}{tail}")


def get_or_404(url: str, **params):
    """A read the page cannot do without: 404 when the API hides or lacks it."""
    try:
        return api("GET", url, params=params).json()
    except ApiError as error:
        if error.status in (403, 404, 410, 422):
            abort(404)
        raise


def event(announcement_id) -> dict:
    item = get_or_404(path(announcement_id), tz=moments.reader_zone())
    if item["kind"] != "event":
        abort(404)
    return item


def matchmaking(announcement_id) -> dict:
    return get_or_404(path(announcement_id, "/matchmaking"), tz=moments.reader_zone())


def own_participation(announcement_id) -> dict | None:
    """The reader's participation profile, None when the reader does not take part."""
    try:
        return api("GET", path(announcement_id, "/matchmaking/participants/me")).json()
    except ApiError as error:
        if error.status == 404:
            return None
        raise


def registered(announcement_id) -> bool:
    try:
        found = api("GET", path(announcement_id, "/registrations/me")).json()
    except ApiError as error:
        if error.status == 404:
            return False
        raise
    return found.get("status") == "registered"


def slot_index(matchmaking_settings: dict) -> dict[str, dict]:
    """Every slot by id, with its session (name, in person or online)."""
    found = {}
    for session in matchmaking_settings["sessions"]:
        for slot in session["slots"]:
            found[slot["id"]] = {**slot, "session": session}
    return found


def session_name(session: dict, position: int) -> str:
    return pick(session.get("name"), language()) or _("Session %(number)s", number=position)


def directory(announcement_id) -> dict[str, dict]:
    """The event's participants by id (the API lists them a page of 100 at a time)."""
    found: dict[str, dict] = {}
    cursor = None
    for _page_number in range(10):
        page = api(
            "GET",
            path(announcement_id, "/matchmaking/participants"),
            params={"limit": 100, "cursor": cursor},
        ).json()
        found.update({str(p["id"]): p for p in page["items"]})
        cursor = page.get("next")
        if not cursor:
            break
    return found


class NotTakingPart(Exception):
    """The reader does not take part in the event's meetings (yet)."""

    def __init__(self, announcement_id):
        super().__init__(announcement_id)
        self.announcement_id = announcement_id


def joined(announcement_id) -> dict:
    """The reader's participation; anyone who does not take part goes to the profile form."""
    found = own_participation(announcement_id)
    if found is None:
        raise NotTakingPart(announcement_id)
    return found


def within_working_hours(participant: dict, starts: datetime, ends: datetime) -> bool:
    """Whether a meeting lies inside one stretch of the participant's working hours, in its own
    zone on that day (DST included; hours such as 22:00-06:00 run past midnight), as the API
    decides it."""
    start, end, zone = (
        participant.get(name) for name in ("working_hours_start", "working_hours_end", "timezone")
    )
    if participant.get("attendance") == "in_person" or not (start and end and zone):
        return False
    opening, closing, where = time.fromisoformat(start), time.fromisoformat(end), ZoneInfo(zone)
    first_day = starts.astimezone(where).date()
    for day in (first_day - timedelta(days=1), first_day):
        opens = datetime.combine(day, opening, where)
        closes_on = day + timedelta(days=1) if closing <= opening else day
        if opens <= starts and ends <= datetime.combine(closes_on, closing, where):
            return True
    return False


def to_profile(error: NotTakingPart):
    """Anyone not taking part yet is sent to the form that lets them take part."""
    return redirect(url_for("meetings.profile", announcement_id=error.announcement_id))


def page(template: str, announcement_id, **context):
    """A meeting page with the event (its title links back) and the reader's zone."""
    item = context.pop("item", None) or event(announcement_id)
    return render_template(
        template,
        item=item,
        title=pick(item["title"], language()),
        announcement_id=announcement_id,
        status_labels=STATUS_LABELS,
        zone=moments.reader_zone(),
        **context,
    )
