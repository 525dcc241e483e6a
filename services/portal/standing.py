"""Where the signed-in person stands: their organisation's status, and staff's verification queue.

Every page shows a pending or suspended organisation's people what they can do meanwhile
(`shared.organisation_status` is the rule), and staff how many registrations wait on the
Verification link. Both are read once a request from members, quietly: a page never fails
because members is slow to say it. The status is usually asked with the page's own calls
(`layout_reads`).
"""

from __future__ import annotations

import logging

from flask import current_app, g

from shared import organisation_status

from . import layout_reads
from .api_client import ApiError, ApiUnavailable, members
from .auth import api, current_person

log = logging.getLogger(__name__)
QUEUE_PAGE = 50  # the count says "50+" beyond one page of the queue


def _quick() -> float:
    return min(layout_reads.STATUS_TIMEOUT, current_app.config["PORTAL_API_TIMEOUT"])


def organisation_status_of_reader() -> str | None:
    """The status of the signed-in person's organisation (pending, verified, suspended...)."""
    if "reader_organisation_status" not in g:
        person = current_person() or {}
        status = None
        if person.get("organisation_id"):
            path = members(f"/organisations/{person['organisation_id']}")
            try:
                early = layout_reads.answer("standing")
                if isinstance(early, ApiError | ApiUnavailable):
                    if not (isinstance(early, ApiError) and early.status == 401):
                        raise early
                    early = None  # the token expired meanwhile: asked again, renewed
                response = early if early is not None else api("GET", path, timeout=_quick())
                status = response.json().get("status")
            except (ApiError, ApiUnavailable) as exc:
                log.warning("organisation status unknown for this page: %s", exc)
        g.reader_organisation_status = status
    return g.reader_organisation_status


def may(capability: str) -> bool:
    """Whether the reader's organisation may use `capability` (shared.organisation_status)."""
    return organisation_status.allows(organisation_status_of_reader(), capability)


def pending_registrations() -> str:
    """For staff: how many registrations wait ("3", "50+"), "" for none or for anyone else."""
    if "pending_registrations" not in g:
        count = ""
        if (current_person() or {}).get("is_platform_admin"):
            try:
                page = api(
                    "GET",
                    members("/organisations"),
                    params={"status": "pending", "limit": QUEUE_PAGE},
                    timeout=_quick(),
                ).json()
            except (ApiError, ApiUnavailable) as exc:
                log.warning("verification queue unknown for this page: %s", exc)
            else:
                items = len(page.get("items") or [])
                count = f"{items}+" if page.get("next") else (str(items) if items else "")
        g.pending_registrations = count
    return g.pending_registrations
