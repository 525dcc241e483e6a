"""Writing a project: the new-project and edit forms."""

from __future__ import annotations

import datetime as dt
import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ... import i18n, moments, panels
from ...api_client import ApiError, projects
from ...auth import api, login_required
from ...forms import flash_refusal
from ...project_forms import (
    CURRENCIES,
    LANGUAGES,
    ProjectForm,
    links_text,
    show_project_error,
    split_links,
    split_words,
)
from .common import (
    BRIDGE,
    CALL_STATES,
    DISCRETION,
    KIND_LABELS,
    VISIBILITY_LABELS,
    Reader,
    _language,
    _project,
    bp,
)


def _choices(form: ProjectForm, *, editing: bool, project: dict | None = None) -> None:
    language = _language()
    form.kind.choices = [("", "—"), *[(k, str(v)) for k, v in KIND_LABELS.items()]]
    form.sectors.choices = i18n.choices("sector", language)
    countries = i18n.country_choices(language)
    # The platform's two countries first: most calls seek a partner in one of them.
    form.seeks_countries.choices = [c for c in countries if c[0] in BRIDGE] + [
        c for c in countries if c[0] not in BRIDGE
    ]
    form.seeks_kinds.choices = i18n.choices("kind", language)
    form.budget_currency.choices = [("", "—"), *[(c, c) for c in CURRENCIES]]
    form.visibility.choices = [(k, str(v)) for k, v in VISIBILITY_LABELS.items()]
    discretion = [(k, str(v)) for k, v in DISCRETION.items()]
    form.discretion.choices = discretion


def _form_data(project: dict) -> dict:
    texts = {}
    for name in ("title", "summary", "description"):
        for code in LANGUAGES:
            texts[f"{name}_{code}"] = (project.get(name) or {}).get(code, "")
    sought = project.get("partner_sought") or {}
    money = project.get("budget") or {}
    discretion = "discreet" if (project.get("owner") or {}).get("discreet") else "shown"
    return {
        **texts,
        "kind": project["kind"],
        "sectors": project.get("sectors") or [],
        "keywords": ", ".join(project.get("keywords") or []),
        "seeks_countries": sought.get("countries") or [],
        "seeks_kinds": sought.get("kinds") or [],
        "seeks_skills": ", ".join(sought.get("skills") or []),
        "starts_on": dt.date.fromisoformat(project["starts_on"])
        if project.get("starts_on")
        else None,
        "ends_on": dt.date.fromisoformat(project["ends_on"]) if project.get("ends_on") else None,
        "budget_min": money.get("min"),
        "budget_max": money.get("max"),
        "budget_currency": money.get("currency") or "",
        "funding_scheme": project.get("funding_scheme") or "",
        "visibility": project.get("visibility") or "members",
        "discretion": discretion,
        "call_deadline": moments.wall_time((project.get("call") or {}).get("deadline")),
        "attachments": links_text(project.get("attachments")),
    }


def _payload(form: ProjectForm, project: dict | None = None) -> dict:
    """The API body from the form; on an edit, the deadline only when it changed."""

    def texts(name: str) -> dict:
        return {code: (form[f"{name}_{code}"].data or "").strip() for code in LANGUAGES}

    def optional_text(value: str | None) -> str | None:
        return value.strip() if value and value.strip() else None

    body = {
        "kind": form.kind.data,
        "title": texts("title"),
        "summary": texts("summary"),
        "description": texts("description"),
        "sectors": form.sectors.data,
        "keywords": split_words(form.keywords.data),
        "seeks_countries": form.seeks_countries.data or [],
        "seeks_kinds": form.seeks_kinds.data or [],
        "seeks_skills": split_words(form.seeks_skills.data),
        "starts_on": form.starts_on.data.isoformat() if form.starts_on.data else None,
        "ends_on": form.ends_on.data.isoformat() if form.ends_on.data else None,
        "budget_min": form.budget_min.data,
        "budget_max": form.budget_max.data,
        "budget_currency": form.budget_currency.data or None,
        "funding_scheme": optional_text(form.funding_scheme.data),
        "visibility": form.visibility.data,
        "attachments": split_links(form.attachments.data),
    }
    if form.discretion.data:
        body["anonymous"] = form.discretion.data == "discreet"
    deadline = form.call_deadline.data
    before = moments.wall_time(((project or {}).get("call") or {}).get("deadline"))
    if project is None or (project["state"] in CALL_STATES and deadline != before):
        body["call_deadline"] = (
            moments.from_wall_time(deadline).astimezone(dt.UTC).isoformat() if deadline else None
        )
    return body


# Pages.


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    organisation_id = panels.reader_organisation_id()
    if organisation_id is None:
        abort(403)
    organisation = panels.organisations([organisation_id]).get(organisation_id) or {}
    status = organisation.get("status")
    if request.method == "GET" and status not in ("verified", "pending"):
        return render_template("projects/unverified.html", organisation=organisation or None)
    form = ProjectForm(
        data={"visibility": "members", "discretion": "shown"} if request.method == "GET" else None
    )
    _choices(form, editing=False)
    if form.validate_on_submit():
        try:
            created = api("POST", projects("/projects"), json=_payload(form)).json()
        except ApiError as error:
            if not show_project_error(form, error):
                flash_refusal(error)
        else:
            flash(
                _(
                    "The project is saved as a draft. Publish it when you are ready to open "
                    "its call for partners."
                ),
                "success",
            )
            return redirect(url_for("projects.detail", project_id=created["id"]))
    # A pending organisation writes drafts; it publishes them once verified (the trust policy).
    return render_template(
        "projects/form.html", form=form, project=None, pending=status == "pending"
    )


@bp.route("/<uuid:project_id>/edit", methods=["GET", "POST"])
@login_required
def edit(project_id: uuid.UUID):
    project = _project(project_id)
    reader = Reader(project)
    if not reader.is_owner:
        abort(403)
    if not reader.can_edit:
        flash(_("A completed or cancelled project is not edited any more."), "error")
        return redirect(url_for("projects.detail", project_id=project_id))
    form = ProjectForm(data=_form_data(project) if request.method == "GET" else None)
    _choices(form, editing=True, project=project)
    if form.validate_on_submit():
        try:
            api("PATCH", projects(f"/projects/{project_id}"), json=_payload(form, project))
        except ApiError as error:
            if error.status == 403:
                abort(403)
            if not show_project_error(form, error):
                flash_refusal(error)
        else:
            flash(_("The project is saved."), "success")
            return redirect(url_for("projects.detail", project_id=project_id))
    return render_template("projects/form.html", form=form, project=project)
