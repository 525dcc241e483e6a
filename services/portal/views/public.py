"""Public pages: home, the directory of verified organisations, organisation profiles."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, redirect, render_template, request, session
from flask_babel import get_locale

from shared.i18n import LOCALES

from .. import i18n, panels
from ..api_client import ApiError, call, members, quietly
from ..api_client import projects as projects_api
from ..auth import api
from ..forms import EmptyForm
from ..redirects import safe_path

bp = Blueprint("public", __name__)
FILTERS = ("q", "country", "park", "sector", "kind")


def _directory(params: dict) -> dict:
    try:
        return api("GET", members("/directory"), params=params).json()
    except ApiError as error:
        if error.status in (400, 422):
            return {"items": [], "next": None, "invalid": True}
        raise


def _open_projects(limit: int) -> list[dict]:
    """Projects whose call for partners is open, as the reader may see them; none while down."""
    params = {"open_calls": "true", "limit": limit, "lang": str(get_locale())}
    return quietly(lambda: api("GET", projects_api("/projects"), params=params).json()["items"])


@bp.get("/")
def home():
    """The parks, and what is new: news, events ahead, calls for partners, organisations."""
    language = str(get_locale())
    latest = _directory({"limit": 6, "lang": language})
    return render_template(
        "home.html",
        organisations=latest["items"],
        news=panels.latest_news(3),
        events=panels.upcoming_events(3),
        calls=panels.open_calls(3),
        open_projects=_open_projects(3),
    )


@bp.get("/directory")
def directory():
    language = str(get_locale())
    filters = {name: request.args.get(name, "").strip()[:200] for name in FILTERS}
    params = {**filters, "lang": language, "limit": 20, "cursor": request.args.get("cursor")}
    page = _directory(params)
    return render_template(
        "directory/index.html",
        page=page,
        filters=filters,
        countries=i18n.country_choices(language),
        parks=i18n.choices("park", language),
        sectors=i18n.choices("sector", language),
        kinds=i18n.choices("kind", language),
    )


@bp.get("/organisations/<uuid:organisation_id>")
def organisation(organisation_id: uuid.UUID):
    try:
        org = api("GET", members(f"/organisations/{organisation_id}")).json()
    except ApiError as error:
        if error.status in (403, 404):
            abort(404)
        raise
    return render_template(
        "directory/organisation.html",
        org=org,
        projects=_public_projects(str(organisation_id)),
        contact=org.get("contact"),
    )


PROFILE_PROJECTS = 10


def _public_projects(organisation_id: str) -> list[dict]:
    """The organisation's published public projects, newest first, read as an anonymous visitor
    would (so its own members see no discreet or members-only one here either); none while
    projects does not answer."""
    params = {"organisation_id": organisation_id, "limit": PROFILE_PROJECTS}

    def fetch() -> list[dict]:
        found = call("GET", projects_api("/projects"), params={**params, "lang": str(get_locale())})
        return [item for item in found.json()["items"] if item.get("visibility") == "public"]

    return quietly(fetch)


def _safe_next(target: str | None) -> str:
    """Only a path of this site: never an open redirect (the home page otherwise)."""
    return safe_path(target, "/")


@bp.post("/language")
def language():
    """The language switcher: the session's language; the profile's changes only on its page."""
    form = EmptyForm()
    chosen = request.form.get("lang")
    if not form.validate_on_submit() or chosen not in LOCALES:
        abort(400)
    session["lang"] = chosen
    return redirect(_safe_next(request.form.get("next")))
