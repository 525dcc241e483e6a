"""Account pages: sign in and out, registration, profile, password, invitations, resets."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import i18n
from ..api_client import ApiError, call, members
from ..auth import api, current_person, login_required, remember_person, sign_in, sign_out
from ..forms import (
    EmptyForm,
    ForgottenPasswordForm,
    InvitationAcceptForm,
    PasswordChangeForm,
    PasswordResetForm,
    ProfileForm,
    RegistrationForm,
    SignInForm,
    flash_refusal,
    show_api_error,
)
from ..redirects import safe_path

bp = Blueprint("account", __name__)
DEFAULT_ZONES = {"jiangning": "Asia/Shanghai", "sophia_antipolis": "Europe/Paris"}


@bp.route("/sign-in", methods=["GET", "POST"], endpoint="sign_in")
def sign_in_page():
    form = SignInForm()
    target = safe_path(request.values.get("next"), url_for("dashboard.index"))
    if form.validate_on_submit():
        try:
            sign_in(form.email.data, form.password.data)
        except ApiError as error:
            if error.status == 429:
                flash_refusal(error)
            else:
                form.password.errors = [_("The e-mail address or the password is not correct.")]
        else:
            return redirect(target)
    return render_template("account/sign_in.html", form=form, target=target)


@bp.post("/sign-out", endpoint="sign_out")
def sign_out_page():
    if EmptyForm().validate_on_submit():
        sign_out()
        flash(_("You are signed out."), "info")
    return redirect(url_for("public.home"))


def _registration_choices(form: RegistrationForm, language: str) -> None:
    form.country.choices = [("", "—"), *i18n.country_choices(language)]
    form.park.choices = [("", "—"), *i18n.choices("park", language)]
    form.kind.choices = [("", "—"), *i18n.choices("kind", language)]
    form.size.choices = [("", "—"), *i18n.choices("size", language)]
    form.sectors.choices = i18n.choices("sector", language)


def _registration_payload(form: RegistrationForm, language: str) -> dict:
    organisation = {
        "name": form.name.data.strip(),
        "registration_number": form.registration_number.data.strip(),
        "country": form.country.data,
        "park": form.park.data,
        "kind": form.kind.data,
        "sectors": form.sectors.data,
    }
    optional = {
        "name_zh": form.name_zh.data,
        "city": form.city.data,
        "size": form.size.data,
        "website": form.website.data,
    }
    organisation.update({k: v.strip() for k, v in optional.items() if v and v.strip()})
    if form.description.data and form.description.data.strip():
        organisation["description"] = {language: form.description.data.strip()}
    admin = {
        "email": form.email.data.strip(),
        "password": form.password.data,
        "full_name": form.full_name.data.strip(),
        "language": language,
        "timezone": form.timezone.data,
    }
    return {"organisation": organisation, "admin": admin}


@bp.route("/register", methods=["GET", "POST"])
def register():
    language = str(get_locale())
    form = RegistrationForm()
    _registration_choices(form, language)
    if request.method == "GET":
        park = request.args.get("park")
        form.park.data = park if park in DEFAULT_ZONES else ""
        form.timezone.data = DEFAULT_ZONES.get(park, "Europe/Paris")
    if form.validate_on_submit():
        payload = _registration_payload(form, language)
        try:
            call("POST", members("/organisations"), json=payload, language=language)
        except ApiError as error:
            if not show_api_error(form, error):
                flash_refusal(error)
        else:
            try:
                sign_in(payload["admin"]["email"], payload["admin"]["password"])
            except ApiError:
                return redirect(url_for("account.sign_in"))
            flash(
                _(
                    "Your organisation is registered. The platform team checks it and "
                    "then lists it in the directory."
                ),
                "success",
            )
            return redirect(url_for("organisation.mine"))
    return render_template("account/register.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile():
    person = current_person()
    form = ProfileForm(data=person if request.method == "GET" else None)
    if form.validate_on_submit():
        changes = {
            "full_name": form.full_name.data.strip(),
            "language": form.language.data,
            "timezone": form.timezone.data,
        }
        try:
            updated = api("PATCH", members("/me"), json=changes).json()
        except ApiError as error:
            if not show_api_error(form, error):
                flash_refusal(error)
        else:
            remember_person(updated)
            session.pop("lang", None)  # the pages now read in the profile's language
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("account.profile"))
    return render_template("account/profile.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        body = {
            "current_password": form.current_password.data,
            "new_password": form.new_password.data,
        }
        try:
            api("POST", members("/me/password"), json=body)
        except ApiError as error:
            if not show_api_error(form, error):
                flash_refusal(error)
        else:
            flash(_("Your password is changed. Your other sessions are signed out."), "success")
            return redirect(url_for("account.profile"))
    return render_template("account/password.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgotten_password():
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        try:
            call("POST", members("/auth/password-reset"), json={"email": form.email.data.strip()})
        except ApiError as error:
            if not show_api_error(form, error):
                flash_refusal(error)
        else:
            return render_template("account/forgot_sent.html")
    return render_template("account/forgot.html", form=form)


@bp.route("/password/reset", methods=["GET", "POST"])
def reset_password():
    form = PasswordResetForm(data={"token": request.args.get("token", "")})
    if form.validate_on_submit():
        body = {"token": form.token.data, "password": form.password.data}
        try:
            call("POST", members("/auth/password-reset/confirm"), json=body)
        except ApiError as error:
            if not show_api_error(form, error):
                if error.status in (404, 410):
                    flash(_("This link has expired or was already used. Ask for a new one."))
                else:
                    flash_refusal(error)
        else:
            flash(_("Your password is changed. Sign in with it."), "success")
            return redirect(url_for("account.sign_in"))
    return render_template("account/reset.html", form=form)


def _invitation(token: str) -> tuple[dict | None, str | None]:
    """(what the invitation is for, None), or (None, why the link no longer works)."""
    if not token:
        return None, "incomplete"
    try:
        return call("POST", members("/invitations/preview"), json={"token": token}).json(), None
    except ApiError as error:
        if error.code == "invitation.organisation_gone":
            return None, "organisation_gone"
        if error.status == 410:
            return None, "expired"
        return None, "unknown"


@bp.route("/invitations/accept", methods=["GET", "POST"])
def accept_invitation():
    """The link of an invitation e-mail: checked on arrival, so a used or expired one says so
    at once (with a way to sign in) instead of after the account form."""
    language = str(get_locale())
    form = InvitationAcceptForm(
        data={"token": request.args.get("token", ""), "language": language}
        if request.method == "GET"
        else None
    )
    invitation, unusable = _invitation(form.token.data or "")
    if unusable:
        status = 410 if unusable in ("expired", "organisation_gone") else 404
        return render_template("account/accept.html", form=None, unusable=unusable), status
    if request.method == "GET":
        form.timezone.data = "Asia/Shanghai" if language == "zh" else "Europe/Paris"
        if invitation.get("language") in i18n.LANGUAGE_NAMES:
            form.language.data = invitation["language"]
    if form.validate_on_submit():
        body = {
            "token": form.token.data,
            "full_name": form.full_name.data.strip(),
            "password": form.password.data,
            "language": form.language.data,
            "timezone": form.timezone.data,
        }
        try:
            created = call("POST", members("/invitations/accept"), json=body).json()
        except ApiError as error:
            if not show_api_error(form, error):
                if error.status in (404, 410):
                    flash(_("This invitation has expired, was revoked or was already used."))
                else:
                    flash_refusal(error)
        else:
            sign_in(created["email"], form.password.data)
            flash(_("Welcome! You have joined the organisation."), "success")
            return redirect(url_for("public.home"))
    return render_template("account/accept.html", form=form, invitation=invitation)
