"""My organisation, for its admins: profile, members and roles, invitations, API clients."""

from __future__ import annotations

import uuid

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import api_vocabulary, confirmation, i18n
from ..api_client import ApiError, call, members
from ..auth import (
    api,
    current_person,
    keep_for_next_page,
    login_required,
    org_admin_required,
    take_from_last_page,
)
from ..forms import (
    ClientForm,
    EmptyForm,
    InvitationForm,
    OrganisationForm,
    RoleForm,
    flash_refusal,
    show_api_error,
)

bp = Blueprint("organisation", __name__, url_prefix="/my-organisation")
ROLES = [("org_member", _l("Member")), ("org_admin", _l("Administrator"))]


def _org_path(suffix: str = "") -> str:
    return members(f"/organisations/{current_person()['organisation_id']}{suffix}")


def _organisation_choices(form: OrganisationForm, language: str) -> None:
    form.contact_user_id.choices = [("", _("Nobody")), *_members_choices()]
    form.park.choices = i18n.choices("park", language)
    form.kind.choices = i18n.choices("kind", language)
    form.size.choices = [("", "—"), *i18n.choices("size", language)]
    form.sectors.choices = i18n.choices("sector", language)


def _members_choices() -> list[tuple[str, str]]:
    """The organisation's people, who may be named as its contact (an admin's page only)."""
    if current_person().get("role") != "org_admin":
        return []
    try:
        listing = api("GET", _org_path("/members"), params={"limit": 100}).json()
    except ApiError:  # e.g. while the organisation awaits verification: nobody to offer
        return []
    return [(str(m["user_id"]), m.get("full_name") or m.get("email")) for m in listing["items"]]


def _form_data(org: dict) -> dict:
    description = org.get("description") or {}
    return {
        "contact_user_id": (org.get("contact") or {}).get("user_id") or "",
        **{k: org.get(k) for k in ("name", "name_zh", "city", "park", "kind", "size", "website")},
        "sectors": org.get("sectors") or [],
        **{f"description_{code}": description.get(code, "") for code in ("en", "fr", "zh")},
    }


def _changes(form: OrganisationForm) -> dict:
    def text(value):
        return value.strip() if value and value.strip() else None

    description = {
        code: getattr(form, f"description_{code}").data.strip()
        for code in ("en", "fr", "zh")
        if (getattr(form, f"description_{code}").data or "").strip()
    }
    changes = {
        "name": form.name.data.strip(),
        "name_zh": text(form.name_zh.data),
        "city": text(form.city.data),
        "park": form.park.data,
        "kind": form.kind.data,
        "size": form.size.data or None,
        "sectors": form.sectors.data,
        "website": text(form.website.data),
        "contact_user_id": form.contact_user_id.data or None,
    }
    if description:
        changes["description"] = description
    return changes


@bp.route("", methods=["GET", "POST"])
@login_required
def mine():
    person = current_person()
    if not person.get("organisation_id"):
        return render_template("organisation/none.html")
    org = api("GET", _org_path()).json()
    is_admin = person.get("role") == "org_admin"
    form = OrganisationForm(data=_form_data(org) if request.method == "GET" else None)
    _organisation_choices(form, str(get_locale()))
    if request.method == "POST":
        if not is_admin:
            return redirect(url_for("organisation.mine"))
        if form.validate_on_submit():
            try:
                api("PATCH", _org_path(), json=_changes(form))
            except ApiError as error:
                if not show_api_error(form, error):
                    flash_refusal(error)
            else:
                flash(_("The profile of your organisation is saved."), "success")
                return redirect(url_for("organisation.mine"))
    return render_template("organisation/mine.html", org=org, form=form, is_admin=is_admin)


@bp.get("/members")
@org_admin_required
def people():
    listing = api(
        "GET", _org_path("/members"), params={"limit": 100, "cursor": request.args.get("cursor")}
    ).json()
    forms = {}
    for member in listing["items"]:
        form = RoleForm(prefix=f"m{member['user_id']}", data={"role": member["role"]})
        form.role.choices = ROLES
        forms[member["user_id"]] = form
    return render_template(
        "organisation/members.html", listing=listing, forms=forms, remove=EmptyForm()
    )


@bp.post("/members/<uuid:user_id>/role")
@org_admin_required
def change_role(user_id: uuid.UUID):
    form = RoleForm(prefix=f"m{user_id}")
    form.role.choices = ROLES
    if form.validate_on_submit():
        try:
            api("PATCH", _org_path(f"/members/{user_id}"), json={"role": form.role.data})
        except ApiError as error:
            flash_refusal(error)
        else:
            flash(_("The role is changed."), "success")
    return redirect(url_for("organisation.people"))


@bp.post("/members/<uuid:user_id>/remove")
@org_admin_required
def remove_member(user_id: uuid.UUID):
    if EmptyForm().validate_on_submit():
        if not confirmation.confirmed():
            return confirmation.ask(
                title=_("Remove this member?"),
                consequence=_(
                    "They leave your organisation at once and are signed out; to come back "
                    "they need a new invitation."
                ),
                button=_("Remove the member"),
                back=url_for("organisation.people"),
            )
        try:
            api("DELETE", _org_path(f"/members/{user_id}"))
        except ApiError as error:
            flash_refusal(error)
        else:
            flash(_("The member is removed."), "success")
    return redirect(url_for("organisation.people"))


@bp.route("/invitations", methods=["GET", "POST"])
@org_admin_required
def invitations():
    form = InvitationForm()
    form.role.choices = ROLES
    if form.validate_on_submit():
        body = {
            "email": form.email.data.strip(),
            "role": form.role.data,
            "language": str(get_locale()),
        }
        try:
            api("POST", _org_path("/invitations"), json=body)
        except ApiError as error:
            if not show_api_error(form, error):
                flash_refusal(error)
        else:
            flash(_("The invitation is on its way."), "success")
            return redirect(url_for("organisation.invitations"))
    listing = api("GET", _org_path("/invitations"), params={"limit": 100}).json()
    return render_template(
        "organisation/invitations.html", form=form, listing=listing, revoke=EmptyForm()
    )


@bp.post("/invitations/<uuid:invitation_id>/revoke")
@org_admin_required
def revoke_invitation(invitation_id: uuid.UUID):
    if EmptyForm().validate_on_submit():
        if not confirmation.confirmed():
            return confirmation.ask(
                title=_("Revoke this invitation?"),
                consequence=_("Its link stops working; you can invite the same address again."),
                button=_("Revoke the invitation"),
                back=url_for("organisation.invitations"),
            )
        try:
            api("DELETE", _org_path(f"/invitations/{invitation_id}"))
        except ApiError as error:
            flash_refusal(error)
        else:
            flash(_("The invitation is revoked."), "success")
    return redirect(url_for("organisation.invitations"))


def scopes() -> list[str]:
    """The scopes an API client may hold, as members' OpenAPI document lists them."""
    known = current_app.extensions.get("portal_scopes")
    if known is None:
        document = call("GET", members("/openapi.json")).json()
        items = document["components"]["schemas"]["ClientIn"]["properties"]["scopes"]["items"]
        known = list(items["enum"])
        current_app.extensions["portal_scopes"] = known
    return known


@bp.route("/clients", methods=["GET", "POST"])
@org_admin_required
def clients():
    form = ClientForm()
    form.scopes.choices = [(name, f"{api_vocabulary.scope(name)} ({name})") for name in scopes()]
    if form.validate_on_submit():
        body = {"name": form.name.data.strip(), "scopes": form.scopes.data}
        try:
            created = api("POST", _org_path("/clients"), json=body).json()
        except ApiError as error:
            if not show_api_error(form, error):
                flash_refusal(error)
        else:  # the secret is shown once, on the page the redirect leads to
            shown = {k: created.get(k) for k in ("name", "client_id", "client_secret")}
            keep_for_next_page("created_client", shown)
            return redirect(url_for("organisation.clients"))
    created = take_from_last_page("created_client") if request.method == "GET" else None
    listing = api("GET", _org_path("/clients"), params={"limit": 100}).json()
    response = make_response(
        render_template(
            "organisation/clients.html",
            form=form,
            listing=listing,
            created=created,
            revoke=EmptyForm(),
            scope_label=api_vocabulary.scope,
        )
    )
    if created:  # a page showing a secret is kept in no cache, so Back does not show it again
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/clients/<uuid:client_id>/revoke")
@org_admin_required
def revoke_client(client_id: uuid.UUID):
    if EmptyForm().validate_on_submit():
        if not confirmation.confirmed():
            return confirmation.ask(
                title=_("Revoke this API client?"),
                consequence=_(
                    "The software using it gets no new tokens and loses access within seconds. "
                    "This cannot be undone: a new client would have a new identifier and secret."
                ),
                button=_("Revoke the client"),
                back=url_for("organisation.clients"),
            )
        try:
            api("DELETE", _org_path(f"/clients/{client_id}"))
        except ApiError as error:
            flash_refusal(error)
        else:
            flash(_("The client is revoked: it gets no new tokens."), "success")
    return redirect(url_for("organisation.clients"))
