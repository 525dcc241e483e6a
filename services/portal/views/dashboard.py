"""The signed-in person's dashboard: notifications, projects, recommendations, events ahead."""

from __future__ import annotations

import logging

from flask import Blueprint, render_template

from .. import panels
from ..api_client import ApiError, ApiUnavailable, quietly
from ..api_client import notifications as notifications_api
from ..api_client import projects as projects_api
from ..auth import api, current_person, login_required

log = logging.getLogger(__name__)
bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
SHOWN = 5


def _latest_notifications() -> list[dict] | None:
    """The newest notifications; None (the panel says so) while notifications does not answer."""
    try:
        return api("GET", notifications_api("/inbox"), params={"limit": SHOWN}).json()["items"]
    except (ApiUnavailable, ApiError) as exc:
        log.warning("dashboard without notifications: %s", exc.__class__.__name__)
        return None


def _partners_for(mine: list[dict]) -> tuple[dict | None, list[dict]]:
    """Organisations that fit the newest of the organisation's projects seeking partners."""
    seeking = next((p for p in mine if p["state"] in ("open", "active")), None)
    if seeking is None:
        return None, []
    try:
        found = api(
            "GET",
            projects_api(f"/projects/{seeking['id']}/recommended-partners"),
            params={"limit": SHOWN},
        ).json()
    except (ApiUnavailable, ApiError) as exc:
        log.warning("dashboard without partner suggestions: %s", exc.__class__.__name__)
        return seeking, []
    return seeking, found


@bp.get("", endpoint="index")
@login_required
def index():
    person = current_person()
    mine = quietly(lambda: panels.my_projects(SHOWN)) if person.get("organisation_id") else []
    seeking, partners = _partners_for(mine)
    return render_template(
        "dashboard/index.html",
        notifications=_latest_notifications(),
        mine=mine,
        recommended=quietly(lambda: panels.recommended(SHOWN)),
        seeking=seeking,
        partners=partners,
        events=panels.upcoming_events(3),
    )
