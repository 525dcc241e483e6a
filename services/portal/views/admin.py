"""Platform staff: organisations to verify, suspend or reinstate, with a reason."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..api_client import ApiError, members
from ..auth import api, platform_admin_required
from ..forms import ReasonForm, SuspendForm, flash_refusal, show_api_error

bp = Blueprint("admin", __name__, url_prefix="/admin")
STATUSES = ("pending", "verified", "suspended")


@bp.get("/organisations")
@platform_admin_required
def organisations():
    status = request.args.get("status", "pending")
    if status not in STATUSES:
        status = "pending"
    listing = api(
        "GET",
        members("/organisations"),
        params={"status": status, "limit": 50, "cursor": request.args.get("cursor")},
    ).json()
    return render_template(
        "admin/organisations.html", listing=listing, status=status, statuses=STATUSES
    )


def _fetch(organisation_id: uuid.UUID) -> dict:
    try:
        return api("GET", members(f"/organisations/{organisation_id}")).json()
    except ApiError as error:
        if error.status == 404:
            abort(404)
        raise


def _registrant(organisation_id: uuid.UUID) -> dict | None:
    """Who registered the organisation: its first administrator (name, e-mail), when known."""
    try:
        page = api(
            "GET", members(f"/organisations/{organisation_id}/members"), params={"limit": 10}
        ).json()
    except ApiError:
        return None
    admins = [m for m in page.get("items") or [] if m.get("role") == "org_admin"]
    return admins[0] if admins else None


def _decide(organisation_id: uuid.UUID, action: str, form, done: str):
    try:
        api(
            "POST",
            members(f"/organisations/{organisation_id}/{action}"),
            json={"reason": (form.reason.data or "").strip() or None},
        )
    except ApiError as error:
        if not show_api_error(form, error):
            flash_refusal(error)
        return None
    flash(done, "success")
    return redirect(url_for("admin.organisations"))


@bp.route("/organisations/<uuid:organisation_id>", methods=["GET", "POST"])
@platform_admin_required
def organisation(organisation_id: uuid.UUID):
    verify, suspend = ReasonForm(prefix="verify"), SuspendForm(prefix="suspend")
    if request.method == "POST":
        action = request.form.get("action")
        if action == "verify" and verify.validate_on_submit():
            done = _decide(organisation_id, "verify", verify, _("The organisation is verified."))
            if done:
                return done
        if action in ("suspend", "reject") and suspend.validate_on_submit():
            done = _decide(
                organisation_id,
                "suspend",
                suspend,
                _("The registration is rejected.")
                if action == "reject"
                else _("The organisation is suspended."),
            )
            if done:
                return done
    org = _fetch(organisation_id)
    return render_template(
        "admin/organisation.html",
        org=org,
        verify=verify,
        suspend=suspend,
        registrant=_registrant(organisation_id),
    )
