"""RSS and Atom feeds, and the iCalendar files of events."""

from __future__ import annotations

import uuid

from flask import abort, request

from ...announcement_calendar import calendar_download, file_name, proxied
from ...api_client import ApiError
from .common import FEED_LANGUAGES, bp, fetch_announcement, reader_language

# --- Feeds and calendar files ---


@bp.get("/feeds/<any(en, fr, zh):language>.<any(rss, atom):fmt>")
def feed(language: str, fmt: str):
    mimetype = "application/rss+xml" if fmt == "rss" else "application/atom+xml"
    try:
        return proxied(f"/feeds/{language}.{fmt}", mimetype)
    except ApiError:
        abort(404)


@bp.get("/events.ics")
def calendar():
    """Every public event as one calendar to subscribe to."""
    language = request.args.get("lang")
    language = language if language in FEED_LANGUAGES else reader_language()
    try:
        return proxied(
            "/feeds/events.ics",
            "text/calendar",
            params={"lang": language},
            filename="events.ics",
        )
    except ApiError:
        abort(404)


@bp.get("/<uuid:announcement_id>/calendar.ics", endpoint="ics")
def ics(announcement_id: uuid.UUID):
    """The event as a calendar file: the API's for public events, else built from the detail."""
    item = fetch_announcement(announcement_id)
    if item["kind"] != "event" or not item.get("starts_at"):
        abort(404)
    language = reader_language()
    filename = file_name(item)
    if item["status"] == "published" and (item.get("audience") or {}).get("scope") == "public":
        try:
            return proxied(
                f"/feeds/events/{announcement_id}.ics",
                "text/calendar",
                params={"lang": language},
                filename=filename,
            )
        except ApiError:
            pass  # withdrawn or changed audience meanwhile: the reader may still see it
    return calendar_download(item, language, filename)
