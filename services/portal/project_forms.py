"""Forms of the project pages, and the projects API's refusals in the reader's language.

Texts are entered per language (en, fr, zh) because the projects API stores them so; at least one
language is needed for a title and a summary. Lists the API takes as arrays (keywords, skills) are
typed comma-separated; links one a line. The call's deadline is a wall time in the reader's zone.
"""

from __future__ import annotations

import re
from dataclasses import replace

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from .api_client import ApiError
from .forms import REQUIRED, CheckboxesField, show_api_error

LANGUAGES = ("en", "fr", "zh")
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MAX_WORDS = 20
MAX_WORD = 60
MAX_SECTORS = 8
MAX_LINKS = 20
MAX_BUDGET = 10**12
CURRENCIES = ("EUR", "CNY", "USD")


def split_words(text: str | None) -> list[str]:
    """Comma-separated words (either comma, Latin or Chinese) trimmed, unique, in order."""
    words: list[str] = []
    for word in re.split(r"[,，、]", text or ""):  # noqa: RUF001 - Chinese commas too
        word = word.strip()
        if word and word not in words:
            words.append(word)
    return words


def split_links(text: str | None) -> list[dict]:
    """One link a line, its title then its address: `Brief https://example.org/brief.pdf`."""
    links = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        title, _sep, url = line.rpartition(" ")
        links.append({"title": title.strip() or url, "url": url})
    return links


def links_text(links: list[dict] | None) -> str:
    return "\n".join(f"{link.get('title', '')} {link.get('url', '')}" for link in links or [])


def _words(form, field) -> None:
    words = split_words(field.data)
    if len(words) > MAX_WORDS:
        raise ValidationError(_("Give at most %(count)s words.", count=MAX_WORDS))
    if any(len(word) > MAX_WORD for word in words):
        raise ValidationError(_("Keep each word under %(count)s characters.", count=MAX_WORD))


def _links(form, field) -> None:
    links = split_links(field.data)
    if len(links) > MAX_LINKS:
        raise ValidationError(_("Give at most %(count)s links.", count=MAX_LINKS))
    for link in links:
        if not re.fullmatch(r"https?://\S+", link["url"]):
            raise ValidationError(_("End each line with a web address starting with https://."))


def _at_most(count: int):
    def check(form, field) -> None:
        if len(field.data or []) > count:
            raise ValidationError(_("Choose at most %(count)s.", count=count))

    return check


def _text_in_a_language(name: str, message):
    """At least one of `<name>_en`, `_fr`, `_zh` filled: the API needs one language."""

    def check(form, field) -> None:
        if not any((form[f"{name}_{code}"].data or "").strip() for code in LANGUAGES):
            raise ValidationError(message)

    return check


class ProjectForm(FlaskForm):
    """Everything the owner writes about a project; the API checks the rules across fields."""

    kind = SelectField(_l("Kind of project"), validators=[DataRequired(message=REQUIRED)])
    title_en = StringField(
        _l("Title in English"),
        validators=[
            _text_in_a_language("title", _l("Give the title in at least one language.")),
            Length(max=200),
        ],
    )
    title_fr = StringField(_l("Title in French"), validators=[Length(max=200)])
    title_zh = StringField(_l("Title in Chinese"), validators=[Length(max=200)])
    summary_en = TextAreaField(
        _l("Summary in English"),
        validators=[
            _text_in_a_language("summary", _l("Give the summary in at least one language.")),
            Length(max=1000),
        ],
    )
    summary_fr = TextAreaField(_l("Summary in French"), validators=[Length(max=1000)])
    summary_zh = TextAreaField(_l("Summary in Chinese"), validators=[Length(max=1000)])
    description_en = TextAreaField(_l("Description in English"), validators=[Length(max=20_000)])
    description_fr = TextAreaField(_l("Description in French"), validators=[Length(max=20_000)])
    description_zh = TextAreaField(_l("Description in Chinese"), validators=[Length(max=20_000)])
    sectors = CheckboxesField(
        _l("Sectors"),
        validators=[
            DataRequired(message=_l("Choose at least one sector.")),
            _at_most(MAX_SECTORS),
        ],
    )
    keywords = StringField(_l("Keywords"), validators=[_words])
    seeks_countries = SelectMultipleField(
        _l("Countries of the partners sought"),
        validators=[_at_most(MAX_WORDS)],
        render_kw={"size": 8},
    )
    seeks_kinds = CheckboxesField(_l("Kinds of partner sought"))
    seeks_skills = StringField(_l("Skills sought"), validators=[_words])
    starts_on = DateField(_l("Start date"), validators=[Optional()])
    ends_on = DateField(_l("End date"), validators=[Optional()])
    budget_min = IntegerField(
        _l("Budget from"),
        validators=[
            Optional(),
            NumberRange(0, MAX_BUDGET, message=_l("Give a whole amount, 0 or more.")),
        ],
    )
    budget_max = IntegerField(
        _l("Budget up to"),
        validators=[
            Optional(),
            NumberRange(0, MAX_BUDGET, message=_l("Give a whole amount, 0 or more.")),
        ],
    )
    budget_currency = SelectField(_l("Currency"), validators=[Optional()])
    funding_scheme = StringField(_l("Funding scheme"), validators=[Length(max=200)])
    visibility = RadioField(_l("Who may read it"), validators=[DataRequired(message=REQUIRED)])
    discretion = RadioField(_l("Name of our organisation"), validators=[Optional()])
    call_deadline = DateTimeLocalField(
        _l("Deadline of the call for partners"),
        format=[DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()],
        render_kw={"step": 60},
    )
    attachments = TextAreaField(_l("Links to documents"), validators=[_links])

    # The API's JSON pointers (first segment) and the fields they concern.
    POINTERS = {
        "title": "title_en",
        "summary": "summary_en",
        "description": "description_en",
    }
    # What the projects API's own rules mean when they refuse one of these fields (`invalid`).
    FIELD_MESSAGES = {
        **{
            f"{name}{suffix}": _l("Give the text in at least one language.")
            for name in ("title", "summary", "description")
            for suffix in ("", "_en")
        },
        "ends_on": _l("The project ends before it starts."),
        "budget_max": _l("The budget's maximum is below its minimum."),
        "budget_currency": _l("Say in which currency the budget is."),
        "call_deadline": _l(
            "Set the deadline of the call for partners, in the future, before publishing the "
            "project."
        ),
        "seeks_countries": _l("Choose countries from the list."),
    }


class ApplicationForm(FlaskForm):
    message = TextAreaField(
        _l("Your message to the project's owner"),
        validators=[DataRequired(message=REQUIRED), Length(max=5000)],
    )


DECISIONS = (("accepted", _l("Accept")), ("rejected", _l("Decline")))
ROLES = (("partner", _l("Partner")), ("lead", _l("Lead partner")))


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"), choices=DECISIONS, validators=[DataRequired(message=REQUIRED)]
    )
    role = SelectField(_l("Role in the project"), choices=ROLES, default="partner")
    reason = TextAreaField(_l("Note to the applicant"), validators=[Length(max=2000)])


class ReopenCallForm(FlaskForm):
    """A new deadline for an open project's closed call for partners: it opens again."""

    call_deadline = DateTimeLocalField(
        _l("New deadline of the call for partners"),
        format=[DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S"],
        validators=[DataRequired(message=REQUIRED)],
        render_kw={"step": 60},
    )
    FIELD_MESSAGES = {"call_deadline": _l("Choose a deadline in the future.")}


class TransitionForm(FlaskForm):
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])


class MilestoneForm(FlaskForm):
    title_en = StringField(
        _l("Title in English"),
        validators=[
            _text_in_a_language("title", _l("Give the title in at least one language.")),
            Length(max=200),
        ],
    )
    title_fr = StringField(_l("Title in French"), validators=[Length(max=200)])
    title_zh = StringField(_l("Title in Chinese"), validators=[Length(max=200)])
    starts_on = DateField(_l("Start date"), validators=[Optional()])
    due_on = DateField(_l("Due date"), validators=[DataRequired(message=REQUIRED)])
    progress = IntegerField(
        _l("Progress (%)"),
        default=0,
        validators=[Optional(), NumberRange(0, 100, message=_l("Give a number from 0 to 100."))],
    )

    POINTERS = {"title": "title_en"}
    FIELD_MESSAGES = {
        "title_en": _l("Give the title in at least one language."),
        "due_on": _l("The milestone is due before it starts."),
    }


class ProgressForm(FlaskForm):
    progress = IntegerField(
        _l("Progress (%)"),
        validators=[
            DataRequired(message=REQUIRED),
            NumberRange(0, 100, message=_l("Give a number from 0 to 100.")),
        ],
    )


def show_project_error(form: FlaskForm, error: ApiError) -> bool:
    """The API's field errors next to their fields: `attachments/0/url` concerns `attachments`."""
    errors = []
    for entry in error.errors:
        pointer = (entry.get("pointer") or entry.get("parameter") or "").strip("/")
        head = pointer.split("/", 1)[0]
        errors.append({**entry, "pointer": "/" + form_field(form, head)})
    return show_api_error(form, replace(error, errors=errors))


def form_field(form: FlaskForm, pointer: str) -> str:
    return getattr(form, "POINTERS", {}).get(pointer, pointer)
