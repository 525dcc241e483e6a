"""Forms of the brokerage meeting pages (a participant's side), and their payloads for the API.

A participation profile says what the organisation offers and seeks (per language, as the API
stores it), how and when it meets: in person or online, the sessions it attends, and working
hours in its own zone, which online meetings must fall in.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from .forms import REQUIRED, TIME_ZONES, CheckboxesField

LANGUAGES = ("en", "fr", "zh")
# Languages a participant may say it speaks: the platform's, and those common at the forum.
SPOKEN = ("en", "fr", "zh", "de", "es", "it", "ja", "ko")
ZONES = [zone for zone in TIME_ZONES if "/" in zone or zone == "UTC"]
CLOCK = Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", message=_l("A time as HH:MM, for example 09:00."))
ATTENDANCE = {
    "in_person": _l("In person"),
    "online": _l("Online"),
    "both": _l("In person or online"),
}


class ParticipationForm(FlaskForm):
    offers_en = TextAreaField(_l("What you offer, in English"), validators=[Length(max=2000)])
    offers_fr = TextAreaField(_l("What you offer, in French"), validators=[Length(max=2000)])
    offers_zh = TextAreaField(_l("What you offer, in Chinese"), validators=[Length(max=2000)])
    seeks_en = TextAreaField(_l("What you seek, in English"), validators=[Length(max=2000)])
    seeks_fr = TextAreaField(_l("What you seek, in French"), validators=[Length(max=2000)])
    seeks_zh = TextAreaField(_l("What you seek, in Chinese"), validators=[Length(max=2000)])
    sectors = CheckboxesField(_l("Sectors"))
    countries_sought = SelectMultipleField(_l("Countries you seek partners in"))
    project_ids = CheckboxesField(_l("Your projects to show"))
    languages = CheckboxesField(_l("Languages you speak"))
    attendance = RadioField(_l("How you meet"), validators=[DataRequired(message=REQUIRED)])
    session_ids = CheckboxesField(
        _l("Sessions you attend"),
        validators=[DataRequired(message=_l("Choose at least one session."))],
    )
    working_hours_start = StringField(
        _l("Your working hours start at"),
        validators=[Optional(), CLOCK],
        render_kw={"type": "time"},
    )
    working_hours_end = StringField(
        _l("Your working hours end at"),
        validators=[Optional(), CLOCK],
        render_kw={"type": "time"},
    )
    timezone = SelectField(_l("Your time zone"), choices=ZONES, validators=[Optional()])

    POINTERS = {
        **{f"{text}/{code}": f"{text}_{code}" for text in ("offers", "seeks") for code in LANGUAGES}
    }
    FIELD_MESSAGES = {
        "attendance": _l("This event does not offer meetings this way."),
        "session_ids": _l("Choose a session held in person."),
        "working_hours_end": _l("Working hours need a length."),
        "timezone": _l("Choose a time zone from the list."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.attendance.choices = list(ATTENDANCE.items())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        hours = (self.working_hours_start.data, self.working_hours_end.data, self.timezone.data)
        if self.attendance.data in ("online", "both") and not all(hours):
            message = _l("Online meetings need your working hours and time zone.")
            self.working_hours_end.errors = [*self.working_hours_end.errors, message]
            return False
        return valid

    @classmethod
    def from_profile(cls, profile: dict) -> ParticipationForm:
        """The form filled with the participant's current profile."""
        data = {
            f"{text}_{code}": (profile.get(text) or {}).get(code, "")
            for text in ("offers", "seeks")
            for code in LANGUAGES
        }
        for name in (
            "sectors",
            "countries_sought",
            "project_ids",
            "languages",
            "attendance",
            "session_ids",
            "working_hours_start",
            "working_hours_end",
            "timezone",
        ):
            data[name] = profile.get(name)
        return cls(data=data)

    def _texts(self, name: str) -> dict:
        found = {code: (getattr(self, f"{name}_{code}").data or "").strip() for code in LANGUAGES}
        return {code: text for code, text in found.items() if text}

    def payload(self) -> dict:
        """The profile as the announcements API takes it."""
        online = self.attendance.data != "in_person"
        return {
            "offers": self._texts("offers"),
            "seeks": self._texts("seeks"),
            "sectors": list(self.sectors.data or []),
            "countries_sought": list(self.countries_sought.data or []),
            "project_ids": list(self.project_ids.data or []),
            "languages": list(self.languages.data or []),
            "attendance": self.attendance.data,
            "session_ids": list(self.session_ids.data or []),
            "working_hours_start": (self.working_hours_start.data or None) if online else None,
            "working_hours_end": (self.working_hours_end.data or None) if online else None,
            "timezone": (self.timezone.data or None) if online else None,
        }


class RequestForm(FlaskForm):
    reason = TextAreaField(
        _l("Why you would like to meet"),
        validators=[DataRequired(message=_l("Say why you would like to meet.")), Length(max=2000)],
    )
    online = RadioField(_l("How"), validators=[Optional()], default="")

    FIELD_MESSAGES = {"recipient_id": _l("This participant no longer takes part.")}

    def __init__(self, *args, formats=("", "no", "yes"), **kwargs):
        super().__init__(*args, **kwargs)
        labels = {"": _l("As suits you both"), "no": _l("In person"), "yes": _l("Online")}
        self.online.choices = [(code, labels[code]) for code in formats]

    def payload(self, recipient_id: str) -> dict:
        online = {"yes": True, "no": False}.get(self.online.data or "")
        return {"recipient_id": recipient_id, "reason": self.reason.data.strip(), "online": online}


class AcceptForm(FlaskForm):
    slot_id = RadioField(
        _l("Time of the meeting"),
        validators=[DataRequired(message=_l("Choose a time."))],
    )

    FIELD_MESSAGES = {"slot_id": _l("Choose one of the times listed.")}


class NoteForm(FlaskForm):
    note = TextAreaField(_l("A note for the other participant"), validators=[Length(max=2000)])
