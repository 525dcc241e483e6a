"""What several pages show beside their own content, fetched the same way for each of them.

Panels (the latest news, events ahead, open calls, the reader's projects and the calls that fit
them) and the organisations a page names. No blueprint lives here: pages import these, never each
other (the import-linter contract "The portal's pages are independent of each other").
"""

from __future__ import annotations

from flask import g
from flask_babel import get_locale

from . import moments
from .api_client import ApiError, ApiUnavailable, announcements, members, projects, quietly
from .auth import api, current_person

# The most ids members' batch read takes in one call.
BATCH_SIZE = 100


def _language() -> str:
    return str(get_locale())


# --- Organisations ---


def organisations(ids) -> dict[str, dict]:
    """The organisations a page names, by id, as the reader may see them: one batch read of
    members per hundred ids, each id fetched once a request; unknown and hidden ones left out,
    and none at all while members does not answer."""
    asked = {str(i) for i in ids if i}
    known = g.setdefault("portal_organisations", {})
    wanted = sorted(asked - set(known))
    for start in range(0, len(wanted), BATCH_SIZE):
        chunk = wanted[start : start + BATCH_SIZE]
        try:
            items = api(
                "GET", members("/organisations/batch"), params={"ids": ",".join(chunk)}
            ).json()["items"]
        except (ApiError, ApiUnavailable):
            continue  # not remembered: a later call of the request may try again
        found = {item["id"]: item for item in items}
        known.update({org_id: found.get(org_id) for org_id in chunk})
    return {org_id: org for org_id, org in known.items() if org_id in asked and org is not None}


def organisation_names(ids) -> dict[str, str]:
    """Names of the organisations a page names, by id (left out when members refuses)."""
    return {key: org.get("name", "") for key, org in organisations(ids).items()}


# --- Announcements ---


def announcement_listing(kind: str | None, limit: int, cursor: str | None = None) -> dict:
    """A page of announcements the reader may see, with event times in the reader's zone."""
    params = {"kind": kind, "limit": limit, "cursor": cursor, "tz": moments.reader_zone()}
    return api("GET", announcements("/announcements"), params=params).json()


def upcoming_events_call(limit: int) -> tuple[str, dict]:
    """The path and query of the events the reader may see still to start, soonest first."""
    return announcements("/announcements"), {
        "upcoming": "true",
        "limit": limit,
        "tz": moments.reader_zone(),
    }


def latest_news(limit: int = 3) -> list[dict]:
    """The newest news the reader may see, as the API lists them (no body).

    For the home page and dashboard: [] while the announcements API is down, so those pages
    still render; any other refusal propagates (a 401 sends the person to sign in again).
    """
    return quietly(lambda: announcement_listing("news", limit)["items"])


def open_calls(limit: int = 3) -> list[dict]:
    """The newest published calls (announcements of kind `call`); [] while the API is down.

    A call has no deadline in the announcements API: it is open while published, and staff
    withdraw it when it closes.
    """
    return quietly(lambda: announcement_listing("call", limit)["items"])


def upcoming_events(limit: int = 3) -> list[dict]:
    """Events still to start, soonest first; [] while the announcements API is down."""
    path, params = upcoming_events_call(limit)
    return quietly(lambda: api("GET", path, params=params).json()["items"])


# --- Projects ---


def reader_organisation_id() -> str | None:
    """The signed-in person's organisation, as a string; None without one."""
    person = current_person() or {}
    return str(person["organisation_id"]) if person.get("organisation_id") else None


def search_projects(params: dict) -> dict:
    """A page of the projects search; an empty page marked `invalid` for a refused query."""
    try:
        return api("GET", projects("/projects"), params=params).json()
    except ApiError as error:
        if error.status in (400, 422):
            return {"items": [], "next": None, "invalid": True}
        raise


def owned_projects(organisation_id: str, cursor: str | None, limit: int) -> dict:
    """The organisation's published projects, newest first, as a page `{items, next}`."""
    params = {"organisation_id": organisation_id, "limit": limit, "cursor": cursor}
    return search_projects({**params, "lang": _language()})


def draft_projects(organisation_id: str, cursor: str | None = None, limit: int = 100) -> dict:
    """The organisation's drafts (only its own members and staff see any)."""
    params = {"organisation_id": organisation_id, "state": "draft", "limit": limit}
    return search_projects({**params, "cursor": cursor, "lang": _language()})


def my_projects(limit: int = 5) -> list[dict]:
    """The signed-in person's organisation's projects, newest first, drafts included.

    Items are the projects API's list items (`id, kind, state, owner, title, summary, sectors,
    visibility, call, created_at`, texts in the reader's language). Empty for a person without
    an organisation. For the dashboard.
    """
    organisation_id = reader_organisation_id()
    if organisation_id is None:
        return []
    items = draft_projects(organisation_id, limit=limit)["items"]
    items += owned_projects(organisation_id, None, limit)["items"]
    items.sort(key=lambda p: p["created_at"], reverse=True)
    return items[:limit]


def recommended(limit: int = 5) -> list[dict]:
    """Open calls that fit the signed-in person's organisation, best first (matchmaking).

    Each item is the API's `{project, score, reasons}`: `project` a list item as in
    `my_projects`, `reasons` sentences already in the reader's language. Empty for a person
    without an organisation, or when the API refuses. For the dashboard.
    """
    organisation_id = reader_organisation_id()
    if organisation_id is None:
        return []
    try:
        return api(
            "GET",
            projects(f"/organisations/{organisation_id}/recommended-projects"),
            params={"limit": max(1, min(limit, 50)), "lang": _language()},
        ).json()
    except ApiError:
        return []
