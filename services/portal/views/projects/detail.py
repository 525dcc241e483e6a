"""A project's page and what is done on it: state changes, the call, applications, milestones."""

from __future__ import annotations

import datetime as dt
import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from shared.i18n import pick

from ... import confirmation, moments, panels
from ...api_client import ApiError, projects
from ...auth import api, current_person, login_required
from ...forms import EmptyForm, flash_refusal
from ...problem_messages import field as field_message
from ...problem_messages import problem
from ...project_forms import (
    LANGUAGES,
    ApplicationForm,
    DecisionForm,
    MilestoneForm,
    ProgressForm,
    ProjectForm,
    ReopenCallForm,
    TransitionForm,
    show_project_error,
)
from .common import (
    CONFIRMED_TRANSITIONS,
    PARTNER_SUGGESTIONS,
    STATE_LABELS,
    TRANSITION_LABELS,
    Reader,
    _language,
    _nested_headings,
    _project,
    bp,
    deadline_ahead,
)


def _render_detail(project_id, **forms):
    signed_in = current_person() is not None
    try:
        project = _project(project_id)
    except ApiError as error:
        if error.status == 404 and not signed_in:
            # Members-only or unknown: signing in may show it (existence is not disclosed).
            return redirect(url_for("account.sign_in", next=request.full_path.rstrip("?")))
        raise
    reader = Reader(project)
    applications, history = [], []
    if signed_in:
        applications = api("GET", projects(f"/projects/{project_id}/applications")).json()
        history = api("GET", projects(f"/projects/{project_id}/history")).json()
    ours = [a for a in applications if str(a["organisation_id"]) == reader.organisation_id]
    received = applications if reader.is_owner else []
    owner_id = project["owner"].get("id")
    organisations = panels.organisations(
        [owner_id, *(p["organisation_id"] for p in project["partners"])]
        + [a["organisation_id"] for a in received]
    )
    suggestions = []
    if reader.is_owner and project["state"] in ("draft", "open"):
        try:
            suggestions = api(
                "GET",
                projects(f"/projects/{project_id}/recommended-partners"),
                params={"limit": PARTNER_SUGGESTIONS, "lang": _language()},
            ).json()
        except ApiError:
            suggestions = []
    pending = any(a["status"] == "pending" for a in ours)
    can_apply = (
        reader.organisation_id is not None
        and not reader.is_owner
        and not reader.is_partner
        and not pending
        and project["state"] == "open"
        and deadline_ahead(project.get("call"))
    )
    decision_forms = forms.pop("decision_forms", {})
    if reader.is_owner_admin:
        for application in received:
            if application["status"] == "pending" and application["id"] not in decision_forms:
                decision_forms[application["id"]] = DecisionForm(prefix=f"a{application['id']}")
    progress_forms = {}
    if reader.is_owner and project["state"] == "active":
        for milestone in project["milestones"]:
            progress_forms[milestone["id"]] = ProgressForm(
                prefix=f"m{milestone['id']}", data={"progress": milestone["progress"]}
            )
    language = _language()
    return render_template(
        "projects/detail.html",
        project=project,
        reader=reader,
        title=pick(project["title"], language) or "",
        summary=pick(project["summary"], language) or "",
        description_html=_nested_headings(pick(project.get("description_html"), language)),
        organisations=organisations,
        ours=ours,
        received=received,
        history=history,
        suggestions=suggestions,
        can_apply=can_apply,
        signed_in=signed_in,
        apply_form=forms.get("apply_form") or ApplicationForm(),
        decision_forms=decision_forms,
        transition_form=TransitionForm(),
        reopen_form=forms.get("reopen_form") or ReopenCallForm(),
        milestone_form=forms.get("milestone_form") or MilestoneForm(),
        progress_forms=progress_forms,
    )


@bp.get("/<uuid:project_id>")
def detail(project_id: uuid.UUID):
    """Published public projects for anyone; the rest as the API lets the signed-in reader see."""
    return _render_detail(project_id)


@bp.post("/<uuid:project_id>/state")
@login_required
def change_state(project_id: uuid.UUID):
    form = TransitionForm()
    to_state = request.form.get("to_state", "")
    if to_state not in TRANSITION_LABELS or not form.validate_on_submit():
        flash(_("The request was refused."), "error")
        return redirect(url_for("projects.detail", project_id=project_id))
    if to_state in CONFIRMED_TRANSITIONS and not confirmation.confirmed():
        title, consequence = CONFIRMED_TRANSITIONS[to_state]
        return confirmation.ask(
            title=str(title),
            consequence=str(consequence),
            button=str(TRANSITION_LABELS[to_state]),
            back=url_for("projects.detail", project_id=project_id),
            danger=to_state == "cancelled",
        )
    body = {"to_state": to_state, "note": (form.note.data or "").strip() or None}
    try:
        api("POST", projects(f"/projects/{project_id}/transitions"), json=body)
    except ApiError as error:
        if error.status == 404:
            abort(404)
        specific = ProjectForm.FIELD_MESSAGES
        messages = [field_message(entry, specific, error.code) for entry in error.errors]
        flash(" ".join(messages) if messages else problem(error.code), "error")
    else:
        flash(
            _("The project is now: %(state)s.", state=STATE_LABELS[to_state]),
            "success",
        )
    return redirect(url_for("projects.detail", project_id=project_id))


def _send(project_id, method: str, path: str, done: str, body=None, form=None, **shown):
    """One action on a project through the API, then back to its page: `done` flashed on
    success; an error the form's fields explain shows the page again with that form (`shown`
    names it); any other refusal is flashed. An unknown project or application is a 404."""
    try:
        api(method, projects(path), json=body)
    except ApiError as error:
        if error.status == 404:
            abort(404)
        if form is not None and show_project_error(form, error):
            return _render_detail(project_id, **shown)
        flash_refusal(error)
    else:
        flash(done, "success")
    return redirect(url_for("projects.detail", project_id=project_id))


@bp.get("/<uuid:project_id>/applications")
def applications_of(project_id: uuid.UUID):
    """Reloading the page a refused application showed: back to the project (no 405)."""
    return redirect(url_for("projects.detail", project_id=project_id) + "#apply-title")


@bp.post("/<uuid:project_id>/call")
@login_required
def reopen_call(project_id: uuid.UUID):
    """An open project whose call closed (its deadline passed) takes applications again until a
    new deadline: the projects API reopens a call when its deadline changes."""
    form = ReopenCallForm()
    if not form.validate_on_submit():
        return _render_detail(project_id, reopen_form=form)
    deadline = moments.from_wall_time(form.call_deadline.data).astimezone(dt.UTC)
    return _send(
        project_id,
        "PATCH",
        f"/projects/{project_id}",
        _(
            "The call for partners is open again until %(moment)s.",
            moment=moments.local_moment(deadline.isoformat()),
        ),
        {"call_deadline": deadline.isoformat()},
        form,
        reopen_form=form,
    )


@bp.post("/<uuid:project_id>/applications")
@login_required
def apply(project_id: uuid.UUID):
    form = ApplicationForm()
    if not form.validate_on_submit():
        return _render_detail(project_id, apply_form=form)
    return _send(
        project_id,
        "POST",
        f"/projects/{project_id}/applications",
        _("Your application is sent. The project's owner will decide on it."),
        {"message": form.message.data.strip()},
        form,
        apply_form=form,
    )


@bp.post("/<uuid:project_id>/applications/<uuid:application_id>/decision")
@login_required
def decide(project_id: uuid.UUID, application_id: uuid.UUID):
    form = DecisionForm(prefix=f"a{application_id}")
    forms = {"decision_forms": {str(application_id): form}}
    if not form.validate_on_submit():
        return _render_detail(project_id, **forms)
    body = {
        "decision": form.decision.data,
        "role": form.role.data or "partner",
        "reason": (form.reason.data or "").strip() or None,
    }
    if form.decision.data == "accepted":
        done = _("The application is accepted: the organisation is now a partner.")
    else:
        done = _("The application is declined.")
    path = f"/applications/{application_id}/decision"
    return _send(project_id, "POST", path, done, body, form, **forms)


@bp.post("/<uuid:project_id>/applications/<uuid:application_id>/withdrawal")
@login_required
def withdraw(project_id: uuid.UUID, application_id: uuid.UUID):
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("projects.detail", project_id=project_id))
    if not confirmation.confirmed():
        return confirmation.ask(
            title=_("Withdraw this application?"),
            consequence=_("The project's owner no longer decides on it. This cannot be undone."),
            button=_("Withdraw the application"),
            back=url_for("projects.detail", project_id=project_id),
        )
    path = f"/applications/{application_id}/withdrawal"
    return _send(project_id, "POST", path, _("Your application is withdrawn."))


@bp.post("/<uuid:project_id>/milestones")
@login_required
def add_milestone(project_id: uuid.UUID):
    form = MilestoneForm()
    if not form.validate_on_submit():
        return _render_detail(project_id, milestone_form=form)
    body = {
        "title": {code: (form[f"title_{code}"].data or "").strip() for code in LANGUAGES},
        "starts_on": form.starts_on.data.isoformat() if form.starts_on.data else None,
        "due_on": form.due_on.data.isoformat(),
        "progress": form.progress.data or 0,
    }
    path = f"/projects/{project_id}/milestones"
    done = _("The milestone is added.")
    return _send(project_id, "POST", path, done, body, form, milestone_form=form)


@bp.post("/<uuid:project_id>/milestones/<uuid:milestone_id>")
@login_required
def update_milestone(project_id: uuid.UUID, milestone_id: uuid.UUID):
    form = ProgressForm(prefix=f"m{milestone_id}")
    if not form.validate_on_submit():
        flash(_("Give a number from 0 to 100."), "error")
        return redirect(url_for("projects.detail", project_id=project_id))
    path = f"/projects/{project_id}/milestones/{milestone_id}"
    body = {"progress": form.progress.data}
    return _send(project_id, "PATCH", path, _("The progress is saved."), body)
