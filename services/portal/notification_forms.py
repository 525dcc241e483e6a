"""Forms of the notifications and integrations pages: preferences and webhook endpoints.

The categories and the event types come from the notifications API, so the forms are given
their choices per request rather than fixed here.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    URLField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from .forms import REQUIRED, CheckboxesField

# How each mode reads to a person; the API's codes are the keys.
MODES = {
    "in_app": _l("In the inbox only"),
    "email": _l("In the inbox and by e-mail right away"),
    "daily": _l("In the inbox and in a daily e-mail digest"),
    "weekly": _l("In the inbox and in a weekly e-mail digest"),
    "off": _l("Off"),
}
CATEGORIES = {
    "account": _l("My account"),
    "organisation_status": _l("My organisation's status"),
    "projects": _l("Projects and applications"),
    "announcements": _l("News and calls"),
    "events": _l("Events and registrations"),
    "webhooks": _l("Webhook endpoints"),
}
FLAVOURS = {
    "standard": _l("Signed JSON (Standard Webhooks)"),
    "slack": "Slack",
    "teams": "Microsoft Teams",
    "wecom": _l("WeCom group robot"),
    "dingtalk": _l("DingTalk robot"),
    "feishu": _l("Feishu / Lark bot"),
}
SIGNED_FLAVOURS = ("dingtalk", "feishu")
CLOCK = "%H:%M"


def category_field(category: str) -> str:
    return f"mode_{category}"


class _Clock(StringField):
    """A time of day as HH:MM: an `<input type="time">`, checked here and again by the API."""

    def __call__(self, **kwargs):
        kwargs.setdefault("type", "time")
        return super().__call__(**kwargs)

    def pre_validate(self, form):
        import re

        if self.data and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", self.data.strip()):
            raise ValidationError(_l("Give a time as HH:MM, for example 22:00."))


class PreferencesForm(FlaskForm):
    """One choice per category (added by `preferences_form`), then the quiet hours."""

    quiet = BooleanField(_l("Hold e-mails during quiet hours"))
    quiet_start = _Clock(_l("Quiet from"))
    quiet_end = _Clock(_l("Quiet until"))

    POINTERS = {
        "quiet_hours.start": "quiet_start",
        "quiet_hours/start": "quiet_start",
        "quiet_hours.end": "quiet_end",
        "quiet_hours/end": "quiet_end",
    }
    # What the notifications API's own rules mean when they refuse these fields (`invalid`).
    FIELD_MESSAGES = {
        "quiet_hours.start": _l("Give a time as HH:MM, for example 22:00."),
        "quiet_hours.end": _l("Give a time as HH:MM, other than the start, for example 07:00."),
        "categories": _l("This choice is not possible for this kind of notification."),
    }

    def validate_quiet_start(self, field):
        if self.quiet.data and not (field.data or "").strip():
            raise ValidationError(REQUIRED)

    def validate_quiet_end(self, field):
        # equal start and end are refused by the API, whose message is shown here
        if self.quiet.data and not (field.data or "").strip():
            raise ValidationError(REQUIRED)

    def choices_of(self):
        """(category, field, critical) for each category, in the API's order."""
        return [(c, self[category_field(c)], critical) for c, critical in self._categories]


def preferences_form(categories: list[dict], **kwargs) -> PreferencesForm:
    """A preferences form with one radio group a category; a critical one has no `off`."""

    class Form(PreferencesForm):
        pass

    pointers = dict(PreferencesForm.POINTERS)
    for item in categories:
        code = item["category"]
        modes = [m for m in MODES if not (item.get("critical") and m == "off")]
        setattr(
            Form,
            category_field(code),
            RadioField(
                CATEGORIES.get(code, code),
                choices=[(m, MODES[m]) for m in modes],
                validators=[InputRequired(message=REQUIRED)],
            ),
        )
        pointers[f"categories.{code}"] = category_field(code)
        pointers[f"categories/{code}"] = category_field(code)
    Form.POINTERS = pointers
    form = Form(**kwargs)
    form._categories = [(c["category"], bool(c.get("critical"))) for c in categories]
    return form


class EndpointForm(FlaskForm):
    """A new webhook endpoint; the API checks the address (scheme, host, private networks)."""

    url = URLField(
        _l("Address (URL)"),
        validators=[InputRequired(message=REQUIRED), Length(8, 2000)],
    )
    description = StringField(_l("Description"), validators=[Optional(), Length(max=500)])
    flavour = SelectField(_l("Format"), choices=list(FLAVOURS.items()), default="standard")
    flavour_secret = StringField(_l("Signing secret of the robot"), validators=[Length(max=200)])
    language = SelectField(_l("Language of chat messages"))
    scope = RadioField(
        _l("Events to send"),
        choices=[
            ("all", _l("Every event my organisation may receive, new ones included")),
            ("selected", _l("Only the events chosen below")),
        ],
        default="all",
    )
    event_types = CheckboxesField(_l("Event types"))
    rate_limit = IntegerField(
        _l("At most this many messages a second"),
        validators=[Optional(), NumberRange(1, 10_000)],
    )

    POINTERS = {"event_types": "event_types", "flavour_secret": "flavour_secret"}

    def validate_event_types(self, field):
        if self.scope.data == "selected" and not field.data:
            raise ValidationError(_l("Choose at least one event type."))

    def chosen_flavour(self) -> str:
        return self.flavour.data

    def validate_flavour_secret(self, field):
        if self.chosen_flavour() in SIGNED_FLAVOURS and not (field.data or "").strip():
            raise ValidationError(_l("DingTalk and Feishu robots need their signing secret."))

    def payload(self) -> dict:
        body = {
            "url": self.url.data.strip(),
            "description": (self.description.data or "").strip(),
            "flavour": self.chosen_flavour(),
            "language": self.language.data,
            "event_types": self.event_types.data if self.scope.data == "selected" else None,
            "rate_limit": self.rate_limit.data,
        }
        if self.chosen_flavour() in SIGNED_FLAVOURS:
            body["flavour_secret"] = self.flavour_secret.data.strip()
        return body


class EndpointEditForm(EndpointForm):
    """Changes to an endpoint: its format stays (the API does not change it), and an empty
    robot secret keeps the one already set, which the API never shows again."""

    flavour = None

    def __init__(self, *args, flavour: str = "standard", **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_flavour = flavour

    def chosen_flavour(self) -> str:
        return self.fixed_flavour

    def validate_flavour_secret(self, field):
        pass

    def payload(self) -> dict:
        body = super().payload()
        del body["flavour"]
        if not body.get("flavour_secret"):
            body.pop("flavour_secret", None)
        return body


class RecoverForm(FlaskForm):
    """A wall time in the reader's zone from which failed and held messages are sent again."""

    since = DateTimeLocalField(
        _l("Send again what failed or was held since"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[InputRequired(message=REQUIRED)],
        render_kw={"step": 60},
    )
