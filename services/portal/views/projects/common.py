"""What the project pages share: labels, reading helpers, the reader's relation to a project."""

from __future__ import annotations

import datetime as dt
import re

from babel.numbers import format_decimal
from flask import Blueprint
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ... import moments, panels
from ...api_client import projects
from ...auth import api, current_person

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
