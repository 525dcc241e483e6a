"""Contact outside events: a meeting asked of another organisation from its profile or a
project, with up to three proposed times; the other side accepts one or declines; either cancels.

The announcements API holds the requests and decides who may do what (people of verified
organisations; the two organisations alone read a request). Each time is shown in both sides'
zones (their parks') and in the reader's.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import confirmation, moments, panels, standing
from ..api_client import ApiError, ApiUnavailable, announcements, members
from ..auth import api, current_person, login_required
from ..contact_forms import AcceptForm, ContactForm, NoteForm
from ..forms import flash_refusal, show_api_error

bp = Blueprint("contacts", __name__, url_prefix="/contacts")
moments.install(bp)

STATUS_LABELS = {
    "requested": _l("Waiting for an answer"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "cancelled": _l("Cancelled"),
}
OPEN = ("requested", "accepted")


def _language() -> str:
    return str(get_locale())


def _organisation(organisation_id) -> dict | None:
    try:
        return api("GET", members(f"/organisations/{organisation_id}")).json()
    except (ApiError, ApiUnavailable):
        return None


def may_ask(organisation: dict) -> bool:
    """Whether the signed-in reader may ask `organisation` for a meeting (the link's rule)."""
    person = current_person() or {}
    return bool(
        person.get("organisation_id")
        and str(person["organisation_id"]) != str(organisation.get("id"))
        and organisation.get("status") == "verified"
        and standing.organisation_status_of_reader() == "verified"
    )


@bp.app_context_processor
def _helpers():
    return {"may_ask_for_meeting": may_ask}


def _contact(contact_id) -> dict:
    try:
        return api(
            "GET",
            announcements(f"/contacts/{contact_id}"),
            params={"tz": moments.reader_zone()},
        ).json()
    except ApiError as error:
        if error.status in (403, 404, 422):
            abort(404)
        raise


def _side(contact: dict) -> str:
    """`recipient` when the reader's organisation was asked, else `requester`."""
    mine = str((current_person() or {}).get("organisation_id"))
    return "recipient" if str(contact["recipient_organisation_id"]) == mine else "requester"


@bp.get("")
@login_required
def index():
    """Requests received and sent by the reader's organisation, newest first."""
    try:
        found = api("GET", announcements("/contacts"), params={"tz": moments.reader_zone()}).json()
    except ApiError as error:
        if error.status not in (400, 403, 422):
            raise
        flash_refusal(error)
        found = []
    names = panels.organisations(
        o for c in found for o in (c["requester_organisation_id"], c["recipient_organisation_id"])
    )
    mine = str((current_person() or {}).get("organisation_id"))
    received = [c for c in found if str(c["recipient_organisation_id"]) == mine]
    sent = [c for c in found if str(c["requester_organisation_id"]) == mine]
    return render_template(
        "contacts/index.html",
        received=received,
        sent=sent,
        names=names,
        status_labels=STATUS_LABELS,
    )


@bp.route("/new/<uuid:organisation_id>", methods=["GET", "POST"])
@login_required
def new(organisation_id: uuid.UUID):
    """Ask an organisation for a meeting, about one of its projects or not."""
    organisation = _organisation(organisation_id)
    if organisation is None:
        abort(404)
    project_id = request.args.get("project")
    try:
        project_id = str(uuid.UUID(project_id)) if project_id else None
    except ValueError:
        project_id = None
    form = ContactForm()
    if form.validate_on_submit():
        try:
            created = api(
                "POST",
                announcements("/contacts"),
                json=form.payload(str(organisation_id), project_id),
            ).json()
        except ApiError as error:
            if not show_api_error(form, error):
                flash_refusal(error)
        else:
            flash(
                _("Your request is sent to %(name)s.", name=organisation.get("name", "")),
                "success",
            )
            return redirect(url_for("contacts.detail", contact_id=created["id"]))
    return render_template(
        "contacts/new.html",
        form=form,
        organisation=organisation,
        project_id=project_id,
        may=may_ask(organisation),
        zone=moments.reader_zone(),
    )


@bp.get("/<uuid:contact_id>")
@login_required
def detail(contact_id: uuid.UUID):
    contact = _contact(contact_id)
    side = _side(contact)
    names = panels.organisations(
        [contact["requester_organisation_id"], contact["recipient_organisation_id"]]
    )
    accept = AcceptForm()
    accept.starts_at.choices = [(t["starts_at"]["utc"], "") for t in contact["proposed_times"]]
    return render_template(
        "contacts/detail.html",
        contact=contact,
        side=side,
        names=names,
        status_labels=STATUS_LABELS,
        accept_form=accept,
        decline_form=NoteForm(prefix="decline"),
        cancel_form=NoteForm(prefix="cancel"),
        may_decide=side == "recipient" and contact["status"] == "requested",
        may_cancel=contact["status"] in OPEN,
    )


def _decided(contact_id, action: str, body: dict, done: str):
    try:
        api("POST", announcements(f"/contacts/{contact_id}/{action}"), json=body)
    except ApiError as error:
        if error.status in (403, 404):
            abort(error.status)
        flash_refusal(error)
    else:
        flash(done, "success")
    return redirect(url_for("contacts.detail", contact_id=contact_id))


@bp.post("/<uuid:contact_id>/accept")
@login_required
def accept(contact_id: uuid.UUID):
    form = AcceptForm()
    form.starts_at.choices = [
        (t["starts_at"]["utc"], "") for t in _contact(contact_id)["proposed_times"]
    ]
    if not form.validate_on_submit():
        flash(_("Choose one of the proposed times."), "error")
        return redirect(url_for("contacts.detail", contact_id=contact_id))
    return _decided(
        contact_id,
        "accept",
        {"starts_at": form.starts_at.data},
        _("The meeting is accepted: both organisations have it in their calendar file."),
    )


@bp.post("/<uuid:contact_id>/decline")
@login_required
def decline(contact_id: uuid.UUID):
    form = NoteForm(prefix="decline")
    if not form.validate_on_submit():
        flash(_("The note is too long."), "error")
        return redirect(url_for("contacts.detail", contact_id=contact_id))
    note = (form.note.data or "").strip() or None
    return _decided(contact_id, "decline", {"note": note}, _("The request is declined."))


@bp.post("/<uuid:contact_id>/cancel")
@login_required
def cancel(contact_id: uuid.UUID):
    form = NoteForm(prefix="cancel")
    if not form.validate_on_submit():
        flash(_("The note is too long."), "error")
        return redirect(url_for("contacts.detail", contact_id=contact_id))
    if not confirmation.confirmed():
        return confirmation.ask(
            title=_("Cancel this meeting?"),
            consequence=_(
                "The other organisation is told at once. To meet later, send a new request."
            ),
            button=_("Cancel the meeting"),
            back=url_for("contacts.detail", contact_id=contact_id),
        )
    note = (form.note.data or "").strip() or None
    return _decided(contact_id, "cancel", {"note": note}, _("The meeting is cancelled."))


@bp.get("/<uuid:contact_id>/meeting.ics")
@login_required
def ics(contact_id: uuid.UUID):
    """The accepted meeting as a calendar file, in the reader's language."""
    try:
        upstream = api(
            "GET",
            announcements(f"/contacts/{contact_id}/ics"),
            params={"lang": _language()},
        )
    except ApiError as error:
        if error.status in (403, 404, 409, 422):
            abort(404)
        raise
    response = Response(upstream.content, mimetype="text/calendar")
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="meeting-{contact_id}.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
