"""A person's own data: download a copy of everything, or delete the account.

Both go through members' API with the person's token; the archive is passed through to the
browser, never kept by the portal. Deleting signs the person out at once.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..api_client import ApiError, members
from ..auth import api, login_required, sign_out
from ..forms import AccountDeletionForm, EmptyForm, show_api_error
from ..problem_messages import problem

bp = Blueprint("personal_data", __name__)


@bp.route("/account/data", methods=["GET", "POST"])
@login_required
def data():
    form = EmptyForm()
    if form.validate_on_submit():
        api("POST", members("/me/exports"))
        flash(_("Your copy is being prepared. This page shows when it is ready."), "success")
        return redirect(url_for("personal_data.data"))
    exports = api("GET", members("/me/exports")).json()
    return render_template("account/data.html", form=form, exports=exports)


@bp.route("/account/data/<uuid:export_id>/download")
@login_required
def download(export_id):
    try:
        archive = api("GET", members(f"/me/exports/{export_id}/download"))
    except ApiError as error:
        flash(
            problem(error.code) if error.code else _("This copy can no longer be downloaded."),
            "error",
        )
        return redirect(url_for("personal_data.data"))
    return Response(
        archive.content,
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="my-data-{export_id}.zip"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete():
    form = AccountDeletionForm()
    last_member = False
    if form.validate_on_submit():
        body = {"password": form.password.data, "close_organisation": form.close_organisation.data}
        try:
            api("DELETE", members("/me"), json=body)
        except ApiError as error:
            last_member = (error.body or {}).get("code") == "account.last_member"
            if last_member:
                flash(
                    _(
                        "You are the only person of your organisation. Tick the box to close "
                        "it with your account, or invite someone and make them admin first."
                    ),
                    "error",
                )
            elif not show_api_error(form, error):
                flash(problem(error.code), "error")
        else:
            sign_out()
            flash(_("Your account is deleted. Everything that named you is erased."), "success")
            return redirect(url_for("public.home"))
    return render_template("account/delete.html", form=form, last_member=last_member)
