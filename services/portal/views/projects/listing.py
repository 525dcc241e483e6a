"""Finding projects: the search, one's own projects and applications, recommendations."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from ... import i18n, panels
from ...api_client import ApiError, projects
from ...auth import api, login_required
from .common import (
    FILTERS,
    KIND_LABELS,
    PAGE_SIZE,
    STATE_LABELS,
    STATUS_LABELS,
    _language,
    bp,
)


@bp.get("")
def index():
    """Anyone finds published public projects; signed-in members find members-only ones too."""
    language = _language()
    filters = {name: request.args.get(name, "").strip()[:200] for name in FILTERS}
    open_calls = request.args.get("open_calls") == "1"
    params = {
        **filters,
        "open_calls": "true" if open_calls else None,
        "lang": language,
        "limit": PAGE_SIZE,
        "cursor": request.args.get("cursor"),
    }
    page = panels.search_projects(params)
    shown = {k: v for k, v in filters.items() if v}
    if open_calls:
        shown["open_calls"] = "1"
    return render_template(
        "projects/index.html",
        page=page,
        filters=filters,
        open_calls=open_calls,
        shown_filters=shown,
        kinds=[(k, str(v)) for k, v in KIND_LABELS.items()],
        states=[(k, str(v)) for k, v in STATE_LABELS.items()],
        sectors=i18n.choices("sector", language),
        countries=i18n.country_choices(language),
        organisation_kinds=i18n.choices("kind", language),
        can_create=panels.reader_organisation_id() is not None,
    )


@bp.get("/mine")
@login_required
def mine():
    organisation_id = panels.reader_organisation_id()
    if organisation_id is None:
        return render_template("projects/mine.html", organisation_id=None)
    drafts = panels.draft_projects(organisation_id, cursor=request.args.get("drafts"))
    published = panels.owned_projects(organisation_id, request.args.get("cursor"), PAGE_SIZE)
    return render_template(
        "projects/mine.html",
        organisation_id=organisation_id,
        drafts=drafts,
        published=published,
    )


@bp.get("/applications")
@login_required
def applications():
    """The applications the person's organisation sent, newest first, by status."""
    organisation_id = panels.reader_organisation_id()
    status = request.args.get("status") or None
    if status not in (None, *STATUS_LABELS):
        return redirect(url_for("projects.applications"))
    sent = {"items": [], "next": None}
    if organisation_id is not None:
        params = {"status": status, "limit": PAGE_SIZE, "lang": _language()}
        try:
            sent = api(
                "GET",
                projects(f"/organisations/{organisation_id}/applications"),
                params={**params, "cursor": request.args.get("cursor") or None},
            ).json()
        except ApiError as error:
            if error.status not in (400, 422):  # a stale cursor: the first page again
                raise
            return redirect(url_for("projects.applications", status=status))
    return render_template(
        "projects/applications.html",
        organisation_id=organisation_id,
        sent=sent,
        status=status,
        statuses=STATUS_LABELS,
    )


@bp.get("/recommended")
@login_required
def recommendations():
    return render_template(
        "projects/recommended.html",
        organisation_id=panels.reader_organisation_id(),
        items=panels.recommended(20),
    )
