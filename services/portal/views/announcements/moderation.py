"""Moderation of organisations' news by platform staff."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from shared.i18n import pick

from ... import panels
from ...announcement_forms import RejectForm
from ...api_client import ApiError, announcements
from ...auth import api, platform_admin_required
from ...forms import EmptyForm, show_refusal
from .common import PAGE_SIZE, bp, fetch_announcement, reader_language, render_page

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
    names = panels.organisation_names(i.get("author_organisation_id") for i in page["items"])
    return render_page("announcements/moderation.html", page=page, names=names)


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
    item = fetch_announcement(announcement_id)
    author = item.get("author_organisation_id")
    return render_page(
        "announcements/review.html",
        item=item,
        title=pick(item["title"], reader_language()),
        body_html=pick(item.get("body_html"), reader_language()),
        author_name=panels.organisation_names([author]).get(str(author)) if author else None,
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
        show_refusal(form, error)
        return None
