"""Writing: organisations' news, staff's news, events and calls; publishing, withdrawing."""

from __future__ import annotations

import uuid
from datetime import datetime

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from ... import confirmation, i18n, moments
from ...announcement_forms import (
    EventForm,
    NewsForm,
    PublishForm,
    StaffForm,
    WithdrawForm,
    split_tags,
)
from ...api_client import ApiError, ApiUnavailable, announcements, members
from ...auth import api, current_person, login_required, platform_admin_required
from ...forms import flash_refusal, show_refusal
from .common import (
    FEED_LANGUAGES,
    PAGE_SIZE,
    SCOPE_LABELS,
    STATUS_LABELS,
    bp,
    fetch_announcement,
    is_org_admin,
    is_staff,
    manages,
    may_edit,
    reader_language,
    render_page,
)

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
    if kind == "call" or is_staff():
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
    _choices(form, reader_language())
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
            show_refusal(form, error)
        else:
            flash(_("The draft is saved. Check it, then publish it from this page."), "success")
            return redirect(url_for("announcements.detail", announcement_id=created["id"]))
    return render_page(
        "announcements/edit.html", form=form, kind=kind, item=None, zone=moments.reader_zone()
    )


def _org_admin_or_staff(view):
    """Organisation admins (their news) and platform staff only."""
    from functools import wraps

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not (is_staff() or is_org_admin()):
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
    item = fetch_announcement(announcement_id)
    if not manages(item):
        abort(403)
    if not may_edit(item):
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
    _choices(form, reader_language())
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
            show_refusal(form, error)
        else:
            flash(_("The announcement is saved."), "success")
            return redirect(url_for("announcements.detail", announcement_id=announcement_id))
    return render_page(
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
    if is_staff() and form.publish_at.data:
        body["publish_at"] = moments.from_wall_time(form.publish_at.data).isoformat()
    try:
        done = api(
            "POST", announcements(f"/announcements/{announcement_id}/publish"), json=body
        ).json()
    except ApiError as error:
        if error.status in (403, 404):
            abort(403)
        flash_refusal(error)
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
            flash_refusal(error)
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
    return render_page(
        "announcements/mine.html",
        page=page,
        status=status,
        is_staff=is_staff(),
        editable=[i["id"] for i in page["items"] if may_edit(i)],
    )
