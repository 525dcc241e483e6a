"""The notifications inbox and the person's preferences, and the header's unread count."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from .. import moments
from ..api_client import ApiError, notifications
from ..auth import api, current_person, login_required
from ..badge import unread_count
from ..forms import EmptyForm, flash_refusal, show_api_error
from ..notification_forms import MODES, category_field, preferences_form
from ..redirects import safe_path

log = logging.getLogger(__name__)
bp = Blueprint("notifications", __name__, url_prefix="/notifications")
moments.install(bp)
PAGE_SIZE = 20
# Where a notification leads when it carries no link of its own: the page of its kind.
PLACES = {
    "organisation": "organisation.mine",
    "project": "projects.index",
    "announcement": "announcements.index",
    "webhook": "integrations.index",
}


def target(item: dict) -> str | None:
    """Where a notification leads: its own link when it is a path of this site, else the
    page of the kind of thing it is about (when that page exists)."""
    link = safe_path(item.get("link"), "")
    if link:
        return link
    endpoint = PLACES.get((item.get("type") or "").split(".", 1)[0])
    if endpoint and endpoint in current_app.view_functions:
        if endpoint == "integrations.index" and (current_person() or {}).get("role") != "org_admin":
            return None
        return url_for(endpoint)
    return None


@bp.get("")
@login_required
def inbox():
    unread_only = request.args.get("show") == "unread"
    cursor = request.args.get("cursor") or None
    params = {"limit": PAGE_SIZE, "cursor": cursor, "unread": "true" if unread_only else None}
    try:
        listing = api("GET", notifications("/inbox"), params=params).json()
    except ApiError as error:
        if cursor and error.status in (400, 422):  # a cursor cut short or edited: start again
            return redirect(url_for("notifications.inbox", show=request.args.get("show")))
        raise
    for item in listing["items"]:
        item["target"] = target(item)
    return render_template(
        "notifications/inbox.html",
        listing=listing,
        unread_only=unread_only,
        cursor=cursor,
        count=unread_count(),
        action=EmptyForm(),
    )


def _back():
    """The inbox page the person acted from (only a path of the inbox itself)."""
    inbox = url_for("notifications.inbox")
    back = safe_path(request.form.get("back"), inbox)
    return back if back.startswith(inbox) else inbox


@bp.post("/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int):
    if EmptyForm().validate_on_submit():
        try:
            api("POST", notifications(f"/inbox/{notification_id}/read"))
        except ApiError as error:
            _unexplained_or_gone(error)
    return redirect(_back())


@bp.post("/<int:notification_id>/open")
@login_required
def open_item(notification_id: int):
    """Mark one read and go to what it is about."""
    if not EmptyForm().validate_on_submit():
        return redirect(_back())
    try:
        item = api("POST", notifications(f"/inbox/{notification_id}/read")).json()
    except ApiError as error:
        _unexplained_or_gone(error)
        return redirect(_back())
    return redirect(target(item) or _back())


@bp.post("/<int:notification_id>/delete")
@login_required
def delete(notification_id: int):
    if EmptyForm().validate_on_submit():
        try:
            api("DELETE", notifications(f"/inbox/{notification_id}"))
        except ApiError as error:
            _unexplained_or_gone(error)
        else:
            flash(_("The notification is deleted."), "success")
    return redirect(_back())


@bp.post("/read-all")
@login_required
def read_all():
    if EmptyForm().validate_on_submit():
        marked = api("POST", notifications("/inbox/read-all")).json().get("marked", 0)
        if marked:
            flash(_("All your notifications are marked as read."), "success")
    return redirect(url_for("notifications.inbox"))


def _unexplained_or_gone(error: ApiError) -> None:
    if error.status == 404:
        flash(_("This notification is no longer in your inbox."), "error")
    else:
        flash_refusal(error)


def _initial(current: dict) -> dict:
    data = {category_field(c["category"]): c["mode"] for c in current["categories"]}
    hours = current.get("quiet_hours")
    data.update(
        quiet=bool(hours),
        quiet_start=(hours or {}).get("start", "22:00"),
        quiet_end=(hours or {}).get("end", "07:00"),
    )
    return data


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    current = api("GET", notifications("/preferences")).json()
    form = preferences_form(
        current["categories"], data=_initial(current) if request.method == "GET" else None
    )
    if form.validate_on_submit():
        body = {
            "categories": {c: f.data for c, f, _critical in form.choices_of()},
            "quiet_hours": {
                "start": form.quiet_start.data.strip(),
                "end": form.quiet_end.data.strip(),
            }
            if form.quiet.data
            else None,
        }
        try:
            api("PATCH", notifications("/preferences"), json=body)
        except ApiError as error:
            if not show_api_error(form, error):
                flash_refusal(error)
        else:
            flash(_("Your notification preferences are saved."), "success")
            return redirect(url_for("notifications.preferences"))
    return render_template(
        "notifications/preferences.html",
        form=form,
        modes=MODES,
        zone=(current_person() or {}).get("timezone") or "UTC",
    )
