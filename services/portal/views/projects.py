"""Projects: search, detail, create and edit, state changes, applications, matchmaking.

Every page calls the projects API as the signed-in person, who sees what the API lets them see:
a discreet owner stays discreet, a draft is its owner's alone. The API decides who may do what;
the pages only hide the actions it would refuse, and show its refusals when it does.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from babel.numbers import format_decimal
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from shared.i18n import pick

from .. import confirmation, i18n, moments, panels
from ..api_client import ApiError, projects
from ..auth import api, current_person, login_required
from ..forms import EmptyForm
from ..problem_messages import field as field_message
from ..problem_messages import problem
from ..project_forms import (
    CURRENCIES,
    LANGUAGES,
    ApplicationForm,
    DecisionForm,
    MilestoneForm,
    ProgressForm,
    ProjectForm,
    ReopenCallForm,
    TransitionForm,
    links_text,
    show_project_error,
    split_links,
    split_words,
)

bp = Blueprint("projects", __name__, url_prefix="/projects")
moments.install(bp)
PAGE_SIZE = 20
FILTERS = ("q", "kind", "sector", "state", "country", "seeks_country", "seeks_kind")
PARTNER_SUGGESTIONS = 5
BRIDGE = ("FR", "CN")
CALL_STATES = ("draft", "open")  # the states whose call for partners the owner may set

KIND_LABELS = {
    "technology_offer": _l("Technology offer"),
    "technology_request": _l("Technology request"),
    "business_offer": _l("Business offer"),
    "business_request": _l("Business request"),
    "rd_partnership": _l("R&D partnership"),
}
STATE_LABELS = {
    "draft": _l("Draft"),
    "open": _l("Open for partners"),
    "active": _l("Active"),
    "completed": _l("Completed"),
    "cancelled": _l("Cancelled"),
}
TRANSITION_LABELS = {
    "open": _l("Publish and open the call for partners"),
    "active": _l("Start the project"),
    "completed": _l("Mark as completed"),
    "cancelled": _l("Cancel the project"),
}
# Moves that close something for others, each with what it does, said before it is done.
CONFIRMED_TRANSITIONS = {
    "active": (
        _l("Start the project now?"),
        _l(
            "Its call for partners closes at once, even before its deadline: no organisation "
            "can apply any more. Applications already received can still be decided."
        ),
    ),
    "completed": (
        _l("Mark the project as completed?"),
        _l("It can no longer be edited, and its milestones are frozen. This cannot be undone."),
    ),
    "cancelled": (
        _l("Cancel the project?"),
        _l(
            "Its call for partners closes, partners and applicants are told, and it can no "
            "longer be edited. This cannot be undone."
        ),
    ),
}
STATUS_LABELS = {
    "pending": _l("Pending"),
    "accepted": _l("Accepted"),
    "rejected": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
}
ROLE_LABELS = {"lead": _l("Lead partner"), "partner": _l("Partner")}
VISIBILITY_LABELS = {
    "public": _l("Everyone, even without an account"),
    "members": _l("Members of verified organisations only"),
}
DISCRETION = {
    "shown": _l("Show our name"),
    "discreet": _l("Keep our name discreet until we accept a partner"),
}


# Reading helpers, for these templates and any that reuse their macros.


def _language() -> str:
    return str(get_locale())


def _nested_headings(html: str | None) -> str | None:
    """The description's headings two levels down, so they sit under the page's own h1 and h2.

    Safe on the API's sanitised HTML: any `<` of the author's text arrives escaped as `&lt;`.
    """
    if not html:
        return html
    return re.sub(
        r"<(/?)h([1-6])([\s>])",
        lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 2, 6)}{m.group(3)}",
        html,
    )


def budget(value: dict | None) -> str:
    """`{min, max, currency}` as words: a range, a floor or a ceiling."""
    if not value:
        return ""
    language = _language()
    low, high = value.get("min"), value.get("max")
    currency = value.get("currency") or ""
    low_text = format_decimal(low, locale=language) if low is not None else None
    high_text = format_decimal(high, locale=language) if high is not None else None
    if low_text and high_text and low != high:
        return f"{low_text} \u2013 {high_text} {currency}"
    if low_text and high is not None:
        return f"{low_text} {currency}"
    if low_text:
        return _("from %(amount)s", amount=f"{low_text} {currency}")
    return _("up to %(amount)s", amount=f"{high_text} {currency}")


def deadline_ahead(call: dict | None) -> bool:
    """The call is open and its deadline not passed (the beat closes it a little later)."""
    if not call or not call.get("open"):
        return False
    deadline = moments.parse(call.get("deadline"))
    return deadline is None or deadline > dt.datetime.now(dt.UTC)


@bp.app_context_processor
def _helpers():
    """For the project templates and those reusing their macros (the dashboard's cards)."""
    return {
        "project_kind_label": lambda code: KIND_LABELS.get(code, code),
        "project_state_label": lambda code: STATE_LABELS.get(code, code),
        "application_status_label": lambda code: STATUS_LABELS.get(code, code),
        "partner_role_label": lambda code: ROLE_LABELS.get(code, code),
        "project_visibility_label": lambda code: VISIBILITY_LABELS.get(code, code),
        "project_transition_label": lambda code: TRANSITION_LABELS.get(code, code),
        "project_budget": budget,
        "call_is_open": deadline_ahead,
    }


# API reads.


def _project(project_id) -> dict:
    """The project as the reader may see it; the error pages answer 404 for unknown ids."""
    return api("GET", projects(f"/projects/{project_id}")).json()


# The reader's relation to a project.


class Reader:
    """What the signed-in person is to this project, to show only what the API would allow."""

    def __init__(self, project: dict):
        person = current_person() or {}
        self.organisation_id = panels.reader_organisation_id()
        staff = bool(person.get("is_platform_admin"))
        owner_id = project["owner"].get("id")
        self.is_owner = staff or (
            self.organisation_id is not None and str(owner_id) == self.organisation_id
        )
        self.is_owner_admin = staff or (self.is_owner and person.get("role") == "org_admin")
        self.is_partner = any(
            str(p["organisation_id"]) == self.organisation_id for p in project["partners"]
        )
        self.can_edit = self.is_owner and project["state"] not in ("completed", "cancelled")


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


@bp.get("")
def index():
    """Anyone finds published public projects; signed-in members find members-only ones too."""
    language = _language()
    filters = {name: request.args.get(name, "").strip()[:200] for name in FILTERS}
    open_calls = request.args.get("open_calls") == "1"
    params = {
        **filters,
        "open_calls": "true" if open_calls else None,
        "lang": language,
        "limit": PAGE_SIZE,
        "cursor": request.args.get("cursor"),
    }
    page = panels.search_projects(params)
    shown = {k: v for k, v in filters.items() if v}
    if open_calls:
        shown["open_calls"] = "1"
    return render_template(
        "projects/index.html",
        page=page,
        filters=filters,
        open_calls=open_calls,
        shown_filters=shown,
        kinds=[(k, str(v)) for k, v in KIND_LABELS.items()],
        states=[(k, str(v)) for k, v in STATE_LABELS.items()],
        sectors=i18n.choices("sector", language),
        countries=i18n.country_choices(language),
        organisation_kinds=i18n.choices("kind", language),
        can_create=panels.reader_organisation_id() is not None,
    )


@bp.get("/mine")
@login_required
def mine():
    organisation_id = panels.reader_organisation_id()
    if organisation_id is None:
        return render_template("projects/mine.html", organisation_id=None)
    drafts = panels.draft_projects(organisation_id, cursor=request.args.get("drafts"))
    published = panels.owned_projects(organisation_id, request.args.get("cursor"), PAGE_SIZE)
    return render_template(
        "projects/mine.html",
        organisation_id=organisation_id,
        drafts=drafts,
        published=published,
    )


@bp.get("/applications")
@login_required
def applications():
    """The applications the person's organisation sent, newest first, by status."""
    organisation_id = panels.reader_organisation_id()
    status = request.args.get("status") or None
    if status not in (None, *STATUS_LABELS):
        return redirect(url_for("projects.applications"))
    sent = {"items": [], "next": None}
    if organisation_id is not None:
        params = {"status": status, "limit": PAGE_SIZE, "lang": _language()}
        try:
            sent = api(
                "GET",
                projects(f"/organisations/{organisation_id}/applications"),
                params={**params, "cursor": request.args.get("cursor") or None},
            ).json()
        except ApiError as error:
            if error.status not in (400, 422):  # a stale cursor: the first page again
                raise
            return redirect(url_for("projects.applications", status=status))
    return render_template(
        "projects/applications.html",
        organisation_id=organisation_id,
        sent=sent,
        status=status,
        statuses=STATUS_LABELS,
    )


@bp.get("/recommended")
@login_required
def recommendations():
    return render_template(
        "projects/recommended.html",
        organisation_id=panels.reader_organisation_id(),
        items=panels.recommended(20),
    )


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
                _refused(error)
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
                _refused(error)
        else:
            flash(_("The project is saved."), "success")
            return redirect(url_for("projects.detail", project_id=project_id))
    return render_template("projects/form.html", form=form, project=project)


def _refused(error: ApiError) -> None:
    """A refusal no field explains, at the top of the page."""
    flash(problem(error.code), "error")


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
        _refused(error)
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
