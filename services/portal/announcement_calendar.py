"""Feeds and calendar files of announcements: the API's passed on, or one built for an event.

The announcements API serves RSS, Atom and iCalendar for what is public. An event a reader may
see but the API has no public file for (members only, or not yet published) gets its file built
here from the detail the reader was given, with the API's UID so calendars merge the two.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Response, request, url_for

from shared.i18n import pick

from .api_client import announcements, call


def proxied(path: str, mimetype: str, params: dict | None = None, filename: str | None = None):
    """A public feed of the API passed on, with its validators so readers can revalidate.

    Raises ApiError when the API refuses (an unknown or no longer public event).
    """
    upstream = call("GET", announcements(path), params=params)
    response = Response(upstream.content, mimetype=mimetype)
    response.charset = "utf-8"
    for header in ("ETag", "Last-Modified"):
        if upstream.headers.get(header):
            response.headers[header] = upstream.headers[header]
    response.headers["Cache-Control"] = "public, max-age=300"
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response.make_conditional(request)


def file_name(item: dict) -> str:
    """An ASCII file name from the English title (browsers differ on others)."""
    title = pick(item["title"], "en") or ""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60]
    return f"{slug or 'event'}.ics"


def calendar_file(item: dict, language: str) -> bytes:
    """One event as an iCalendar file, in `language`, its times in the event's own zone."""
    import icalendar

    zone = ZoneInfo(item["timezone"])
    event = icalendar.Event()
    event.add("uid", f"{item['id']}@sino-sophipolitan")  # the API's UID: calendars merge them
    event.add("summary", pick(item["title"], language) or "")
    summary = pick(item.get("summary"), language)
    if summary:
        event.add("description", summary)
    event.add("dtstart", datetime.fromisoformat(item["starts_at"]).astimezone(zone))
    if item.get("ends_at"):
        event.add("dtend", datetime.fromisoformat(item["ends_at"]).astimezone(zone))
    event.add("dtstamp", datetime.now(UTC))
    event.add("sequence", max(int(item.get("version") or 1) - 1, 0))
    location = item.get("place") or item.get("online_url")
    if location:
        event.add("location", location)
    page = url_for("announcements.detail", announcement_id=item["id"], _external=True)
    event.add("url", item.get("online_url") or page)
    event.add("status", "CONFIRMED")
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Sino-Sophipolitan Cooperation Platform//portal//EN")
    calendar.add("version", "2.0")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def calendar_download(item: dict, language: str, filename: str) -> Response:
    """The built file as a download."""
    response = Response(calendar_file(item, language), mimetype="text/calendar")
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
