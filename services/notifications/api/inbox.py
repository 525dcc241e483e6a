"""A person's own inbox: list, unread count (cheap to poll with an ETag), read, delete."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from shared import policy
from shared.auth import authenticated
from shared.errors import Forbidden
from shared.i18n import negotiate
from shared.organisation_status import NOTIFICATIONS
from shared.pagination import next_link

from ..domain import inbox
from ..models import db
from ..schemas.inbox import (
    InboxArgs,
    LatestArgs,
    LatestOut,
    MarkedOut,
    NotificationOut,
    NotificationPage,
    UnreadOut,
)

blp = Blueprint("inbox", __name__, description="Each person's in-app notifications")


def _person():
    caller = authenticated()
    if caller.user_id is None:
        raise Forbidden("Only a person has an inbox.")
    return caller.user_id


def _language() -> str | None:
    """The reader's language now: Accept-Language, else the token's."""
    if request.headers.get("Accept-Language"):
        return negotiate(request.headers["Accept-Language"])
    return authenticated().language


@blp.route("/inbox")
class Inbox(MethodView):
    @policy.person(NOTIFICATIONS)
    @blp.arguments(InboxArgs, location="query")
    @blp.response(200, NotificationPage)
    def get(self, args):
        """Your notifications, newest first."""
        person = _person()
        with db.transaction() as session:
            result = inbox.listing(
                session, person, args["unread"], args["cursor"], args["limit"], _language()
            )
        return result, 200, next_link(result["next"])


@blp.route("/inbox/unread-count")
class UnreadCount(MethodView):
    @policy.person(NOTIFICATIONS)
    @blp.response(200, UnreadOut)
    @blp.alt_response(304, description="Unchanged since the ETag you sent")
    def get(self):
        """How many are unread; send `If-None-Match` to get a 304 while nothing changed."""
        with db.transaction() as session:
            count, etag = inbox.unread(session, _person())
        quoted = f'"{etag}"'
        headers = {"ETag": quoted, "Cache-Control": "private, no-cache"}
        if quoted in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
            return "", 304, headers
        return {"unread": count}, 200, headers


@blp.route("/inbox/latest")
class Latest(MethodView):
    @policy.person(NOTIFICATIONS)
    @blp.arguments(LatestArgs, location="query")
    @blp.response(200, LatestOut)
    def get(self, args):
        """Your newest notifications and how many are unread, in one read (a dashboard's panel
        and its badge)."""
        person = _person()
        with db.transaction() as session:
            items = inbox.listing(session, person, False, None, args["limit"], _language())
            count, _etag = inbox.unread(session, person)
        return {"items": items["items"], "unread": count}


@blp.route("/inbox/read-all")
class ReadAll(MethodView):
    @policy.person(NOTIFICATIONS)
    @blp.response(200, MarkedOut)
    def post(self):
        """Mark every notification read."""
        with db.transaction() as session:
            return {"marked": inbox.mark_all_read(session, _person())}


@blp.route("/inbox/<int:notification_id>/read")
class Read(MethodView):
    @policy.person(NOTIFICATIONS)
    @blp.response(200, NotificationOut)
    def post(self, notification_id):
        with db.transaction() as session:
            return inbox.mark_read(session, _person(), notification_id)


@blp.route("/inbox/<int:notification_id>")
class Item(MethodView):
    @policy.person(NOTIFICATIONS)
    @blp.response(204)
    def delete(self, notification_id):
        with db.transaction() as session:
            inbox.remove(session, _person(), notification_id)
