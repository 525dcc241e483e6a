"""Announcements: writing, publishing, moderation, reading."""

from __future__ import annotations

import json

from flask import Response, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from shared import policy
from shared.auth import authenticated, current_caller
from shared.db import utcnow
from shared.openapi import problems
from shared.organisation_status import DRAFTS, PUBLISH
from shared.pagination import PageArgs, next_link

from ..domain import announcements as domain
from ..domain import registrations
from ..models import db
from ..schemas import (
    AnnouncementIn,
    AnnouncementOut,
    AnnouncementPage,
    AnnouncementPatch,
    ListArgs,
    MineArgs,
    PublishIn,
    ReaderArgs,
    RejectIn,
    VersionOut,
    WithdrawIn,
)
from . import conditional
from .presenting import listed, present, reader_zone

blp = Blueprint(
    "announcements",
    __name__,
    url_prefix="/announcements",
    description="News, events and calls: writing, publishing, moderation, reading",
)


def _page(result: dict, zone: str | None) -> Response:
    """A list page as JSON, without a schema pass: lists are the hot path."""
    body = {"items": [listed(a, zone) for a in result["items"]], "next": result["next"]}
    response = jsonify(body)
    response.headers.update(next_link(result["next"]))
    return response


def _shown(announcement, tz=None) -> dict:
    zone = reader_zone(tz, current_caller())
    counts = (
        registrations.counts(db.session, announcement.id) if announcement.kind == "event" else None
    )
    return present(announcement, zone, counts)


@blp.route("")
class Announcements(MethodView):
    @policy.anyone(scope="announcements:read")
    @blp.arguments(ListArgs, location="query")
    @blp.response(200, AnnouncementPage)
    def get(self, args):
        """Published announcements for the caller's audience, newest first (public ones to all);
        with `upcoming`, the events still to start, soonest first.

        Anonymous readers get an ETag and Last-Modified, and a 304 when nothing changed (for
        upcoming events: nor did any of them start).
        """
        caller = current_caller()
        zone = reader_zone(args["tz"], caller)
        now = utcnow()
        selection = (args["kind"], args["cursor"], args["limit"], args["upcoming"], now)
        if caller is not None:
            return _page(domain.listing(db.session, caller, *selection), zone)
        etag, modified = conditional.validators(starts_after=now if args["upcoming"] else None)
        unchanged = conditional.not_modified(etag, modified)
        if unchanged is not None:
            return unchanged

        def render() -> tuple[bytes, str | None]:
            result = domain.listing(db.session, None, *selection)
            items = [listed(a, zone) for a in result["items"]]
            body = {"items": items, "next": result["next"]}
            return json.dumps(body, ensure_ascii=False).encode(), result["next"]

        body, following = conditional.rendered(etag, render)
        response = Response(body, mimetype="application/json")
        response.headers.update(next_link(following))
        return conditional.stamp(response, etag, modified)

    @policy.admin("announcements:write", DRAFTS)
    @blp.arguments(AnnouncementIn)
    @blp.response(201, AnnouncementOut)
    def post(self, payload):
        """Write a draft (platform staff: any kind; an organisation's admin: news for it)."""
        with db.transaction() as session:
            announcement = domain.create(session, authenticated(), payload)
        return _shown(announcement)


@blp.route("/mine")
class ManagedAnnouncements(MethodView):
    @policy.member("announcements:read", DRAFTS)
    @blp.arguments(MineArgs, location="query")
    @blp.response(200, AnnouncementPage)
    def get(self, args):
        """Announcements the caller manages (their organisation's; all of them for staff)."""
        caller = authenticated()
        zone = reader_zone(args["tz"], caller)
        result = domain.mine(db.session, caller, args["status"], args["cursor"], args["limit"])
        return _page(result, zone)


@blp.route("/moderation")
class ModerationQueue(MethodView):
    @policy.staff()
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, AnnouncementPage)
    def get(self, args):
        """Organisations' news awaiting approval, oldest first (platform staff)."""
        result = domain.moderation_queue(db.session, authenticated(), args["cursor"], args["limit"])
        return _page(result, None)


@blp.route("/<uuid:announcement_id>")
class AnnouncementDetail(MethodView):
    @policy.anyone(scope="announcements:read")
    @blp.arguments(ReaderArgs, location="query")
    @blp.response(200, AnnouncementOut)
    @problems(410)
    def get(self, args, announcement_id):
        """One announcement, if the caller is in its audience or manages it."""
        announcement = domain.readable(db.session, current_caller(), announcement_id)
        return _shown(announcement, args["tz"])

    @policy.admin("announcements:write", DRAFTS)
    @blp.arguments(AnnouncementPatch(partial=("title",)))
    @blp.response(200, AnnouncementOut)
    @problems(409)
    def patch(self, payload, announcement_id):
        """Edit; a published announcement keeps what it said before as a version."""
        with db.transaction() as session:
            announcement = domain.edit(session, authenticated(), announcement_id, payload)
            if "capacity" in payload:
                registrations.refill(session, announcement.id)
        return _shown(announcement)


@blp.route("/<uuid:announcement_id>/publish")
class Publication(MethodView):
    @policy.admin("announcements:write", PUBLISH)
    @blp.arguments(PublishIn)
    @blp.response(200, AnnouncementOut)
    @problems(409)
    def post(self, payload, announcement_id):
        """Publish now or at `publish_at` (staff); submit for moderation (organisation admin)."""
        with db.transaction() as session:
            announcement = domain.publish(
                session, authenticated(), announcement_id, payload["publish_at"]
            )
        return _shown(announcement)


@blp.route("/<uuid:announcement_id>/approve")
class Approval(MethodView):
    @policy.staff()
    @blp.response(200, AnnouncementOut)
    @problems(409)
    def post(self, announcement_id):
        """Approve an organisation's news: published now, or scheduled (platform staff)."""
        with db.transaction() as session:
            announcement = domain.approve(session, authenticated(), announcement_id)
        return _shown(announcement)


@blp.route("/<uuid:announcement_id>/reject")
class Rejection(MethodView):
    @policy.staff()
    @blp.arguments(RejectIn)
    @blp.response(200, AnnouncementOut)
    @problems(409)
    def post(self, payload, announcement_id):
        """Send an organisation's news back with a reason (platform staff)."""
        with db.transaction() as session:
            announcement = domain.reject(
                session, authenticated(), announcement_id, payload["reason"]
            )
        return _shown(announcement)


@blp.route("/<uuid:announcement_id>/withdraw")
class Withdrawal(MethodView):
    @policy.admin("announcements:write", PUBLISH)
    @blp.arguments(WithdrawIn)
    @blp.response(200, AnnouncementOut)
    @problems(409)
    def post(self, payload, announcement_id):
        """Take an announcement down: it leaves lists and feeds."""
        with db.transaction() as session:
            announcement = domain.withdraw(
                session, authenticated(), announcement_id, payload["reason"]
            )
        return _shown(announcement)


@blp.route("/<uuid:announcement_id>/versions")
class Versions(MethodView):
    @policy.member("announcements:read")
    @blp.response(200, VersionOut(many=True))
    def get(self, announcement_id):
        """What a published announcement said before each edit, oldest first."""
        return domain.versions(db.session, authenticated(), announcement_id)
