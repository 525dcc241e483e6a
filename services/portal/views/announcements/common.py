"""What the announcements pages share: labels, the reader's rights, one announcement and
its attendees as the API gives them."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, render_template
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from ... import moments, panels
from ...api_client import ApiError, announcements
from ...auth import api, current_person

KINDS = ("news", "event", "call")
FEED_LANGUAGES = ("en", "fr", "zh")
PAGE_SIZE = 20
EDITABLE_BY_ORGANISATIONS = ("draft", "rejected")
WITHDRAWABLE = ("published", "scheduled", "pending")
STATUS_LABELS = {
    "draft": _l("Draft"),
    "pending": _l("Awaiting approval"),
    "rejected": _l("Sent back"),
    "scheduled": _l("Scheduled"),
    "published": _l("Published"),
    "withdrawn": _l("Withdrawn"),
}
KIND_LABELS = {"news": _l("News"), "event": _l("Event"), "call": _l("Call")}
KIND_TABS = {"news": _l("News"), "event": _l("Events"), "call": _l("Calls")}
SCOPE_LABELS = {
    "public": _l("Everyone"),
    "members": _l("Members of the platform"),
    "selected": _l("Selected organisations"),
}
REGISTRATION_LABELS = {"registered": _l("Registered"), "waiting": _l("Waiting list")}
# A spreadsheet reads a cell starting so as a formula: such text is written with a quote first.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def reader_language() -> str:
    return str(get_locale())


def fetch_announcement(announcement_id: uuid.UUID) -> dict:
    """One announcement as the reader may see it; 404 otherwise, GoneError when withdrawn."""
    try:
        return api(
            "GET",
            announcements(f"/announcements/{announcement_id}"),
            params={"tz": moments.reader_zone()},
        ).json()
    except ApiError as error:
        if error.status == 410:
            raise Withdrawn() from error
        if error.status in (403, 404, 422):
            abort(404)
        raise


class Withdrawn(Exception):
    """The announcement was public and is withdrawn: readers get a page saying so (410)."""


def manages(item: dict) -> bool:
    """Platform staff, or an admin of the organisation that wrote it (as the API decides)."""
    person = current_person()
    if person is None:
        return False
    if person.get("is_platform_admin"):
        return True
    author = item.get("author_organisation_id")
    return bool(
        author
        and person.get("role") == "org_admin"
        and str(person.get("organisation_id")) == str(author)
    )


def may_edit(item: dict) -> bool:
    if not manages(item) or item["status"] == "withdrawn":
        return False
    return current_person().get("is_platform_admin") or item["status"] in (
        EDITABLE_BY_ORGANISATIONS
    )


def is_staff() -> bool:
    return bool((current_person() or {}).get("is_platform_admin"))


def is_org_admin() -> bool:
    person = current_person() or {}
    return person.get("role") == "org_admin" and bool(person.get("organisation_id"))


def render_page(template: str, **context):
    return render_template(
        template,
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
        scope_labels=SCOPE_LABELS,
        **context,
    )


# --- Attendees, for the event's organisers and platform staff ---


def registrations_of(announcement_id) -> dict | None:
    """The API's list of who has a place and who waits; None when it refuses the reader."""
    try:
        return api("GET", announcements(f"/announcements/{announcement_id}/registrations")).json()
    except ApiError as error:
        if error.status in (403, 404):
            return None
        raise


def attendees_of(item: dict) -> dict | None:
    """Registrations in order (places, then the waiting list) with names and organisations,
    and their counts; None for a reader who may not see them."""
    listing = registrations_of(item["id"])
    if listing is None:
        return None
    entries = [*listing.get("registered", []), *listing.get("waiting", [])]
    organisation_ids = {str(e["organisation_id"]) for e in entries if e.get("organisation_id")}
    organisations = panels.organisations(organisation_ids)
    rows = []
    for entry in entries:
        organisation = organisations.get(str(entry.get("organisation_id"))) or {}
        rows.append(
            {
                "name": entry.get("full_name"),
                "organisation": organisation.get("name") or "",
                "organisation_zh": organisation.get("name_zh") or "",
                "status": entry["status"],
                "requested_at": entry.get("requested_at"),
            }
        )
    return {
        "capacity": listing.get("capacity"),
        "registered": len(listing.get("registered", [])),
        "waiting": len(listing.get("waiting", [])),
        "rows": rows,
    }


bp = Blueprint("announcements", __name__, url_prefix="/announcements")
moments.install(bp)


@bp.errorhandler(Withdrawn)
def _withdrawn(_error):
    """A withdrawn announcement that was public: a page saying so (410)."""
    return render_template("announcements/withdrawn.html"), 410
