"""Forms of the announcement pages, and the announcements API's refusals in the reader's language.

News, events and calls in three languages, staff decisions. Texts are entered per language (en,
fr, zh) because the announcements API stores them so and readers get their own language with a
fallback. Event times are wall times in the event's own zone; the API turns them into UTC.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, ValidationError

from .forms import REQUIRED, TIME_ZONES, CheckboxesField

LANGUAGES = ("en", "fr", "zh")
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MAX_TAGS = 20
# The zones the API accepts for an event: `Area/City` names and UTC, not legacy aliases.
EVENT_ZONES = [zone for zone in TIME_ZONES if "/" in zone or zone == "UTC"]


def _datetime(label, *validators):
    return DateTimeLocalField(
        label,
        format=[DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S"],
        validators=list(validators) or [Optional()],
        render_kw={"step": 60},
    )


def split_tags(text: str | None) -> list[str]:
    """Comma-separated tags as the API wants them: trimmed, unique, in the order given."""
    tags: list[str] = []
    for tag in (text or "").split(","):
        tag = tag.strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


class AnnouncementForm(FlaskForm):
    """What every announcement has: title, summary and Markdown body per language, tags."""

    title_en = StringField(_l("Title in English"), validators=[Length(max=200)])
    title_fr = StringField(_l("Title in French"), validators=[Length(max=200)])
    title_zh = StringField(_l("Title in Chinese"), validators=[Length(max=200)])
    summary_en = TextAreaField(_l("Summary in English"), validators=[Length(max=1000)])
    summary_fr = TextAreaField(_l("Summary in French"), validators=[Length(max=1000)])
    summary_zh = TextAreaField(_l("Summary in Chinese"), validators=[Length(max=1000)])
    body_en = TextAreaField(_l("Text in English"), validators=[Length(max=50_000)])
    body_fr = TextAreaField(_l("Text in French"), validators=[Length(max=50_000)])
    body_zh = TextAreaField(_l("Text in Chinese"), validators=[Length(max=50_000)])
    tags = StringField(_l("Tags"), validators=[Optional(), Length(max=500)])
    sectors = CheckboxesField(_l("Sectors"), validators=[Optional()])
    audience_scope = SelectField(_l("Who may read it"), validators=[DataRequired(REQUIRED)])

    # The API's JSON pointers and the fields they concern.
    POINTERS = {
        "title": "title_en",
        **{
            f"{name}/{code}": f"{name}_{code}"
            for name in ("title", "summary", "body")
            for code in LANGUAGES
        },
        "summary": "summary_en",
        "body": "body_en",
        "audience": "audience_scope",
        "audience/scope": "audience_scope",
    }
    # What the announcements API's own rules mean when they refuse these fields (`invalid`).
    FIELD_MESSAGES = {
        "title": _l("Give a title in at least one language."),
        "audience": _l("Choose at least one country, park, sector or kind of organisation."),
        "starts_at": _l("Give the date and time the event starts."),
        "ends_at": _l("An event cannot end before it starts."),
        "place": _l("Give a place, an online link, or both."),
        "timezone": _l("Choose a time zone from the list."),
    }

    def validate_title_en(self, field):
        """At least one title: the API falls back from the reader's language to the others."""
        if not any((getattr(self, f"title_{code}").data or "").strip() for code in LANGUAGES):
            raise ValidationError(_l("Give a title in at least one language."))

    def validate_tags(self, field):
        tags = split_tags(field.data)
        if len(tags) > MAX_TAGS:
            raise ValidationError(_l("Use at most %(count)s tags.", count=MAX_TAGS))
        if any(len(tag) > 40 for tag in tags):
            raise ValidationError(_l("A tag has at most 40 characters."))

    def texts(self, name: str) -> dict[str, str]:
        """`{"en": ..., "fr": ...}` of the languages filled in."""
        values = {code: (getattr(self, f"{name}_{code}").data or "").strip() for code in LANGUAGES}
        return {code: text for code, text in values.items() if text}


class NewsForm(AnnouncementForm):
    """An organisation's news: for everyone or for the platform's members."""


class StaffForm(AnnouncementForm):
    """Platform staff: news, events and calls, for any organisation and any audience."""

    author_organisation_id = SelectField(_l("Organiser"), validators=[Optional()])
    audience_countries = SelectMultipleField(_l("Countries"), validators=[Optional()])
    audience_parks = CheckboxesField(_l("Parks"), validators=[Optional()])
    audience_sectors = CheckboxesField(_l("Sectors of the organisations"), validators=[Optional()])
    audience_kinds = CheckboxesField(_l("Kinds of organisation"), validators=[Optional()])

    POINTERS = {
        **AnnouncementForm.POINTERS,
        "audience/countries": "audience_countries",
        "audience/parks": "audience_parks",
        "audience/sectors": "audience_sectors",
        "audience/kinds": "audience_kinds",
        "author_organisation_id": "author_organisation_id",
    }

    def validate_audience_scope(self, field):
        criteria = (
            self.audience_countries,
            self.audience_parks,
            self.audience_sectors,
            self.audience_kinds,
        )
        if field.data == "selected" and not any(c.data for c in criteria):
            raise ValidationError(
                _l("Choose at least one country, park, sector or kind of organisation.")
            )


class EventForm(StaffForm):
    """An event: when (in its own zone), where, how many places."""

    starts_at = _datetime(
        _l("Starts"), DataRequired(message=_l("Give the date and time the event starts."))
    )
    ends_at = _datetime(_l("Ends"))
    timezone = SelectField(
        _l("Time zone of the event"), choices=EVENT_ZONES, validators=[DataRequired(REQUIRED)]
    )
    place = StringField(_l("Place"), validators=[Length(max=300)])  # checked with online_url
    online_url = URLField(
        _l("Online link"),
        validators=[
            Optional(),
            URL(message=_l("Give a web address starting with https://.")),
            Length(max=500),
        ],
    )
    capacity = IntegerField(
        _l("Places"),
        validators=[
            Optional(),
            NumberRange(1, 100_000, message=_l("Give a number from 1 to 100,000.")),
        ],
    )

    def validate_ends_at(self, field):
        if field.data and self.starts_at.data and field.data < self.starts_at.data:
            raise ValidationError(_l("An event cannot end before it starts."))

    def validate_place(self, field):
        if not (field.data or "").strip() and not (self.online_url.data or "").strip():
            raise ValidationError(_l("Give a place, an online link, or both."))


class PublishForm(FlaskForm):
    """Staff publish now, or at a time in their own time zone."""

    publish_at = _datetime(_l("Publish at (leave empty to publish now)"))


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])


class RejectForm(FlaskForm):
    """Sending news back: the organisation reads the reason and can correct the news."""

    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(REQUIRED), Length(max=2000)],
    )
