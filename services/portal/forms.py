"""The portal's forms: labels and messages translated, CSRF token included by Flask-WTF."""

from __future__ import annotations

from zoneinfo import available_timezones

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
    widgets,
)
from wtforms.validators import URL, DataRequired, EqualTo, Length, Optional, Regexp

from shared.i18n import LOCALES

from . import problem_messages
from .api_client import ApiError

MIN_PASSWORD = 10
TIME_ZONES = sorted(available_timezones())
REQUIRED = _l("This field is required.")


# What members' own rules mean when they refuse these fields (`invalid`), by pointer.
_PERSON_MESSAGES = {
    "full_name": _l("Give a name."),
    "timezone": _l("Choose a time zone from the list."),
    "language": _l("Choose a language from the list."),
}
_ORGANISATION_MESSAGES = {
    "name": _l("Write the name in Latin script; give the Chinese name in its own field."),
    "name_zh": _l("The Chinese name is written in Chinese characters."),
    "country": _l("Choose a country from the list."),
}


def _required():
    return DataRequired(message=REQUIRED)


def _email():
    # members checks the address fully; this catches typing slips without an extra dependency
    shape = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Give a valid e-mail address."))
    return [_required(), shape, Length(max=254)]


def _new_password():
    return [
        _required(),
        Length(
            min=MIN_PASSWORD,
            max=256,
            message=_l("Use at least %(count)s characters.", count=MIN_PASSWORD),
        ),
    ]


def _confirmation(field: str):
    return [_required(), EqualTo(field, message=_l("The two passwords differ."))]


def _languages():
    from .i18n import LANGUAGE_NAMES

    return [(code, LANGUAGE_NAMES[code]) for code in LOCALES]


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes: usable with a keyboard and on a phone."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class SignInForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=_email())
    password = PasswordField(_l("Password"), validators=[_required()])


class RegistrationForm(FlaskForm):
    name = StringField(_l("Name of the organisation"), validators=[_required(), Length(2, 200)])
    name_zh = StringField(_l("Chinese name, if any"), validators=[Optional(), Length(max=200)])
    registration_number = StringField(
        _l("Registration number"), validators=[_required(), Length(max=40)]
    )
    country = SelectField(_l("Country"), validators=[_required()])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    park = SelectField(_l("Park"), validators=[_required()])
    kind = SelectField(_l("Kind of organisation"), validators=[_required()])
    size = SelectField(_l("Size"), validators=[Optional()])
    sectors = CheckboxesField(
        _l("Sectors"),
        validators=[DataRequired(message=_l("Choose at least one sector."))],
    )
    website = URLField(
        _l("Website"),
        validators=[Optional(), URL(message=_l("Give a web address starting with https://."))],
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    full_name = StringField(_l("Your full name"), validators=[_required(), Length(max=200)])
    email = EmailField(_l("Your e-mail address"), validators=_email())
    password = PasswordField(_l("Choose a password"), validators=_new_password())
    password_again = PasswordField(_l("The password again"), validators=_confirmation("password"))
    timezone = SelectField(_l("Your time zone"), choices=TIME_ZONES, validators=[_required()])

    # members' JSON pointers and the fields they concern
    POINTERS = {
        "admin/email": "email",
        "admin/full_name": "full_name",
        "admin/password": "password",
    }
    FIELD_MESSAGES = {**_ORGANISATION_MESSAGES, **_PERSON_MESSAGES}


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name of the organisation"), validators=[_required(), Length(2, 200)])
    name_zh = StringField(_l("Chinese name, if any"), validators=[Optional(), Length(max=200)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    park = SelectField(_l("Park"), validators=[_required()])
    kind = SelectField(_l("Kind of organisation"), validators=[_required()])
    size = SelectField(_l("Size"), validators=[Optional()])
    sectors = CheckboxesField(
        _l("Sectors"), validators=[DataRequired(message=_l("Choose at least one sector."))]
    )
    website = URLField(
        _l("Website"),
        validators=[Optional(), URL(message=_l("Give a web address starting with https://."))],
    )
    description_en = TextAreaField(_l("Description in English"), validators=[Length(max=5000)])
    description_fr = TextAreaField(_l("Description in French"), validators=[Length(max=5000)])
    description_zh = TextAreaField(_l("Description in Chinese"), validators=[Length(max=5000)])
    contact_user_id = SelectField(_l("Contact person on the public profile"), default="")

    POINTERS = {"description": "description_en"}
    FIELD_MESSAGES = _ORGANISATION_MESSAGES


class ProfileForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[_required(), Length(max=200)])
    language = SelectField(_l("Language"), validators=[_required()])
    timezone = SelectField(_l("Time zone"), choices=TIME_ZONES, validators=[_required()])

    FIELD_MESSAGES = _PERSON_MESSAGES

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = _languages()


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[_required()])
    new_password = PasswordField(_l("New password"), validators=_new_password())
    new_password_again = PasswordField(
        _l("New password again"), validators=_confirmation("new_password")
    )


class AccountDeletionForm(FlaskForm):
    password = PasswordField(_l("Your password, to confirm"), validators=[_required()])
    close_organisation = BooleanField(
        _l("I am the last person of my organisation: close it with my account")
    )


class ForgottenPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=_email())


class PasswordResetForm(FlaskForm):
    token = StringField(validators=[_required()])
    password = PasswordField(_l("New password"), validators=_new_password())
    password_again = PasswordField(_l("New password again"), validators=_confirmation("password"))


class InvitationAcceptForm(FlaskForm):
    token = StringField(validators=[_required()])
    full_name = StringField(_l("Your full name"), validators=[_required(), Length(max=200)])
    password = PasswordField(_l("Choose a password"), validators=_new_password())
    password_again = PasswordField(_l("The password again"), validators=_confirmation("password"))
    language = SelectField(_l("Language"), validators=[_required()])
    timezone = SelectField(_l("Time zone"), choices=TIME_ZONES, validators=[_required()])

    FIELD_MESSAGES = _PERSON_MESSAGES

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = _languages()


class InvitationForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=_email())
    role = SelectField(_l("Role"), validators=[_required()])


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), validators=[_required()])


class ClientForm(FlaskForm):
    name = StringField(_l("Name of the client"), validators=[_required(), Length(max=120)])
    scopes = CheckboxesField(
        _l("Scopes"), validators=[DataRequired(message=_l("Choose at least one scope."))]
    )


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])


class SuspendForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            _required(),
            Length(3, 2000, message=_l("Give a reason of at least 3 characters.")),
        ],
    )


class EmptyForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


def show_api_error(form: FlaskForm, error: ApiError) -> bool:
    """Put the API's field errors next to the fields they concern, said from their codes (and
    the form's `FIELD_MESSAGES` for what `invalid` means on its fields); False if none matched."""
    pointers = getattr(form, "POINTERS", {})
    specific = getattr(form, "FIELD_MESSAGES", {})
    matched = False
    for entry in error.errors:
        pointer = str(entry.get("pointer") or entry.get("parameter") or "").strip("/")
        name = pointers.get(pointer) or pointer.rsplit("/", 1)[-1]
        field = form._fields.get(name) if name else None
        if field is None or name == "csrf_token":
            continue
        message = problem_messages.field(entry, specific, error.code)
        field.errors = [*field.errors, message]
        matched = True
    return matched


def flash_refusal(error: ApiError) -> None:
    """An API refusal no field explains, as a message at the top of the page, from its code."""
    flash(
        problem_messages.problem("too_many_requests" if error.status == 429 else error.code),
        "error",
    )


def show_refusal(form: FlaskForm, error: ApiError) -> None:
    """API field errors next to their fields; anything else as a message above the form."""
    if not show_api_error(form, error):
        flash_refusal(error)
