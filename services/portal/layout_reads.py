"""The layout's own reads, set off with the page's.

Every signed-in page shows the unread count (notifications) and the status of the reader's
organisation (members, for the banner). Asked for when the layout renders, they went out one
after the other, after the page's own calls. Started when a signed-in GET begins, on the API
threads (`api_client.start_all`), they travel while the page makes its calls; the layout reads
their answers when it gets there (`badge.unread_count`, `standing.organisation_status_of_reader`).
"""

from __future__ import annotations

import time

from flask import current_app, g, request, session
from flask_babel import get_locale

from .api_client import Call, Outcome, members, notifications, start_all
from .auth import access_token, current_person

# Pages that make these reads themselves, or show no layout.
OWN_READS = frozenset({"dashboard.index", "static"})
NO_LAYOUT = (".ics", ".csv", ".zip", "/export", "/metrics", "/healthz", "/readyz")
BADGE_TIMEOUT = 2.0  # seconds: the badge must never hold a page back for long
STATUS_TIMEOUT = 1.5  # seconds: nor the banner


def _quick(seconds: float) -> float:
    return min(seconds, current_app.config["PORTAL_API_TIMEOUT"])


def unread_call() -> Call | None:
    """The unread count's question now: revalidating the count the session cookie keeps; None
    while the badge rests after notifications failed to answer (`badge.BADGE_PAUSE`)."""
    cached = session.get("unread") or {}
    if cached.get("pause_until", 0) > time.time():
        return None
    return Call(
        notifications("/inbox/unread-count"),
        headers={"If-None-Match": cached["etag"]} if cached.get("etag") else None,
        timeout=_quick(BADGE_TIMEOUT),
    )


def start() -> None:
    """Before a signed-in person's GET of a page: set off the layout's reads."""
    if request.method != "GET" or request.endpoint in OWN_READS or request.endpoint is None:
        return
    if request.path.endswith(NO_LAYOUT) or request.path.startswith("/static/"):
        return
    person = current_person()
    if person is None:
        return
    calls: dict[str, Call] = {}
    question = unread_call()
    if question is not None:
        calls["unread"] = question
    if person.get("organisation_id"):
        path = members(f"/organisations/{person['organisation_id']}")
        calls["standing"] = Call(path, timeout=_quick(STATUS_TIMEOUT))
    token = access_token()
    if calls and token is not None:
        g.layout_reads = start_all(calls, token=token, language=str(get_locale()))


def answer(name: str) -> Outcome | None:
    """The outcome of the read `name` set off with the page (a response, or the ApiError or
    ApiUnavailable it ended in); None when none was set off."""
    pending = g.get("layout_reads")
    if pending is None:
        return None
    if "layout_answers" not in g:
        g.layout_answers = pending.results()
    return g.layout_answers.get(name)
