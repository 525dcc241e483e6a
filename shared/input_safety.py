"""Every request's input checked once, before any view: no 5xx for text the platform cannot keep.

One `before_request` hook for every service (`shared.app` installs it):

- a JSON body nested deeper than `JSON_MAX_DEPTH` is a 400 before anything parses it (the size
  is bounded by `MAX_CONTENT_LENGTH`, a 413, as werkzeug reads it);
- a body that is not JSON is the same 400 webargs would give;
- strings with lone surrogates or NUL, integers beyond 64 bits and non-finite numbers are a 422
  with a field error per value (JSON pointers), whatever the endpoint's schema says;
- NUL in a query or form value is a 422 naming the parameter (PostgreSQL cannot compare it).
"""

from __future__ import annotations

from flask import Flask, current_app, request

from shared import json_limits
from shared.errors import BadRequest, Problem, ValidationFailed


class TooDeep(Problem):
    status = 400
    slug = "json-too-deep"
    title = "The JSON body nests too deeply"


def _is_json(mimetype: str) -> bool:
    return mimetype == "application/json" or (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    )


def _check_parameters(values, location: str) -> None:
    errors = [
        {"parameter": name, "in": location, "detail": problem, "code": "not_storable"}
        for name, value in values.items(multi=True)
        if (problem := json_limits.unstorable_text(name) or json_limits.unstorable_text(value))
    ]
    if errors:
        raise ValidationFailed("A parameter holds text that cannot be stored.", errors=errors)


def _check_json_body() -> None:
    data = request.get_data(cache=True)  # bounded by MAX_CONTENT_LENGTH: a 413 beyond it
    if not data:
        return
    limit = current_app.config.get("JSON_MAX_DEPTH", json_limits.MAX_DEPTH)
    if json_limits.nesting_depth(data) > limit:
        raise TooDeep(f"Arrays and objects may nest {limit} levels deep at most.")
    try:
        document = json_limits.parse(data)
    except json_limits.InvalidJson:
        raise BadRequest(
            "The request body is not valid JSON.",
            errors=[{"pointer": "/", "detail": "Invalid JSON body.", "code": "invalid_json"}],
            code="invalid_json",
        ) from None
    errors = json_limits.value_errors(document)
    if errors:
        raise ValidationFailed("One or more fields are invalid.", errors=errors)


def check_request_input() -> None:
    """The hook: query string, then the body as its content type says."""
    if request.args:
        _check_parameters(request.args, "query")
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return
    mimetype = request.mimetype or ""
    if _is_json(mimetype):
        _check_json_body()
    elif mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        _check_parameters(request.form, "form")


def init_app(app: Flask) -> None:
    app.config.setdefault("JSON_MAX_DEPTH", json_limits.MAX_DEPTH)
    app.before_request(check_request_input)
