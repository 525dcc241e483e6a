"""News, events and calls: reading, registering, iCalendar; staff publish and moderate.

Everything goes through the announcements API with the reader's own token (or none): the API
decides who may read what, the portal only hides what a person could not do anyway.

Event times are shown in the event's own zone and in the reader's (the rule of moments.py):
the API gives both when asked with `tz`.
"""

from __future__ import annotations

import csv
import io
import logging
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

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

from .. import confirmation, i18n, moments
from ..announcement_calendar import calendar_download, file_name, proxied
from ..announcement_forms import (
    EventForm,
    NewsForm,
    PublishForm,
    RejectForm,
    StaffForm,
    WithdrawForm,
    split_tags,
)
from ..api_client import ApiError, ApiUnavailable, announcements, members, quietly
from ..auth import api, current_person, login_required, platform_admin_required
from ..forms import EmptyForm, show_api_error
from .account import _unexplained

log = logging.getLogger(__name__)
bp = Blueprint("announcements", __name__, url_prefix="/announcements")
moments.install(bp)

KINDS = ("news", "event", "call")
FEED_LANGUAGES = ("en", "fr", "zh")
PAGE_SIZE = 20
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
REGISTRATION_LABELS = {"registered": _l("Registered"), "waiting": _l("Waiting list")}
# A spreadsheet reads a cell starting so as a formula: such text is written with a quote first.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _refused(form, error: ApiError) -> None:
    """API field errors next to their fields; anything else as a message above the form."""
    if not show_api_error(form, error):
        _unexplained(error)


def _language() -> str:
    return str(get_locale())


# --- Reading through the API ---


def _listing(kind: str | None, limit: int, cursor: str | None = None) -> dict:
    params = {"kind": kind, "limit": limit, "cursor": cursor, "tz": moments.reader_zone()}
    return api("GET", announcements("/announcements"), params=params).json()


def latest_news(limit: int = 3) -> list[dict]:
    """The newest news the reader may see, as the API lists them (no body).

    For the home page and dashboard: [] while the announcements API is down, so those pages
    still render; any other refusal propagates (a 401 sends the person to sign in again).
    """
    return quietly(lambda: _listing("news", limit)["items"])


def open_calls(limit: int = 3) -> list[dict]:
    """The newest published calls (announcements of kind `call`); [] while the API is down.

    A call has no deadline in the announcements API: it is open while published, and staff
    withdraw it when it closes.
    """
    return quietly(lambda: _listing("call", limit)["items"])


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

    return quietly(fetch)


def _fetch(announcement_id: uuid.UUID) -> dict:
    """One announcement as the reader may see it; 404 otherwise, GoneError when withdrawn."""
    try:
        return api(
            "GET",
            announcements(f"/announcements/{announcement_id}"),
            params={"tz": moments.reader_zone()},
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


def _organisations(ids) -> dict[str, dict]:
    """The organisations shown on a page, by id (skipped when members refuses)."""
    found: dict[str, dict] = {}
    for organisation_id in {str(i) for i in ids if i}:
        try:
            found[organisation_id] = api("GET", members(f"/organisations/{organisation_id}")).json()
        except (ApiError, ApiUnavailable):
            continue
    return found


def _organisation_names(ids) -> dict[str, str]:
    """Names of the author organisations shown on a page (skipped when members refuses)."""
    return {key: org.get("name", "") for key, org in _organisations(ids).items()}


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
        zone=moments.reader_zone(),
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
    attendees = _attendees(item) if manages and item["kind"] == "event" else None
    return _render(
        "announcements/detail.html",
        attendees=attendees,
        registration_labels=REGISTRATION_LABELS,
        item=item,
        title=pick(item["title"], _language()),
        body_html=pick(item.get("body_html"), _language()),
        times=moments.event_times(item),
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
        zone=moments.reader_zone(),
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
            _unexplained(error)
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
            _unexplained(error)
        else:
            if done.get("status") == "cancelled":
                flash(_("Your registration is cancelled."), "success")
    return redirect(url_for("announcements.detail", announcement_id=announcement_id))


# --- Attendees, for the event's organisers and platform staff ---


def _registrations(announcement_id) -> dict | None:
    """The API's list of who has a place and who waits; None when it refuses the reader."""
    try:
        return api("GET", announcements(f"/announcements/{announcement_id}/registrations")).json()
    except ApiError as error:
        if error.status in (403, 404):
            return None
        raise


def _attendees(item: dict) -> dict | None:
    """Registrations in order (places, then the waiting list) with names and organisations,
    and their counts; None for a reader who may not see them."""
    listing = _registrations(item["id"])
    if listing is None:
        return None
    entries = [*listing.get("registered", []), *listing.get("waiting", [])]
    organisation_ids = {str(e["organisation_id"]) for e in entries if e.get("organisation_id")}
    organisations = _organisations(organisation_ids)
    rows = []
    for entry in entries:
        organisation = organisations.get(str(entry.get("organisation_id"))) or {}
        rows.append(
            {
                "name": entry.get("full_name"),
                "organisation": organisation.get("name") or "",
                "organisation_zh": organisation.get("name_zh") or "",
                "status": entry["status"],
                "requested_at": entry.get("requested_at"),
            }
        )
    return {
        "capacity": listing.get("capacity"),
        "registered": len(listing.get("registered", [])),
        "waiting": len(listing.get("waiting", [])),
        "rows": rows,
    }


def _cell(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def attendees_csv(attendees: dict) -> str:
    """The attendee list as CSV text, times in the reader's zone, with a BOM so that Excel
    reads it as UTF-8 (Chinese names intact)."""
    zone = moments.reader_zone()
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Full name"),
            _("Organisation"),
            _("Chinese name of the organisation"),
            _("Status"),
            _("Requested at (%(zone)s)", zone=zone),
        ]
    )
    for row in attendees["rows"]:
        requested = moments.parse(row["requested_at"])
        writer.writerow(
            [
                _cell(row["name"] or ""),
                _cell(row["organisation"]),
                _cell(row["organisation_zh"]),
                str(REGISTRATION_LABELS.get(row["status"], row["status"])),
                requested.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
                if requested
                else "",
            ]
        )
    return out.getvalue()


@bp.get("/<uuid:announcement_id>/attendees.csv", endpoint="attendees_csv")
@login_required
def attendees_download(announcement_id: uuid.UUID):
    """The attendee list as a spreadsheet; 403 for readers who do not organise the event."""
    item = _fetch(announcement_id)
    if item["kind"] != "event":
        abort(404)
    if not _manages(item):
        abort(403)
    attendees = _attendees(item)
    if attendees is None:
        abort(403)
    response = Response(attendees_csv(attendees).encode("utf-8"), mimetype="text/csv")
    response.charset = "utf-8"
    name = file_name(item).removesuffix(".ics")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}-attendees.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


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
    language = language if language in FEED_LANGUAGES else _language()
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
    item = _fetch(announcement_id)
    if item["kind"] != "event" or not item.get("starts_at"):
        abort(404)
    language = _language()
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
        zone = moments.reader_zone()
        form.timezone.data = zone if zone != "UTC" else "Europe/Paris"
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
    return _render(
        "announcements/edit.html", form=form, kind=kind, item=None, zone=moments.reader_zone()
    )


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
    return _render(
        "announcements/edit.html", form=form, kind=kind, item=item, zone=moments.reader_zone()
    )


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
        body["publish_at"] = moments.from_wall_time(form.publish_at.data).isoformat()
    try:
        done = api(
            "POST", announcements(f"/announcements/{announcement_id}/publish"), json=body
        ).json()
    except ApiError as error:
        if error.status in (403, 404):
            abort(403)
        _unexplained(error)
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
    if form.validate_on_submit() and not confirmation.confirmed():
        return confirmation.ask(
            title=_("Withdraw this announcement?"),
            consequence=_(
                "It leaves the lists, feeds and calendars at once; readers following a link to "
                "it are told it was withdrawn. This cannot be undone."
            ),
            button=_("Withdraw the announcement"),
            back=url_for("announcements.detail", announcement_id=announcement_id),
        )
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
            _unexplained(error)
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
