"""Forms of contact outside events: a meeting asked of another organisation, and the answers.

Proposed times are entered as wall times in the reader's zone (moments.py) and sent in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from . import moments
from .announcement_forms import _datetime
from .forms import REQUIRED

MAX_PROPOSED = 3


class ContactForm(FlaskForm):
    """A message and up to three proposed times."""

    message = TextAreaField(
        _l("Your message"), validators=[DataRequired(REQUIRED), Length(max=2000)]
    )
    time_1 = _datetime(_l("First proposed time"))
    time_2 = _datetime(_l("Second proposed time"))
    time_3 = _datetime(_l("Third proposed time"))
    minutes = SelectField(
        _l("Length"),
        choices=[
            ("30", _l("30 minutes")),
            ("45", _l("45 minutes")),
            ("60", _l("1 hour")),
            ("20", _l("20 minutes")),
            ("15", _l("15 minutes")),
        ],
        default="30",
    )
    online = SelectField(
        _l("How you meet"),
        choices=[("yes", _l("Online")), ("no", _l("In person"))],
        default="yes",
    )

    POINTERS = {
        "message": "message",
        "proposed_times": "time_1",
        **{f"proposed_times/{i}": f"time_{i + 1}" for i in range(MAX_PROPOSED)},
        "minutes": "minutes",
        "online": "online",
    }
    FIELD_MESSAGES = {
        "proposed_times": _l("Propose different times, each ahead."),
        **{f"proposed_times/{i}": _l("Propose a time ahead.") for i in range(MAX_PROPOSED)},
    }

    def times(self) -> list[tuple[str, datetime]]:
        return [
            (name, getattr(self, name).data)
            for name in ("time_1", "time_2", "time_3")
            if getattr(self, name).data
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        given = self.times()
        if not given:
            self.time_1.errors.append(_l("Propose at least one time."))
            return False
        now = datetime.now(UTC)
        for name, typed in given:
            if moments.from_wall_time(typed) <= now:
                getattr(self, name).errors.append(_l("Propose a time ahead."))
                valid = False
        walls = [typed for _name, typed in given]
        if len(set(walls)) != len(walls):
            self.time_2.errors.append(_l("Propose different times."))
            valid = False
        return valid

    def payload(self, recipient_id: str, project_id: str | None) -> dict:
        body = {
            "recipient_organisation_id": recipient_id,
            "message": self.message.data.strip(),
            "proposed_times": [
                moments.from_wall_time(typed).astimezone(UTC).isoformat()
                for _name, typed in self.times()
            ],
            "minutes": int(self.minutes.data),
            "online": self.online.data == "yes",
        }
        if project_id:
            body["project_id"] = project_id
        return body


class AcceptForm(FlaskForm):
    """One of the proposed times (its UTC start)."""

    starts_at = RadioField(_l("The time you accept"), validators=[DataRequired(REQUIRED)])


class NoteForm(FlaskForm):
    """A note with a refusal or a cancellation."""

    note = TextAreaField(
        _l("A note for the other organisation"), validators=[Optional(), Length(max=2000)]
    )
