"""Dates and times on the portal's pages: one rule for the reader's zone, one way to write them.

A moment is shown in the zone of the reader's profile when signed in with a valid one, else in
the browser's zone, which static/timezone.js reads from `Intl` and remembers in the `tz` cookie
(checked against zoneinfo here), else in the usual zone of the page's language (Europe/Paris for
French, Asia/Shanghai for Chinese, UTC for English). The APIs give moments as
ISO 8601 timestamps; a form's datetime-local field is a wall time in the same reader's zone.

`install(bp)` puts the helpers in every template, under the names the templates use.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_time, get_datetime_format, get_timezone_location
from flask import Blueprint, has_request_context, request
from flask_babel import get_locale

from shared.i18n import usual_zone

from .auth import current_person
from .i18n import babel_locale


def _locale() -> str:
    """The Babel locale of the page's language (Chinese is written in simplified characters)."""
    return babel_locale(str(get_locale()))


def usable_zone(name: str | None) -> bool:
    """An IANA zone the APIs accept (`Area/City` or UTC), not a legacy alias such as `EST`."""
    if not name or ("/" not in name and name != "UTC"):
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


# The cookie the browser's zone is remembered in (set by static/timezone.js).
ZONE_COOKIE = "tz"


def browser_zone() -> str | None:
    """The zone the visitor's browser reported in the `tz` cookie, when it is a usable one."""
    if not has_request_context():
        return None
    zone = request.cookies.get(ZONE_COOKIE, "")[:64]
    return zone if usable_zone(zone) else None


def reader_zone() -> str:
    """The profile's zone when signed in with a valid one, else the browser's, else the page
    language's usual zone."""
    person = current_person() or {}
    if usable_zone(person.get("timezone")):
        return person["timezone"]
    return browser_zone() or usual_zone(str(get_locale())) or "UTC"


def parse(value) -> datetime | None:
    """An API timestamp as an aware datetime (one without an offset is UTC); None when empty.

    Raises ValueError on a value that is no ISO 8601 timestamp.
    """
    if not value:
        return None
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def wall_time(value) -> datetime | None:
    """An API timestamp as the naive wall time, to the minute, a datetime-local field shows."""
    moment = parse(value)
    if moment is None:
        return None
    local = moment.astimezone(ZoneInfo(reader_zone()))
    return local.replace(tzinfo=None, second=0, microsecond=0)


def from_wall_time(typed: datetime) -> datetime:
    """A datetime-local field's naive wall time as the moment it means in the reader's zone."""
    return typed.replace(tzinfo=ZoneInfo(reader_zone()))


def local_moment(value) -> str:
    """A timestamp in the reader's zone and language, the zone named: "Jan 16, 2027, 1:00 AM
    (Asia/Shanghai)". A value that is no timestamp is shown as it came."""
    try:
        moment = parse(value)
    except ValueError:
        return str(value)
    if moment is None:
        return ""
    zone, locale = ZoneInfo(reader_zone()), _locale()
    local = moment.astimezone(zone)
    shown = get_datetime_format("medium", locale=locale)
    shown = shown.replace("{1}", format_date(local, "medium", locale=locale))
    shown = shown.replace("{0}", format_time(local, "short", tzinfo=zone, locale=locale))
    return f"{shown} ({zone.key})"


def local_day(value) -> str:
    """A day in the reader's language: a date as it is, a timestamp's day in the reader's zone."""
    if not value:
        return ""
    text = str(value)
    if len(text) > 10:
        day = parse(text).astimezone(ZoneInfo(reader_zone())).date()
    else:
        day = date.fromisoformat(text)
    return format_date(day, "medium", locale=_locale())


def zone_label(zone: str | None) -> str:
    """A zone as people say it, with its IANA name: "France Time (Europe/Paris)"."""
    if not zone:
        return ""
    if zone == "UTC":
        return "UTC"
    where = get_timezone_location(ZoneInfo(zone), locale=_locale())
    return f"{where} ({zone})"


def _parts(moment: datetime) -> dict:
    """An aware moment's date, time and both together, as the page's language writes them."""
    locale = _locale()
    day = format_date(moment, "full", locale=locale)
    time = format_time(moment, "short", tzinfo=moment.tzinfo, locale=locale)
    pattern = get_datetime_format("full", locale=locale).replace("'", "")
    return {
        "iso": moment.isoformat(),
        "date": day,
        "time": time,
        "text": pattern.format(time, day),  # "{1}, {0}" in English, "{1} {0}" in Chinese
        "day": moment.date(),
    }


def moment_parts(value, zone: str | None = None) -> dict | None:
    """A timestamp's date, time and text in `zone`, else in the reader's zone; None when empty."""
    moment = parse(value)
    if moment is None:
        return None
    return _parts(moment.astimezone(ZoneInfo(zone or reader_zone())))


def span(start, end, zone: str | None) -> dict | None:
    """Start and end in one zone (else in their own offset); `same_day` to leave out the end's
    date."""
    starts, ends = parse(start), parse(end)
    if starts is None:
        return None
    if zone:
        starts = starts.astimezone(ZoneInfo(zone))
        ends = ends.astimezone(ZoneInfo(zone)) if ends else None
    first, last = _parts(starts), _parts(ends) if ends else None
    return {
        "zone": zone,
        "label": zone_label(zone),
        "start": first,
        "end": last,
        "same_day": bool(last and last["day"] == first["day"]),
    }


def event_times(item: dict) -> dict | None:
    """An announced event's times in its own zone, and in the reader's when that zone differs.

    The announcements API gives both (`*_local` and `*_reader`) when asked with `tz`.
    """
    if item.get("kind") != "event" or not item.get("starts_at"):
        return None
    own = span(item.get("starts_at_local"), item.get("ends_at_local"), item.get("timezone"))
    theirs = None
    zone = item.get("reader_timezone")
    if zone and zone != item.get("timezone"):
        theirs = span(item.get("starts_at_reader"), item.get("ends_at_reader"), zone)
    return {"event": own, "reader": theirs}


TEMPLATE_HELPERS = {
    "reader_zone": reader_zone,
    "local_moment": local_moment,
    "local_day": local_day,
    "moment_parts": moment_parts,
    "zone_label": zone_label,
    "event_times": event_times,
}


def install(bp: Blueprint) -> None:
    """Give every template the helpers once `bp` is registered (any area's pages, and the
    home page and dashboard that reuse their cards); safe to call from several blueprints."""
    bp.record_once(lambda state: state.app.jinja_env.globals.update(TEMPLATE_HELPERS))
