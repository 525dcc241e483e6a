"""Public feeds: RSS and Atom per language, iCalendar per event and for every event."""

from __future__ import annotations

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint

from shared import policy
from shared.errors import NotFound
from shared.i18n import negotiate

from ..domain import announcements, feeds
from ..models import db
from ..schemas import LanguageArgs
from . import conditional
from .presenting import base_url

blp = Blueprint(
    "feeds",
    __name__,
    url_prefix="/feeds",
    description="RSS, Atom and iCalendar feeds of public announcements",
)

MIMETYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "ics": "text/calendar",
}
LANGUAGES = ("en", "fr", "zh")


def _served(fmt: str, render) -> Response:
    etag, modified = conditional.validators()
    unchanged = conditional.not_modified(etag, modified)
    if unchanged is not None:
        return unchanged
    response = Response(conditional.rendered(etag, render), mimetype=MIMETYPES[fmt])
    response.charset = "utf-8"
    return conditional.stamp(response, etag, modified)


def _language(code: str) -> str:
    if code not in LANGUAGES:
        raise NotFound("Feeds exist in en, fr and zh.")
    return code


@blp.route("/<string:language>.rss")
class RssFeed(MethodView):
    @policy.anyone()
    @blp.doc(security=[])
    @blp.response(200)
    def get(self, language):
        """The latest public announcements as RSS 2.0 in one language."""
        language = _language(language)
        return _served(
            "rss",
            lambda: feeds.syndication(db.session, language, base_url(), request.url, "rss"),
        )


@blp.route("/<string:language>.atom")
class AtomFeed(MethodView):
    @policy.anyone()
    @blp.doc(security=[])
    @blp.response(200)
    def get(self, language):
        """The latest public announcements as Atom in one language."""
        language = _language(language)
        return _served(
            "atom",
            lambda: feeds.syndication(db.session, language, base_url(), request.url, "atom"),
        )


@blp.route("/events.ics")
class CalendarFeed(MethodView):
    @policy.anyone()
    @blp.doc(security=[])
    @blp.arguments(LanguageArgs, location="query")
    @blp.response(200)
    def get(self, args):
        """Every public published event as one calendar, times in each event's zone."""
        language = args["lang"] or negotiate(request.headers.get("Accept-Language"))
        return _served("ics", lambda: feeds.calendar_feed(db.session, language, base_url()))


@blp.route("/events/<uuid:announcement_id>.ics")
class EventCalendar(MethodView):
    @policy.anyone()
    @blp.doc(security=[])
    @blp.arguments(LanguageArgs, location="query")
    @blp.response(200)
    def get(self, args, announcement_id):
        """One public event as a calendar file."""
        announcement = announcements.get(db.session, announcement_id)
        if (
            announcement.kind != "event"
            or announcement.status != "published"
            or announcement.audience_scope != "public"
        ):
            raise NotFound("No such public event.")
        language = args["lang"] or negotiate(request.headers.get("Accept-Language"))
        return _served("ics", lambda: feeds.event_ics(announcement, language, base_url()))
