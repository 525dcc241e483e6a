"""Reading: the lists of news, events and calls, and one announcement's page."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import request

from shared.i18n import pick

from ... import moments, panels
from ...announcement_forms import PublishForm, WithdrawForm
from ...api_client import ApiError, announcements
from ...auth import api, current_person
from ...forms import EmptyForm
from .common import (
    EDITABLE_BY_ORGANISATIONS,
    FEED_LANGUAGES,
    KIND_TABS,
    KINDS,
    PAGE_SIZE,
    REGISTRATION_LABELS,
    WITHDRAWABLE,
    attendees_of,
    bp,
    fetch_announcement,
    is_org_admin,
    is_staff,
    manages,
    may_edit,
    reader_language,
    render_page,
)

# --- Public pages ---


@bp.get("")
def index():
    kind = request.args.get("kind")
    if kind not in KINDS:
        kind = None
    try:
        page = panels.announcement_listing(kind, PAGE_SIZE, request.args.get("cursor"))
    except ApiError as error:
        if error.status not in (400, 422):
            raise
        page = {"items": [], "next": None, "invalid": True}
    language = reader_language()
    return render_page(
        "announcements/index.html",
        page=page,
        kind=kind,
        kinds=KIND_TABS,
        feed_language=language if language in FEED_LANGUAGES else "en",
        zone=moments.reader_zone(),
        is_staff=is_staff(),
        is_org_admin=is_org_admin(),
    )


def _own_registration(item: dict) -> dict | None:
    if current_person() is None or item["kind"] != "event" or item["status"] != "published":
        return None
    try:
        return api("GET", announcements(f"/announcements/{item['id']}/registrations/me")).json()
    except ApiError as error:
        if error.status == 404:
            return None
        raise


def _places(item: dict) -> dict | None:
    """Places taken and left, and how many wait, for an event."""
    if item["kind"] != "event":
        return None
    counts = item.get("registrations") or {"registered": 0, "waiting": 0}
    capacity = item.get("capacity")
    left = None if capacity is None else max(capacity - counts["registered"], 0)
    return {
        "capacity": capacity,
        "registered": counts["registered"],
        "waiting": counts["waiting"],
        "left": left,
        "full": left == 0,
    }


def _started(item: dict) -> bool:
    starts = item.get("starts_at")
    return bool(starts) and datetime.fromisoformat(starts) <= datetime.now(UTC)


@bp.get("/<uuid:announcement_id>")
def detail(announcement_id: uuid.UUID):
    item = fetch_announcement(announcement_id)
    managing = manages(item)
    registration = _own_registration(item)
    active = registration if registration and registration["status"] != "cancelled" else None
    author = item.get("author_organisation_id")
    attendees = attendees_of(item) if managing and item["kind"] == "event" else None
    return render_page(
        "announcements/detail.html",
        attendees=attendees,
        registration_labels=REGISTRATION_LABELS,
        item=item,
        title=pick(item["title"], reader_language()),
        body_html=pick(item.get("body_html"), reader_language()),
        times=moments.event_times(item),
        places=_places(item),
        started=_started(item),
        registration=active,
        author_name=panels.organisation_names([author]).get(str(author)) if author else None,
        manages=managing,
        may_edit=may_edit(item),
        may_withdraw=managing and item["status"] in WITHDRAWABLE,
        may_submit=managing and item["status"] in EDITABLE_BY_ORGANISATIONS,
        is_staff=is_staff(),
        action=EmptyForm(),
        publish=PublishForm(),
        withdraw=WithdrawForm(),
        zone=moments.reader_zone(),
    )
