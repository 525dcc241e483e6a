"""News, events and calls: reading, registering, iCalendar; staff publish and moderate.

Everything goes through the announcements API with the reader's own token (or none): the API
decides who may read what, the portal only hides what a person could not do anyway.

Event times are shown in the event's own zone and in the reader's: the zone of their profile
when signed in, else the usual zone of the page's language (Europe/Paris for French,
Asia/Shanghai for Chinese, UTC for English), since a server-rendered page cannot know the
browser's zone.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_time, get_datetime_format, get_timezone_location
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from shared.i18n import pick

from .. import i18n
from ..announcement_forms import (
    EventForm,
    NewsForm,
    PublishForm,
    RejectForm,
    StaffForm,
    WithdrawForm,
    split_tags,
)
from ..api_client import ApiError, ApiUnavailable, announcements, call, members
from ..api_messages import translate
from ..auth import api, current_person, login_required, platform_admin_required
from ..forms import EmptyForm, show_api_error
from .account import _unexplained

log = logging.getLogger(__name__)
bp = Blueprint("announcements", __name__, url_prefix="/announcements")

KINDS = ("news", "event", "call")
FEED_LANGUAGES = ("en", "fr", "zh")
PAGE_SIZE = 20
# The zone a reader without a profile sees event times in, by the page's language.
LANGUAGE_ZONES = {"fr": "Europe/Paris", "zh": "Asia/Shanghai", "en": "UTC"}
EDITABLE_BY_ORGANISATIONS = ("draft", "rejected")
WITHDRAWABLE = ("published", "scheduled", "pending")
STATUS_LABELS = {
    "draft": _l("Draft"),
    "pending": _l("Awaiting approval"),
    "rejected": _l("Sent back"),
    "scheduled": _l("Scheduled"),
    "published": _l("Published"),
    "withdrawn": _l("Withdrawn"),
}
KIND_LABELS = {"news": _l("News"), "event": _l("Event"), "call": _l("Call")}
KIND_TABS = {"news": _l("News"), "event": _l("Events"), "call": _l("Calls")}
SCOPE_LABELS = {
    "public": _l("Everyone"),
    "members": _l("Members of the platform"),
    "selected": _l("Selected organisations"),
}


def _api_messages() -> dict[str, str]:
    """The announcements API's English details the pages show, in the reader's language."""
    return {
        "An event needs a start.": _("Give the date and time the event starts."),
        "An event cannot end before it starts.": _("An event cannot end before it starts."),
        "Give a place, an online link, or both.": _("Give a place, an online link, or both."),
        "Give the event's IANA time zone.": _("Choose a time zone from the list."),
        "Give the text in at least one of en, fr, zh.": _("Give a title in at least one language."),
        "A selected audience needs organisations or at least one criterion.": _(
            "Choose at least one country, park, sector or kind of organisation."
        ),
        "Not a valid URL.": _("Give a web address starting with https://."),
        "This event has already started.": _("This event has already started."),
        "You are already registered for this event.": _("You already have a place."),
        "You are already waiting for this event.": _("You are already on the waiting list."),
        "You are not registered for this event.": _("You are not registered for this event."),
        "Once submitted, only platform staff may change it.": _(
            "Once submitted, only the platform team may change it."
        ),
        "A withdrawn announcement cannot be edited.": _(
            "A withdrawn announcement cannot be edited."
        ),
        "Only announcements awaiting moderation can be approved.": _(
            "This announcement is no longer awaiting approval."
        ),
        "Only announcements awaiting moderation can be rejected.": _(
            "This announcement is no longer awaiting approval."
        ),
        "Organisation admins write for their own organisation only.": _(
            "You may write news for your own organisation only."
        ),
    }


def _translated(error: ApiError) -> ApiError:
    """The error with the details this area knows in the reader's language."""
    known = _api_messages()
    error.errors = [
        {**e, "detail": known.get(str(e.get("detail", "")), e.get("detail", ""))}
        for e in error.errors
    ]
    for entry in error.errors:
        if str(entry.get("detail", "")).startswith("Unknown IANA time zone"):
            entry["detail"] = _("Choose a time zone from the list.")
    error.detail = known.get(error.detail, translate(error.detail) if error.detail else "")
    return error


def _refused(form, error: ApiError) -> None:
    """API field errors next to their fields; anything else as a message above the form."""
    error = _translated(error)
    if not show_api_error(form, error):
        _unexplained(error)


# --- Times in the event's zone and the reader's ---


def _language() -> str:
    return str(get_locale())


def _babel_locale(language: str) -> str:
    return "zh_Hans" if language == "zh" else language


def _usable_zone(name: str | None) -> bool:
    """An IANA zone the API accepts (`Area/City` or UTC)."""
    if not name or ("/" not in name and name != "UTC"):
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def reader_zone() -> str:
    """The profile's time zone when signed in, else the usual zone of the page's language."""
    person = current_person() or {}
    if _usable_zone(person.get("timezone")):
        return person["timezone"]
    return LANGUAGE_ZONES.get(_language(), "UTC")


@bp.app_template_global("announcement_zone")
def zone_label(zone: str | None) -> str:
    """A zone as people say it, with its IANA name: "France Time (Europe/Paris)"."""
    if not zone:
        return ""
    if zone == "UTC":
        return "UTC"
    where = get_timezone_location(ZoneInfo(zone), locale=_babel_locale(_language()))
    return f"{where} ({zone})"


@bp.app_template_global("announcement_moment")
def moment(iso: str | None, zone: str | None = None) -> dict | None:
    """An ISO time as the reader's language writes it, in `zone` (else in its own offset)."""
    if not iso:
        return None
    value = datetime.fromisoformat(iso)
    if zone:
        value = value.astimezone(ZoneInfo(zone))
    locale = _babel_locale(_language())
    date = format_date(value, "full", locale=locale)
    time = format_time(value, "short", tzinfo=value.tzinfo, locale=locale)
    pattern = get_datetime_format("full", locale=locale).replace("'", "")
    return {
        "iso": value.isoformat(),
        "date": date,
        "time": time,
        "text": pattern.format(time, date),  # "{1}, {0}" in English, "{1} {0}" in Chinese
        "day": value.date(),
    }


def _span(start_iso: str | None, end_iso: str | None, zone: str | None) -> dict | None:
    """Start and end in one zone; the end's date is left out when it is the same day."""
    start = moment(start_iso, zone)
    if start is None:
        return None
    end = moment(end_iso, zone)
    return {
        "zone": zone,
        "label": zone_label(zone),
        "start": start,
        "end": end,
        "same_day": bool(end and end["day"] == start["day"]),
    }


def _when(item: dict) -> dict | None:
    """An event's times in its own zone, and in the reader's when that zone differs."""
    if item.get("kind") != "event" or not item.get("starts_at"):
        return None
    own = _span(item.get("starts_at_local"), item.get("ends_at_local"), item.get("timezone"))
    theirs = None
    zone = item.get("reader_timezone")
    if zone and zone != item.get("timezone"):
        theirs = _span(item.get("starts_at_reader"), item.get("ends_at_reader"), zone)
    return {"event": own, "reader": theirs}


@bp.app_template_global("announcement_when")
def when(item: dict) -> dict | None:
    """Template access to an event's times (lists and cards on other pages too)."""
    return _when(item)


# --- Reading through the API ---


def _listing(kind: str | None, limit: int, cursor: str | None = None) -> dict:
    params = {"kind": kind, "limit": limit, "cursor": cursor, "tz": reader_zone()}
    return api("GET", announcements("/announcements"), params=params).json()


def _quietly(fetch) -> list[dict]:
    """Items for a page that must still render while announcements does not answer."""
    try:
        return fetch()
    except ApiUnavailable:
        log.warning("announcements unavailable: the page shows none")
        return []


def latest_news(limit: int = 3) -> list[dict]:
    """The newest news the reader may see, as the API lists them (no body).

    For the home page and dashboard: [] while the announcements API is down, so those pages
    still render; any other refusal propagates (a 401 sends the person to sign in again).
    """
    return _quietly(lambda: _listing("news", limit)["items"])


def open_calls(limit: int = 3) -> list[dict]:
    """The newest published calls (announcements of kind `call`); [] while the API is down.

    A call has no deadline in the announcements API: it is open while published, and staff
    withdraw it when it closes.
    """
    return _quietly(lambda: _listing("call", limit)["items"])


def upcoming_events(limit: int = 3, pages: int = 3) -> list[dict]:
    """Events still to start, soonest first; [] while the announcements API is down.

    The API lists events by publication, so this reads up to `pages` pages of 100 and sorts
    what is still ahead by its start.
    """

    def fetch() -> list[dict]:
        now = datetime.now(UTC)
        ahead: list[dict] = []
        cursor = None
        for _page in range(pages):
            page = _listing("event", 100, cursor)
            ahead += [
                item
                for item in page["items"]
                if item.get("starts_at") and datetime.fromisoformat(item["starts_at"]) > now
            ]
            cursor = page.get("next")
            if not cursor:
                break
        ahead.sort(key=lambda item: item["starts_at"])
        return ahead[:limit]

    return _quietly(fetch)


def _fetch(announcement_id: uuid.UUID) -> dict:
    """One announcement as the reader may see it; 404 otherwise, GoneError when withdrawn."""
    try:
        return api(
            "GET",
            announcements(f"/announcements/{announcement_id}"),
            params={"tz": reader_zone()},
        ).json()
    except ApiError as error:
        if error.status == 410:
            raise Withdrawn() from error
        if error.status in (403, 404, 422):
            abort(404)
        raise


class Withdrawn(Exception):
    """The announcement was public and is withdrawn: readers get a page saying so (410)."""


@bp.errorhandler(Withdrawn)
def _withdrawn(_error):
    return render_template("announcements/withdrawn.html"), 410


def _manages(item: dict) -> bool:
    """Platform staff, or an admin of the organisation that wrote it (as the API decides)."""
    person = current_person()
    if person is None:
        return False
    if person.get("is_platform_admin"):
        return True
    author = item.get("author_organisation_id")
    return bool(
        author
        and person.get("role") == "org_admin"
        and str(person.get("organisation_id")) == str(author)
    )


def _may_edit(item: dict) -> bool:
    if not _manages(item) or item["status"] == "withdrawn":
        return False
    return current_person().get("is_platform_admin") or item["status"] in (
        EDITABLE_BY_ORGANISATIONS
    )


def _is_staff() -> bool:
    return bool((current_person() or {}).get("is_platform_admin"))


def _is_org_admin() -> bool:
    person = current_person() or {}
    return person.get("role") == "org_admin" and bool(person.get("organisation_id"))


def _organisation_names(ids) -> dict[str, str]:
    """Names of the author organisations shown on a page (skipped when members refuses)."""
    names: dict[str, str] = {}
    for organisation_id in {str(i) for i in ids if i}:
        try:
            org = api("GET", members(f"/organisations/{organisation_id}")).json()
        except (ApiError, ApiUnavailable):
            continue
        names[organisation_id] = org.get("name", "")
    return names


def _render(template: str, **context):
    return render_template(
        template,
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
        scope_labels=SCOPE_LABELS,
        **context,
    )


# --- Public pages ---


@bp.get("")
def index():
    kind = request.args.get("kind")
    if kind not in KINDS:
        kind = None
    try:
        page = _listing(kind, PAGE_SIZE, request.args.get("cursor"))
    except ApiError as error:
        if error.status not in (400, 422):
            raise
        page = {"items": [], "next": None, "invalid": True}
    language = _language()
    return _render(
        "announcements/index.html",
        page=page,
        kind=kind,
        kinds=KIND_TABS,
        feed_language=language if language in FEED_LANGUAGES else "en",
        zone=reader_zone(),
        is_staff=_is_staff(),
        is_org_admin=_is_org_admin(),
    )


def _own_registration(item: dict) -> dict | None:
    if current_person() is None or item["kind"] != "event" or item["status"] != "published":
        return None
    try:
        return api("GET", announcements(f"/announcements/{item['id']}/registrations/me")).json()
    except ApiError as error:
        if error.status == 404:
            return None
        raise


def _places(item: dict) -> dict | None:
    """Places taken and left, and how many wait, for an event."""
    if item["kind"] != "event":
        return None
    counts = item.get("registrations") or {"registered": 0, "waiting": 0}
    capacity = item.get("capacity")
    left = None if capacity is None else max(capacity - counts["registered"], 0)
    return {
        "capacity": capacity,
        "registered": counts["registered"],
        "waiting": counts["waiting"],
        "left": left,
        "full": left == 0,
    }


def _started(item: dict) -> bool:
    starts = item.get("starts_at")
    return bool(starts) and datetime.fromisoformat(starts) <= datetime.now(UTC)


@bp.get("/<uuid:announcement_id>")
def detail(announcement_id: uuid.UUID):
    item = _fetch(announcement_id)
    manages = _manages(item)
    registration = _own_registration(item)
    active = registration if registration and registration["status"] != "cancelled" else None
    author = item.get("author_organisation_id")
    return _render(
        "announcements/detail.html",
        item=item,
        title=pick(item["title"], _language()),
        body_html=pick(item.get("body_html"), _language()),
        when=_when(item),
        places=_places(item),
        started=_started(item),
        registration=active,
        author_name=_organisation_names([author]).get(str(author)) if author else None,
        manages=manages,
        may_edit=_may_edit(item),
        may_withdraw=manages and item["status"] in WITHDRAWABLE,
        may_submit=manages and item["status"] in EDITABLE_BY_ORGANISATIONS,
        is_staff=_is_staff(),
        action=EmptyForm(),
        publish=PublishForm(),
        withdraw=WithdrawForm(),
        zone=reader_zone(),
    )


@bp.post("/<uuid:announcement_id>/register")
@login_required
def register(announcement_id: uuid.UUID):
    if EmptyForm().validate_on_submit():
        try:
            done = api(
                "POST", announcements(f"/announcements/{announcement_id}/registrations")
            ).json()
        except ApiError as error:
            if error.status in (403, 404):
                abort(404)
            _unexplained(_translated(error))
        else:
            if done["status"] == "waiting":
                flash(
                    _(
                        "The event is full: you are on the waiting list. We tell you if a "
                        "place frees up."
                    ),
                    "info",
                )
            else:
                flash(_("You are registered. See you there!"), "success")
    return redirect(url_for("announcements.detail", announcement_id=announcement_id))


@bp.post("/<uuid:announcement_id>/cancel")
@login_required
def cancel(announcement_id: uuid.UUID):
    if EmptyForm().validate_on_submit():
        try:
            done = api(
                "DELETE", announcements(f"/announcements/{announcement_id}/registrations/me")
            ).json()
        except ApiError as error:
            _unexplained(_translated(error))
        else:
            if done.get("status") == "cancelled":
                flash(_("Your registration is cancelled."), "success")
    return redirect(url_for("announcements.detail", announcement_id=announcement_id))


# --- Feeds and calendar files ---


def _proxied(path: str, mimetype: str, params: dict | None = None, filename: str | None = None):
    """A public feed of the API passed on, with its validators so readers can revalidate."""
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


@bp.get("/feeds/<any(en, fr, zh):language>.<any(rss, atom):fmt>")
def feed(language: str, fmt: str):
    mimetype = "application/rss+xml" if fmt == "rss" else "application/atom+xml"
    try:
        return _proxied(f"/feeds/{language}.{fmt}", mimetype)
    except ApiError:
        abort(404)


@bp.get("/events.ics")
def calendar():
    """Every public event as one calendar to subscribe to."""
    language = request.args.get("lang")
    language = language if language in FEED_LANGUAGES else _language()
    try:
        return _proxied(
            "/feeds/events.ics",
            "text/calendar",
            params={"lang": language},
            filename="events.ics",
        )
    except ApiError:
        abort(404)


def _file_name(item: dict) -> str:
    """An ASCII file name from the English title (browsers differ on others)."""
    title = pick(item["title"], "en") or ""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60]
    return f"{slug or 'event'}.ics"


def _calendar_file(item: dict, language: str) -> bytes:
    """One event the API has no public file for (members only, or not yet published)."""
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
    calendar_ = icalendar.Calendar()
    calendar_.add("prodid", "-//Sino-Sophipolitan Cooperation Platform//portal//EN")
    calendar_.add("version", "2.0")
    calendar_.add_component(event)
    calendar_.add_missing_timezones()
    return calendar_.to_ical()


@bp.get("/<uuid:announcement_id>/calendar.ics", endpoint="ics")
def ics(announcement_id: uuid.UUID):
    """The event as a calendar file: the API's for public events, else built from the detail."""
    item = _fetch(announcement_id)
    if item["kind"] != "event" or not item.get("starts_at"):
        abort(404)
    language = _language()
    filename = _file_name(item)
    if item["status"] == "published" and (item.get("audience") or {}).get("scope") == "public":
        try:
            return _proxied(
                f"/feeds/events/{announcement_id}.ics",
                "text/calendar",
                params={"lang": language},
                filename=filename,
            )
        except ApiError:
            pass  # withdrawn or changed audience meanwhile: the reader may still see it
    response = Response(_calendar_file(item, language), mimetype="text/calendar")
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Writing: organisations' news, staff's news, events and calls ---


def _choices(form, language: str) -> None:
    form.sectors.choices = i18n.choices("sector", language)
    scopes = (
        ("public", "members", "selected")
        if isinstance(form, StaffForm)
        else (
            "public",
            "members",
        )
    )
    form.audience_scope.choices = [(s, SCOPE_LABELS[s]) for s in scopes]
    if isinstance(form, StaffForm):
        form.audience_countries.choices = i18n.country_choices(language)
        form.audience_parks.choices = i18n.choices("park", language)
        form.audience_sectors.choices = i18n.choices("sector", language)
        form.audience_kinds.choices = i18n.choices("kind", language)
        form.author_organisation_id.choices = [("", _("The platform team")), *_organisers()]


def _organisers() -> list[tuple[str, str]]:
    """Verified organisations staff may name as organiser (the first hundred, by name)."""
    try:
        listing = api(
            "GET", members("/organisations"), params={"status": "verified", "limit": 100}
        ).json()
    except (ApiError, ApiUnavailable):
        return []
    return sorted(((o["id"], o["name"]) for o in listing["items"]), key=lambda p: p[1].lower())


def _form_class(kind: str):
    if kind == "event":
        return EventForm
    if kind == "call" or _is_staff():
        return StaffForm
    return NewsForm


def _wall_time(iso: str | None) -> datetime | None:
    """An ISO time with its offset as the naive wall time a datetime-local field shows."""
    return datetime.fromisoformat(iso).replace(tzinfo=None) if iso else None


def _form_data(item: dict) -> dict:
    data = {
        **{
            f"{name}_{code}": (item.get(name) or {}).get(code, "")
            for name in ("title", "summary", "body")
            for code in FEED_LANGUAGES
        },
        "tags": ", ".join(item.get("tags") or []),
        "sectors": item.get("sectors") or [],
    }
    audience = item.get("audience") or {"scope": "public"}
    data["audience_scope"] = audience.get("scope", "public")
    for name in ("countries", "parks", "sectors", "kinds"):
        data[f"audience_{name}"] = audience.get(name) or []
    data["author_organisation_id"] = item.get("author_organisation_id") or ""
    if item["kind"] == "event":
        data.update(
            starts_at=_wall_time(item.get("starts_at_local")),
            ends_at=_wall_time(item.get("ends_at_local")),
            timezone=item.get("timezone"),
            place=item.get("place") or "",
            online_url=item.get("online_url") or "",
            capacity=item.get("capacity"),
        )
    return data


def _audience(form) -> dict:
    audience = {"scope": form.audience_scope.data}
    if isinstance(form, StaffForm) and audience["scope"] == "selected":
        for name in ("countries", "parks", "sectors", "kinds"):
            audience[name] = getattr(form, f"audience_{name}").data or []
    return audience


def _payload(form, kind: str) -> dict:
    payload = {
        "title": form.texts("title"),
        "summary": form.texts("summary"),
        "body": form.texts("body"),
        "tags": split_tags(form.tags.data),
        "sectors": form.sectors.data or [],
        "audience": _audience(form),
    }
    if kind == "event":
        ends = form.ends_at.data
        payload.update(
            starts_at=form.starts_at.data.strftime("%Y-%m-%dT%H:%M:%S"),
            ends_at=ends.strftime("%Y-%m-%dT%H:%M:%S") if ends else None,
            timezone=form.timezone.data,
            place=(form.place.data or "").strip() or None,
            online_url=(form.online_url.data or "").strip() or None,
            capacity=form.capacity.data,
        )
    return payload


def _author(form) -> str | None:
    if isinstance(form, StaffForm):  # staff name the organiser, or none for the platform
        return form.author_organisation_id.data or None
    return str(current_person()["organisation_id"])


def _write(kind: str):
    """A new draft of `kind`; it is published (staff) or submitted (organisations) from its page."""
    form_class = _form_class(kind)
    form = form_class()
    _choices(form, _language())
    if request.method == "GET" and kind == "event":
        form.timezone.data = reader_zone() if reader_zone() != "UTC" else "Europe/Paris"
    if form.validate_on_submit():
        payload = {
            "kind": kind,
            "author_organisation_id": _author(form),
            **_payload(form, kind),
        }
        try:
            created = api("POST", announcements("/announcements"), json=payload).json()
        except ApiError as error:
            _refused(form, error)
        else:
            flash(_("The draft is saved. Check it, then publish it from this page."), "success")
            return redirect(url_for("announcements.detail", announcement_id=created["id"]))
    return _render("announcements/edit.html", form=form, kind=kind, item=None, zone=reader_zone())


def _org_admin_or_staff(view):
    """Organisation admins (their news) and platform staff only."""
    from functools import wraps

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not (_is_staff() or _is_org_admin()):
            abort(403)
        return view(*args, **kwargs)

    return wrapper


@bp.route("/new/news", methods=["GET", "POST"])
@_org_admin_or_staff
def new_news():
    return _write("news")


@bp.route("/new/event", methods=["GET", "POST"])
@platform_admin_required
def new_event():
    return _write("event")


@bp.route("/new/call", methods=["GET", "POST"])
@platform_admin_required
def new_call():
    return _write("call")


@bp.route("/<uuid:announcement_id>/edit", methods=["GET", "POST"])
@login_required
def edit(announcement_id: uuid.UUID):
    item = _fetch(announcement_id)
    if not _manages(item):
        abort(403)
    if not _may_edit(item):
        flash(
            _("This announcement can no longer be changed.")
            if item["status"] == "withdrawn"
            else _("Once submitted, only the platform team may change it."),
            "error",
        )
        return redirect(url_for("announcements.detail", announcement_id=announcement_id))
    kind = item["kind"]
    form_class = _form_class(kind)
    form = form_class(data=_form_data(item) if request.method == "GET" else None)
    _choices(form, _language())
    if form.validate_on_submit():
        try:
            api(
                "PATCH",
                announcements(f"/announcements/{announcement_id}"),
                json=_payload(form, kind),
            )
        except ApiError as error:
            if error.status in (403, 404):
                abort(403)
            _refused(form, error)
        else:
            flash(_("The announcement is saved."), "success")
            return redirect(url_for("announcements.detail", announcement_id=announcement_id))
    return _render("announcements/edit.html", form=form, kind=kind, item=item, zone=reader_zone())


@bp.post("/<uuid:announcement_id>/publish")
@_org_admin_or_staff
def publish(announcement_id: uuid.UUID):
    """Staff publish now or at a time; an organisation's admin submits news for approval."""
    form = PublishForm()
    if not form.validate_on_submit():
        for message in form.publish_at.errors:
            flash(message, "error")
        return redirect(url_for("announcements.detail", announcement_id=announcement_id))
    body = {}
    if _is_staff() and form.publish_at.data:
        body["publish_at"] = form.publish_at.data.replace(
            tzinfo=ZoneInfo(reader_zone())
        ).isoformat()
    try:
        done = api(
            "POST", announcements(f"/announcements/{announcement_id}/publish"), json=body
        ).json()
    except ApiError as error:
        if error.status in (403, 404):
            abort(403)
        _unexplained(_translated(error))
    else:
        if done["status"] == "pending":
            flash(_("Your news is sent to the platform team for approval."), "success")
        elif done["status"] == "scheduled":
            flash(_("The announcement is scheduled."), "success")
        else:
            flash(_("The announcement is published."), "success")
    return redirect(url_for("announcements.detail", announcement_id=announcement_id))


@bp.post("/<uuid:announcement_id>/withdraw")
@_org_admin_or_staff
def withdraw(announcement_id: uuid.UUID):
    form = WithdrawForm()
    if form.validate_on_submit():
        reason = (form.reason.data or "").strip() or None
        try:
            api(
                "POST",
                announcements(f"/announcements/{announcement_id}/withdraw"),
                json={"reason": reason},
            )
        except ApiError as error:
            if error.status in (403, 404):
                abort(403)
            _unexplained(_translated(error))
        else:
            flash(_("The announcement is withdrawn: it left the lists and feeds."), "success")
    return redirect(url_for("announcements.detail", announcement_id=announcement_id))


@bp.get("/mine")
@_org_admin_or_staff
def mine():
    """What the person's organisation wrote (everything, for staff), with its status."""
    status = request.args.get("status")
    if status not in STATUS_LABELS:
        status = None
    try:
        page = api(
            "GET",
            announcements("/announcements/mine"),
            params={"status": status, "cursor": request.args.get("cursor"), "limit": PAGE_SIZE},
        ).json()
    except ApiError as error:
        if error.status not in (400, 422):
            raise
        page = {"items": [], "next": None, "invalid": True}
    return _render(
        "announcements/mine.html",
        page=page,
        status=status,
        is_staff=_is_staff(),
        editable=[i["id"] for i in page["items"] if _may_edit(i)],
    )


# --- Moderation of organisations' news (platform staff) ---


@bp.get("/moderation")
@platform_admin_required
def moderation():
    try:
        page = api(
            "GET",
            announcements("/announcements/moderation"),
            params={"cursor": request.args.get("cursor"), "limit": PAGE_SIZE},
        ).json()
    except ApiError as error:
        if error.status not in (400, 422):
            raise
        page = {"items": [], "next": None, "invalid": True}
    names = _organisation_names(i.get("author_organisation_id") for i in page["items"])
    return _render("announcements/moderation.html", page=page, names=names)


@bp.route("/<uuid:announcement_id>/review", methods=["GET", "POST"])
@platform_admin_required
def review(announcement_id: uuid.UUID):
    """Read an organisation's news in full, then approve it or send it back with a reason."""
    approve, reject = EmptyForm(prefix="approve"), RejectForm(prefix="reject")
    if request.method == "POST":
        action = request.form.get("action")
        if action == "approve" and approve.validate_on_submit():
            decided = _decide(announcement_id, "approve", {}, approve)
            if decided:
                flash(
                    _("The news is approved and published.")
                    if decided["status"] == "published"
                    else _("The news is approved and scheduled."),
                    "success",
                )
                return redirect(url_for("announcements.moderation"))
        if action == "reject" and reject.validate_on_submit():
            body = {"reason": reject.reason.data.strip()}
            if _decide(announcement_id, "reject", body, reject):
                flash(_("The news is sent back to its organisation with your reason."), "success")
                return redirect(url_for("announcements.moderation"))
    item = _fetch(announcement_id)
    author = item.get("author_organisation_id")
    return _render(
        "announcements/review.html",
        item=item,
        title=pick(item["title"], _language()),
        body_html=pick(item.get("body_html"), _language()),
        author_name=_organisation_names([author]).get(str(author)) if author else None,
        approve=approve,
        reject=reject,
    )


def _decide(announcement_id: uuid.UUID, action: str, body: dict, form) -> dict | None:
    try:
        return api(
            "POST", announcements(f"/announcements/{announcement_id}/{action}"), json=body
        ).json()
    except ApiError as error:
        if error.status == 404:
            abort(404)
        _refused(form, error)
        return None
