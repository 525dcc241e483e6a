"""Directory of verified organisations."""

from __future__ import annotations

from flask import Response, current_app, jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint

from shared import policy, vocabulary
from shared.auth import current_caller
from shared.data_version import AnswerCache
from shared.i18n import DEFAULT_LOCALE, negotiate
from shared.pagination import next_link

from ..domain import directory
from ..models import organisations_version, read_connection
from ..schemas.organisations import DirectoryArgs, DirectoryPage, VocabularyOut

blp = Blueprint("directory", __name__, description="Directory of verified organisations")
# An instance, not the class: webargs would build a schema (deep copies of its fields) per request.
_ARGS = DirectoryArgs()


def _language(requested: str | None) -> str:
    """`lang` first, then Accept-Language, then the signed-in person's language."""
    if requested:
        return requested
    if request.headers.get("Accept-Language"):
        return negotiate(request.headers["Accept-Language"])
    caller = current_caller()
    return (caller.language if caller else None) or DEFAULT_LOCALE


def _answers() -> AnswerCache:
    """Directory pages this process found, kept while `organisations_version` holds: what a
    signed-in reader or a `no-cache` request (which the response cache lets through) gets
    without searching again. The same page for every reader: the directory is public."""
    kept = current_app.extensions.get("directory_answers")
    if kept is None:
        kept = current_app.extensions["directory_answers"] = AnswerCache(
            organisations_version, maxsize=1024
        )
    return kept


def _conditional(payload: dict, headers: dict | None = None) -> Response:
    """A JSON response with an ETag of its body: 304 when the reader already has it."""
    response = jsonify(payload)
    response.add_etag()
    response.headers.update(headers or {})
    response.headers["Cache-Control"] = "public, no-cache"
    response.headers["Vary"] = "Accept-Language, Authorization"
    return response.make_conditional(request)


@blp.route("/directory")
class Directory(MethodView):
    @policy.anyone(scope="directory:read")
    @blp.arguments(_ARGS, location="query")
    @blp.response(200, DirectoryPage)
    @blp.alt_response(304, description="Not modified since the ETag given in If-None-Match")
    def get(self, args):
        """Find verified organisations by words (en, fr, zh, pinyin) and filters, by name."""
        language = _language(args.pop("lang"))

        def search():
            with read_connection() as connection:
                return directory.search(connection, language=language, **args), None

        result = _answers().get(repr((language, sorted(args.items()))), search)
        return _conditional(result, next_link(result["next"]))


@blp.route("/vocabulary")
class Vocabulary(MethodView):
    @policy.anyone(scope="directory:read")
    @blp.response(200, VocabularyOut)
    def get(self):
        """Sectors, kinds of organisation, parks and size bands, with labels in en, fr, zh."""
        response = _conditional(vocabulary.as_document())
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response
