"""Forms of the organiser's brokerage pages: matchmaking settings and scheduling runs.

Times are wall times in the event's own zone, as the announcements API takes them. A form has a
fixed number of session rows (no script adds rows); empty rows are left out.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from .announcement_forms import _datetime
from .forms import REQUIRED

SESSION_ROWS = 4
WALL = "%Y-%m-%dT%H:%M:%S"


class SessionRow(Form):
    """One B2B session; a row left empty is no session."""

    name = StringField(_l("Name of the session"), validators=[Optional(), Length(max=200)])
    starts_at = _datetime(_l("Starts"))
    ends_at = _datetime(_l("Ends"))
    in_person = SelectField(
        _l("Format of the session"),
        choices=[("yes", _l("In person")), ("no", _l("Online only"))],
        default="yes",
    )

    def is_empty(self) -> bool:
        return (
            not (self.name.data or "").strip()
            and not self.starts_at.data
            and not (self.ends_at.data)
        )

    def validate_ends_at(self, field):
        if self.is_empty():
            return
        if not self.starts_at.data:
            self.starts_at.errors.append(REQUIRED)
        if not field.data:
            raise ValidationError(REQUIRED)
        if self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The session ends after it starts."))


class MatchmakingForm(FlaskForm):
    """Meetings switched on, or their settings changed, for one event."""

    sessions = FieldList(
        FormField(SessionRow),
        min_entries=SESSION_ROWS,
        max_entries=SESSION_ROWS,
    )
    meeting_minutes = SelectField(
        _l("Meeting length"),
        choices=[("15", _l("15 minutes")), ("20", _l("20 minutes")), ("30", _l("30 minutes"))],
        default="20",
    )
    tables = IntegerField(
        _l("Tables for in-person meetings"),
        validators=[InputRequired(REQUIRED), NumberRange(min=0, max=1000)],
    )
    online = BooleanField(_l("Online meetings are offered"))
    booking_opens_at = _datetime(_l("Booking opens"), InputRequired(REQUIRED))
    booking_closes_at = _datetime(_l("Booking closes"), InputRequired(REQUIRED))
    max_meetings = IntegerField(
        _l("Most meetings per participant"),
        validators=[InputRequired(REQUIRED), NumberRange(min=1, max=100)],
    )
    gap_slots = IntegerField(
        _l("Free slots between a participant's meetings"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=4)],
    )
    mode = RadioField(
        _l("Who schedules the meetings"),
        choices=[
            ("participants", _l("Participants pick a slot when they accept")),
            ("organiser", _l("The organiser runs the scheduler")),
        ],
        default="organiser",
    )

    # The API's JSON pointers and the fields they concern (sessions are mapped by row).
    POINTERS = {
        "meeting_minutes": "meeting_minutes",
        "tables": "tables",
        "online": "online",
        "booking_opens_at": "booking_opens_at",
        "booking_closes_at": "booking_closes_at",
        "max_meetings": "max_meetings",
        "mode": "mode",
        "gap_slots": "gap_slots",
    }
    # What the announcements API's own rules mean when they refuse these fields (`invalid`).
    FIELD_MESSAGES = {
        "booking_closes_at": _l("The booking window closes after it opens."),
        "ends_at": _l("A session holds at least one meeting and lasts at most 24 hours."),
        "starts_at": _l("Sessions may not overlap."),
        "tables": _l("Give tables for in-person sessions, or offer online meetings only."),
        "online": _l("An online-only session needs online meetings offered."),
    }

    def filled_rows(self) -> list[SessionRow]:
        return [row.form for row in self.sessions if not row.form.is_empty()]

    def validate_sessions(self, field):
        if not self.filled_rows():
            raise ValidationError(_l("Give at least one session."))

    def validate_booking_closes_at(self, field):
        opens = self.booking_opens_at.data
        if opens and field.data and field.data <= opens:
            raise ValidationError(_l("The booking window closes after it opens."))

    def payload(self, language: str) -> dict:
        """The body of `PUT .../matchmaking`, and the form row of each session sent."""
        sessions = []
        for row in self.filled_rows():
            name = (row.name.data or "").strip()
            sessions.append(
                {
                    "name": {language: name} if name else {},
                    "starts_at": row.starts_at.data.strftime(WALL),
                    "ends_at": row.ends_at.data.strftime(WALL),
                    "in_person": row.in_person.data == "yes",
                }
            )
        return {
            "sessions": sessions,
            "meeting_minutes": int(self.meeting_minutes.data),
            "tables": self.tables.data,
            "online": bool(self.online.data),
            "booking_opens_at": self.booking_opens_at.data.strftime(WALL),
            "booking_closes_at": self.booking_closes_at.data.strftime(WALL),
            "max_meetings": self.max_meetings.data,
            "mode": self.mode.data,
            "gap_slots": self.gap_slots.data or 0,
        }

    def session_field(self, index: int, name: str):
        """The field of the `index`-th filled session row called `name` (for API errors)."""
        rows = self.filled_rows()
        if 0 <= index < len(rows):
            return getattr(rows[index], name, None)
        return None


class RunForm(FlaskForm):
    """Start the scheduler on the event's accepted meetings."""

    keep_published = RadioField(
        _l("Meetings already published"),
        choices=[
            ("yes", _l("Keep them where they are")),
            ("no", _l("Reschedule every meeting")),
        ],
        default="yes",
    )
    publish = BooleanField(_l("Publish the agendas when the run is done"), default=True)
