"""The OpenAPI documents tell the truth about errors, derived in one place.

flask-smorest documents every error as its own `Error` schema (`application/json`, string
`status`) under a catch-all `default`; the services answer RFC 9457 `application/problem+json`.
`PlatformApi` documents that `Problem` instead, and `ProblemResponses` (an apispec plugin) gives
each operation the statuses the shared layers can answer for it, so no view lists them by hand:

- 401 everywhere: any `/api/` request with a malformed, expired or foreign bearer token;
- 403 wherever a token is taken (every operation not documented `security: []`): the
  operation's access rule (`shared.policy`) and the domain's own checks (whose project, whose
  application) refuse callers;
- 400, 413, 415, 422 where a body is read; 422 where a query is parsed; 404 for path parameters;
- whatever the domain adds (409, 410, 429, a 403 or 404 of its own), declared on the view with
  `@problems(...)`.

Each operation's `security` and `x-access` come from its declared rule (`shared.policy`): the
scope an integrator client needs, whether anonymous callers pass (`{}` first), the roles and the
organisation statuses a person needs.

Requests the platform sends rather than answers (signed webhooks) go in the document's top-level
`webhooks` section (OpenAPI 3.1) through `PlatformApi.webhook`, with the Standard Webhooks headers.
"""

from __future__ import annotations

import http
import re
from collections.abc import Iterable

from apispec import BasePlugin
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from marshmallow import INCLUDE, Schema, fields, validate

from shared import i18n, policy
from shared.errors import PROBLEM_MIMETYPE
from shared.field_errors import FIELD_ERROR_CODES

BODY_STATUSES = (400, 413, 415, 422)
# https://www.standardwebhooks.com/: what signs every request the platform sends an endpoint.
STANDARD_WEBHOOK_HEADERS = (
    {
        "name": "webhook-id",
        "in": "header",
        "required": True,
        "description": "The message's id: the same on every retry and replay of it, so a "
        "receiver ignores one it has already processed.",
        "schema": {"type": "string", "minLength": 1},
    },
    {
        "name": "webhook-timestamp",
        "in": "header",
        "required": True,
        "description": "When this attempt was sent, in Unix seconds; refuse one too far from now.",
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
    },
    {
        "name": "webhook-signature",
        "in": "header",
        "required": True,
        "description": "Space-separated `v1,<base64 HMAC-SHA256>` signatures of "
        "`{webhook-id}.{webhook-timestamp}.{raw body}`, one per valid secret of the endpoint "
        "(two while a rotated secret overlaps the new one).",
        "schema": {
            "type": "string",
            "pattern": "^v1,[A-Za-z0-9+/]+={0,2}( v1,[A-Za-z0-9+/]+={0,2})*$",
        },
    },
)


class FieldErrorSchema(Schema):
    """One refused field: a JSON pointer into the body, or a named query/form parameter."""

    pointer = fields.String(metadata={"description": "RFC 6901 pointer into the JSON body"})
    parameter = fields.String(metadata={"description": "the query or form parameter"})
    in_ = fields.String(data_key="in", validate=validate.OneOf(["query", "form", "headers"]))
    detail = fields.String(required=True)
    code = fields.String(required=True, validate=validate.OneOf(sorted(FIELD_ERROR_CODES)))
    params = fields.Dict(
        keys=fields.String(),
        metadata={"description": "the rule's parameters, e.g. `max` of `too_long`"},
    )


class ProblemSchema(Schema):
    """RFC 9457 problem details, with the platform's `code`, `request_id` and field `errors`."""

    class Meta:
        unknown = INCLUDE  # RFC 9457 extension members (e.g. `reason` of a 410)

    type = fields.String(required=True, metadata={"description": "URI of the problem type"})
    title = fields.String(required=True)
    status = fields.Integer(required=True, validate=validate.Range(400, 599))
    detail = fields.String()
    instance = fields.String(allow_none=True, metadata={"description": "the request's path"})
    request_id = fields.String(metadata={"description": "also in the `X-Request-ID` header"})
    code = fields.String(
        required=True, metadata={"description": "stable machine-readable code: x-error-codes"}
    )
    errors = fields.List(fields.Nested(FieldErrorSchema))


def problems(*statuses: int):
    """Declare the statuses a view's domain answers beyond what `ProblemResponses` derives."""

    def decorator(view):
        view.problem_statuses = (*getattr(view, "problem_statuses", ()), *statuses)
        return view

    return decorator


def _statuses(function) -> set[str]:
    found = set()
    while function is not None:
        found.update(getattr(function, "problem_statuses", ()))
        function = getattr(function, "__wrapped__", None)
    return found


class ProblemResponses(BasePlugin):
    """Adds each operation's problem statuses and its real security (see the module's doc)."""

    def __init__(self, app):
        self.app = app

    def operation_helper(self, path=None, operations=None, rule=None, **kwargs):
        if rule is None or not operations:
            return
        view = self.app.view_functions[rule.endpoint]
        for method, operation in operations.items():
            function = policy.operation_function(view, method)
            access = policy.rule_of(function)
            statuses = {401, *_statuses(function)}
            if operation.get("security") != []:
                statuses.add(403)
            if "requestBody" in operation:
                statuses.update(BODY_STATUSES)
            if any(p.get("in") == "query" for p in operation.get("parameters", [])):
                statuses.add(422)
            for parameter in operation.get("parameters", []):
                if isinstance(parameter.get("schema"), dict):
                    _never_null(parameter["schema"])
            if rule.arguments:
                statuses.add(404)
            responses = operation.setdefault("responses", {})
            documented = {str(status) for status in responses}
            for status in sorted(statuses):
                if str(status) not in documented:
                    responses[status] = http.HTTPStatus(status).name
            if access is not None:
                operation.setdefault("security", access.security())
                operation["x-access"] = access.describe()


def _never_null(schema: dict) -> None:
    """A query, path or header parameter is text: it may be absent, never null (a `null` in
    its schema made client generators build one type per branch of the union)."""
    types = schema.get("type")
    if isinstance(types, list) and "null" in types:
        rest = [t for t in types if t != "null"]
        schema["type"] = rest[0] if len(rest) == 1 else rest
    if "enum" in schema:
        schema["enum"] = [value for value in schema["enum"] if value is not None]
    if "default" in schema and schema["default"] is None:
        del schema["default"]


def localized_text_property(self, field, ret, **kwargs) -> dict:
    """`LocalizedText` as what it accepts: an object of the platform's locales, nothing else."""
    if not isinstance(field, i18n.LocalizedText):
        return {}
    text = {"type": "string", "maxLength": field.max_length}
    documented = {
        "type": "object",
        "properties": {locale: dict(text) for locale in i18n.LOCALES},
        "additionalProperties": False,
    }
    if field.required_locale:
        # Blank texts are dropped (stripped), so at least one locale must hold a visible character.
        documented["anyOf"] = [
            {"required": [locale], "properties": {locale: {"pattern": r"\S"}}}
            for locale in i18n.LOCALES
        ]
    return documented


def url_property(self, field, ret, **kwargs) -> dict:
    """A URL field as JSON Schema names it (`uri`; apispec says `url`), with its schemes."""
    if not isinstance(field, fields.Url) or field.relative:
        return {}
    documented = {"format": "uri"}
    schemes = set().union(*(v.schemes for v in field.validators if isinstance(v, validate.URL)))
    if schemes == {"http", "https"}:
        documented["pattern"] = "^[Hh][Tt][Tt][Pp][Ss]?://"  # schemes compare case-insensitively
    return documented


def nullable_enum(self, field, ret, **kwargs) -> dict:
    """An `enum` given in a field's metadata lists `null` too when the field takes it (apispec
    does so for `OneOf` only)."""
    enum = ret.get("enum")
    if enum is not None and field.allow_none and None not in enum:
        return {"enum": [*enum, None]}
    return {}


class PlatformApi(Api):
    """flask-smorest's Api documenting errors as problem+json, with no catch-all `default`."""

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = None

    def __init__(self, app, error_codes: dict[str, str]):
        self.error_codes = error_codes
        super().__init__(app, spec_kwargs={"extra_plugins": [ProblemResponses(app)]})

    def webhook(
        self, name: str, *, summary: str, description: str, body: dict, responses: dict, example
    ) -> None:
        """A request the platform sends to integrators' endpoints, in the top-level `webhooks`
        section: a signed `POST` whose JSON body is `body` (a schema or a `$ref`)."""
        self.spec.options.setdefault("webhooks", {})[name] = {
            "post": {
                "summary": summary,
                "description": description,
                "parameters": [dict(header) for header in STANDARD_WEBHOOK_HEADERS],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": body, "example": example}},
                },
                "responses": responses,
                "security": [],
            }
        }

    def _register_responses(self):
        self.spec.components.schema("FieldError", schema=FieldErrorSchema)
        self.spec.components.schema("Problem", schema=ProblemSchema)
        problem = self.spec.components.schemas["Problem"]
        problem["properties"]["code"]["enum"] = sorted(self.error_codes)
        for status in _error_statuses():
            response = {"description": status.phrase, "schema": ProblemSchema}
            prepare_response(response, self.spec, PROBLEM_MIMETYPE)
            self.spec.components.response(status.name, response, lazy=True)
        self.ma_plugin.converter.add_attribute_function(localized_text_property)
        self.ma_plugin.converter.add_attribute_function(url_property)
        self.ma_plugin.converter.add_attribute_function(nullable_enum)
        self.ma_plugin.converter.add_attribute_function(enum_varnames)


def enum_varnames(self, field, ret, **kwargs) -> dict:
    """`x-enum-varnames` for a string enum whose values name the same identifier once their
    symbols are dropped (`Etc/GMT+1`, `Etc/GMT-1`, `Etc/GMT1`): client generators build an enum
    class from the values and refuse such duplicates. Null is no enum member there, so the names
    follow the other values."""
    values = [v for v in ret.get("enum") or () if v is not None]
    if not values or not all(isinstance(v, str) for v in values):
        return {}
    plain = {re.sub(r"[^0-9A-Za-z]", "", v).upper() for v in values}
    if len(plain) == len(values):
        return {}
    names = [_identifier(v) for v in values]
    if len(set(names)) != len(names):
        raise ValueError(f"enum values of {field} name the same identifier: {values}")
    return {"x-enum-varnames": names}


def _identifier(value: str) -> str:
    """An upper-case identifier for an enum value, a sign before a digit spelled out."""
    spelled = re.sub(r"\+(?=\d)", "_PLUS_", value)
    spelled = re.sub(r"-(?=\d)", "_MINUS_", spelled)
    name = re.sub(r"[^0-9A-Za-z]+", "_", spelled).strip("_").upper()
    return name if name[:1].isalpha() else f"VALUE_{name}"


def _error_statuses() -> Iterable[http.HTTPStatus]:
    return (status for status in http.HTTPStatus if status >= 400)
