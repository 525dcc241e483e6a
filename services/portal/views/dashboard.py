"""The signed-in person's dashboard: notifications, projects, recommendations, events ahead.

One read per service, all at once on `api_client.start_all`'s threads: projects' dashboard read
(the organisation's projects, open calls that fit it, partners for its newest open or active
project), notifications' latest items with the unread count (which the header's badge shows
too), announcements' events still to start (soonest first), and
the organisation's status at members that every page's banner shows (`standing`). A panel whose
service fails is empty (or says so), the others still show.
"""

from __future__ import annotations

import logging

from flask import Blueprint, g, render_template
from flask_babel import get_locale

from .. import panels
from ..api_client import ApiError, ApiUnavailable, Call, start_all
from ..api_client import members as members_api
from ..api_client import notifications as notifications_api
from ..api_client import projects as projects_api
from ..auth import access_token, current_person, login_required

log = logging.getLogger(__name__)
bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
SHOWN = 5
EVENTS_SHOWN = 3
NO_PROJECTS = {
    "projects": [],
    "recommended_projects": [],
    "seeking": None,
    "recommended_partners": [],
}


def _calls(person: dict, language: str) -> dict[str, Call]:
    calls = {
        "inbox": Call(notifications_api("/inbox/latest"), {"limit": SHOWN}),
        "events": Call(*panels.upcoming_events_call(EVENTS_SHOWN)),
    }
    organisation_id = person.get("organisation_id")
    if organisation_id:
        path = projects_api(f"/organisations/{organisation_id}/dashboard")
        calls["projects"] = Call(path, {"limit": SHOWN, "lang": language})
        if "reader_organisation_status" not in g:
            calls["standing"] = Call(members_api(f"/organisations/{organisation_id}"))
    return calls


def _as_person(calls: dict[str, Call], language: str):
    """The calls' outcomes as the signed-in person; calls refused for an expired token go again
    once with a refreshed one (as `auth.api` does); a 401 after that ends the page (the
    portal's handler asks to sign in again)."""
    token = access_token()
    outcomes = start_all(calls, token=token, language=language).results()
    expired = {
        name: calls[name]
        for name, outcome in outcomes.items()
        if isinstance(outcome, ApiError) and outcome.status == 401
    }
    if expired and token is not None:
        token = access_token(force_refresh=True)
        if token is None:
            raise outcomes[next(iter(expired))]
        outcomes |= start_all(expired, token=token, language=language).results()
    for outcome in outcomes.values():
        if isinstance(outcome, ApiError) and outcome.status == 401:
            raise outcome
    return outcomes


def _json(outcome, panel: str):
    if isinstance(outcome, ApiError | ApiUnavailable):
        log.warning("dashboard without %s: %s", panel, outcome.__class__.__name__)
        return None
    return outcome.json()


@bp.get("", endpoint="index")
@login_required
def index():
    person = current_person()
    language = str(get_locale())
    outcomes = _as_person(_calls(person, language), language)
    inbox = _json(outcomes["inbox"], "notifications")
    if inbox is not None:
        g.unread_count = inbox["unread"]  # the header's badge: no call of its own
    if "standing" in outcomes:  # the banner's status (`standing`): no call of its own
        organisation = _json(outcomes["standing"], "the organisation's status")
        g.reader_organisation_status = organisation.get("status") if organisation else None
    panels = NO_PROJECTS
    if "projects" in outcomes:
        panels = _json(outcomes["projects"], "projects") or panels
    return render_template(
        "dashboard/index.html",
        notifications=inbox["items"] if inbox is not None else None,
        mine=panels["projects"],
        recommended=panels["recommended_projects"],
        seeking=panels["seeking"],
        partners=panels["recommended_partners"],
        events=(_json(outcomes["events"], "events") or {"items": []})["items"],
    )
