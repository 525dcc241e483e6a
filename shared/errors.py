"""RFC 9457 problem details for every error, field errors for validation, never a bare 500 page.

Domain code raises the exceptions below; the handlers turn them, werkzeug's HTTP errors and
webargs' validation errors into `application/problem+json`.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, jsonify, request
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

from shared import field_errors

PROBLEM_TYPE_BASE = "https://sino-sophipolitan.example/problems/"
PROBLEM_MIMETYPE = "application/problem+json"
log = logging.getLogger(__name__)


def code_of_slug(slug: str) -> str:
    """The default machine-readable code of a problem type: its slug in snake case."""
    return slug.replace("-", "_")


class Problem(Exception):
    """An error the caller can act on, with an HTTP status, a stable type slug and a `code`.

    `code` is what clients branch on: the class's default (its slug in snake case, e.g.
    `not_found`) or a specific rule the domain names (`project.transition_not_allowed`). Every
    code a service can answer is listed in its OpenAPI document (`shared.error_codes`).
    """

    status = 400
    slug = "bad-request"
    title = "Bad request"
    code: str | None = None  # None: derived from the slug

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        errors: list[dict] | None = None,
        headers: dict | None = None,
        **extensions,
    ):
        super().__init__(detail or self.title)
        self.detail = detail
        self.code = code or type(self).code or code_of_slug(self.slug)
        self.errors = errors
        self.headers = headers or {}
        self.extensions = extensions


class BadRequest(Problem):
    pass


class ValidationFailed(Problem):
    status = 422
    slug = "validation-failed"
    title = "The request did not validate"

    @classmethod
    def field(
        cls, field: str, message: str, *, code: str = "invalid", rule: str | None = None
    ) -> ValidationFailed:
        """One field refused: `code` names the field error, `rule` the problem (default: the
        generic `validation_failed`)."""
        entry = {"pointer": f"/{field}", "detail": message, "code": code}
        return cls(message, code=rule, errors=[entry])


class Unauthorized(Problem):
    status = 401
    slug = "unauthorized"
    title = "Authentication required"

    def __init__(self, detail=None, **kw):
        kw.setdefault("headers", {"WWW-Authenticate": 'Bearer realm="api"'})
        super().__init__(detail, **kw)


class Forbidden(Problem):
    status = 403
    slug = "forbidden"
    title = "Not allowed"


class NotFound(Problem):
    status = 404
    slug = "not-found"
    title = "Not found"


class Conflict(Problem):
    status = 409
    slug = "conflict"
    title = "Conflict"


class Gone(Problem):
    status = 410
    slug = "gone"
    title = "Gone"


class TooManyRequests(Problem):
    status = 429
    slug = "too-many-requests"
    title = "Too many requests"


def problem_response(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    slug: str | None = None,
    code: str | None = None,
    errors: list[dict] | None = None,
    headers: dict | None = None,
    extensions: dict | None = None,
):
    body = {
        "type": PROBLEM_TYPE_BASE + slug if slug else "about:blank",
        "title": title,
        "status": status,
        "code": code or _default_code(status, slug),
    }
    if detail:
        body["detail"] = detail
    body["instance"] = request.path if request else None
    request_id = g.get("request_id") if g else None
    if request_id:
        body["request_id"] = request_id
    if errors:
        body["errors"] = [_with_code(entry) for entry in errors]
    if extensions:
        body.update(extensions)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_MIMETYPE
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def flatten_messages(messages, location: str | None = None, prefix: str = "") -> list[dict]:
    """webargs/marshmallow error dicts as a flat list of JSON-pointer field errors."""
    errors: list[dict] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            if prefix == "" and location is None and key in ("json", "query", "form", "headers"):
                errors.extend(flatten_messages(value, key, ""))
                continue
            errors.extend(flatten_messages(value, location, f"{prefix}/{key}"))
    elif isinstance(messages, list | tuple):
        if all(isinstance(m, str) for m in messages):
            for message in messages:
                errors.append(_field_error(location, prefix, message))
        else:
            for item in messages:
                errors.extend(flatten_messages(item, location, prefix))
    else:
        errors.append(_field_error(location, prefix, str(messages)))
    return errors


def _with_code(entry: dict) -> dict:
    """A field error with its `code` (and `params`), recovered from its message if need be."""
    if "code" in entry:
        return entry
    code, params = field_errors.classify(str(entry.get("detail", "")))
    return {**entry, "code": code, **({"params": params} if params else {})}


def _field_error(location, pointer, message):
    entry = {"pointer": pointer or "/", "detail": message}
    if location and location != "json":
        entry = {"parameter": pointer.lstrip("/") or location, "in": location, "detail": message}
    return entry


_SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    410: "gone",
    412: "precondition-failed",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-failed",
    428: "precondition-required",
    429: "too-many-requests",
}


def _default_code(status: int, slug: str | None) -> str:
    slug = slug or _SLUGS.get(status)
    if slug:
        return code_of_slug(slug)
    return "bad_request" if status < 500 else "internal_error"


def handle_http_exception(exc: HTTPException):
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages")
    errors = flatten_messages(messages) if messages else None
    status = exc.code or 500
    title = exc.name
    detail = exc.description
    if status == 422:
        title = "The request did not validate"
        detail = "One or more fields are invalid."
    if status == 400 and messages:
        detail = "The request body is not valid JSON."
    headers = dict(data.get("headers") or {})
    if status == 405:
        allowed = exc.get_headers()
        headers.update({k: v for k, v in allowed if k.lower() == "allow"})
    return problem_response(
        status, title, detail, slug=_SLUGS.get(status), errors=errors, headers=headers
    )


def handle_problem(exc: Problem):
    if exc.status >= 500:
        log.error("problem %s: %s", exc.slug, exc.detail)
    return problem_response(
        exc.status,
        exc.title,
        exc.detail,
        slug=exc.slug,
        code=exc.code,
        errors=exc.errors,
        headers=exc.headers,
        extensions=exc.extensions,
    )


def handle_data_error(exc: DataError):
    """The database refused a value (too long, out of range): the caller's input, not our fault.

    Schemas should catch such values first; this keeps a gap in one of them from becoming a 500.
    """
    log.warning("database refused a value: %s", exc.orig)
    return problem_response(
        422,
        "The request did not validate",
        "A value is longer or larger than can be stored.",
        slug="validation-failed",
    )


def handle_unexpected(exc: Exception):
    current_app.logger.exception("unhandled error")
    return problem_response(
        500,
        "Internal error",
        "Something went wrong on our side; the request id helps us find it.",
        slug="internal-error",
        code="internal_error",
    )


def init_app(app: Flask) -> None:
    """Register the handlers; call after flask-smorest's Api so ours take precedence."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Problem, handle_problem)
    app.register_error_handler(DataError, handle_data_error)
    app.register_error_handler(Exception, handle_unexpected)
