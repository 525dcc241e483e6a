"""Signing up to an event and cancelling; the attendee list's CSV for organisers."""

from __future__ import annotations

import csv
import io
import uuid
from zoneinfo import ZoneInfo

from flask import Response, abort, flash, redirect, url_for
from flask_babel import gettext as _

from ... import moments
from ...announcement_calendar import file_name
from ...api_client import ApiError, announcements
from ...auth import api, login_required
from ...forms import EmptyForm, flash_refusal
from .common import (
    FORMULA_STARTS,
    REGISTRATION_LABELS,
    attendees_of,
    bp,
    fetch_announcement,
    manages,
)


@bp.post("/<uuid:announcement_id>/register")
@login_required
def register(announcement_id: uuid.UUID):
    if EmptyForm().validate_on_submit():
        try:
            done = api(
                "POST", announcements(f"/announcements/{announcement_id}/registrations")
            ).json()
        except ApiError as error:
            if error.status in (403, 404):
                abort(404)
            flash_refusal(error)
        else:
            if done["status"] == "waiting":
                flash(
                    _(
                        "The event is full: you are on the waiting list. We tell you if a "
                        "place frees up."
                    ),
                    "info",
                )
            else:
                flash(_("You are registered. See you there!"), "success")
    return redirect(url_for("announcements.detail", announcement_id=announcement_id))


@bp.post("/<uuid:announcement_id>/cancel")
@login_required
def cancel(announcement_id: uuid.UUID):
    if EmptyForm().validate_on_submit():
        try:
            done = api(
                "DELETE", announcements(f"/announcements/{announcement_id}/registrations/me")
            ).json()
        except ApiError as error:
            flash_refusal(error)
        else:
            if done.get("status") == "cancelled":
                flash(_("Your registration is cancelled."), "success")
    return redirect(url_for("announcements.detail", announcement_id=announcement_id))


def _cell(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def attendees_csv(attendees: dict) -> str:
    """The attendee list as CSV text, times in the reader's zone, with a BOM so that Excel
    reads it as UTF-8 (Chinese names intact)."""
    zone = moments.reader_zone()
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Full name"),
            _("Organisation"),
            _("Chinese name of the organisation"),
            _("Status"),
            _("Requested at (%(zone)s)", zone=zone),
        ]
    )
    for row in attendees["rows"]:
        requested = moments.parse(row["requested_at"])
        writer.writerow(
            [
                _cell(row["name"] or ""),
                _cell(row["organisation"]),
                _cell(row["organisation_zh"]),
                str(REGISTRATION_LABELS.get(row["status"], row["status"])),
                requested.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
                if requested
                else "",
            ]
        )
    return out.getvalue()


@bp.get("/<uuid:announcement_id>/attendees.csv", endpoint="attendees_csv")
@login_required
def attendees_download(announcement_id: uuid.UUID):
    """The attendee list as a spreadsheet; 403 for readers who do not organise the event."""
    item = fetch_announcement(announcement_id)
    if item["kind"] != "event":
        abort(404)
    if not manages(item):
        abort(403)
    attendees = attendees_of(item)
    if attendees is None:
        abort(403)
    response = Response(attendees_csv(attendees).encode("utf-8"), mimetype="text/csv")
    response.charset = "utf-8"
    name = file_name(item).removesuffix(".ics")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}-attendees.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
