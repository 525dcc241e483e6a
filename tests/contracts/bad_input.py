"""The bad-input corpus: what careless or hostile callers send to each operation of an API.

Each case is a request an API must refuse with a 4xx problem (or serve, if it is harmless), never
with a 5xx. Operations come from the services' own OpenAPI documents, path parameters are filled
with valid-looking values and request bodies start from an example built from the operation's
schema, so a bad value in one field reaches as far into the service as it can.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass, field

DEEP_ARRAYS = b"[" * 100_000
DEEP_OBJECTS = b'{"a":' * 50_000
CRLF_INJECTION = 'a\r\nX-Injected: 1>; rel="preload"'
HUGE_INTEGER = str(2**64)
OVERLONG = "x" * 200_000


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


CURSORS = [
    "WzEsMl0",  # [1,2]
    _cursor("[null,null]"),
    _cursor("[[],[]]"),
    _cursor("[{},{}]"),
    _cursor("[1e999,1]"),
    _cursor('[{"t":5},{"u":5}]'),
    _cursor('[{"t":"2026-01-01T00:00:00"},{"u":"' + str(uuid.uuid4()) + '"}]'),  # no zone
    _cursor('["\\ud800","\\u0000"]'),
    _cursor("[" * 1500),
    _cursor("[1,2,3]"),
    _cursor('{"a":1}'),
    "!!!not base64!!!",
    "A" * 5000,
]

QUERY_VALUES = [
    CRLF_INJECTION,
    "\r\n",
    "a\x00b",
    "x" * 5000,
    HUGE_INTEGER,
    "-" + HUGE_INTEGER,
    "1e999",
    "NaN",
    "",
    "[]",
    "2026-01-01T00:00:00",  # a time without its zone
    "0001-01-01T00:00:00+14:00",  # before year 1 in UTC
    "9999-12-31T23:59:59-14:00",  # after year 9999 in UTC
]

# Raw JSON text for one field: some values (huge integers, 1e999, lone surrogates) have no
# faithful Python spelling that json.dumps would write.
FIELD_VALUES = [
    "[]",
    "{}",
    "null",
    "true",
    "-1",
    "1.5",
    "18446744073709551616",
    "1" + "0" * 400,
    "1e999",
    '"\\ud800"',
    '"a\\u0000b"',
    json.dumps(OVERLONG),
    json.dumps(["x"] * 1000),
    '"' + "\\ud83d" * 3 + '"',
    '"2026-01-01T00:00:00"',
    '"0001-01-01T00:00:00+14:00"',
    '"9999-12-31T23:59:59-14:00"',
    '"2026-02-30"',
]

RAW_BODIES = [
    (DEEP_ARRAYS, "application/json"),
    (DEEP_OBJECTS, "application/json"),
    (b"", "application/json"),
    (b"{", "application/json"),
    (b"null", "application/json"),
    (b"[]", "application/json"),
    (b'"text"', "application/json"),
    (b"1e999", "application/json"),
    (b'{"a": NaN}', "application/json"),
    (b"\xff\xfe{}", "application/json"),
    (b'{"\\ud800": 1}', "application/json"),
    (b"hello", "text/plain"),
    (b"a=1&b=\x00", "application/x-www-form-urlencoded"),
    (b"<x/>", "application/xml"),
    (b'{"a": "' + b"x" * (1024 * 1024) + b'"}', "application/json"),  # over MAX_CONTENT_LENGTH
]


@dataclass
class Operation:
    service: str
    method: str
    path: str  # OpenAPI template, e.g. /api/notifications/v1/inbox/{notification_id}
    parameters: list[dict] = field(default_factory=list)
    body_schema: dict | None = None
    form: bool = False

    @property
    def name(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def query_names(self) -> list[str]:
        return [p["name"] for p in self.parameters if p["in"] == "query"]

    @property
    def integer_path_names(self) -> list[str]:
        return [
            p["name"]
            for p in self.parameters
            if p["in"] == "path" and p.get("schema", {}).get("type") == "integer"
        ]


def operations(service: str, document: dict) -> list[Operation]:
    """Every operation of an OpenAPI 3 document."""
    found = []
    for path, item in document["paths"].items():
        shared_parameters = item.get("parameters", [])
        for method, spec in item.items():
            if method == "parameters":
                continue
            content = spec.get("requestBody", {}).get("content", {})
            schema = (content.get("application/json") or {}).get("schema")
            form = any("form" in media for media in content)
            if schema is None and form:
                schema = next(v.get("schema") for k, v in content.items() if "form" in k)
            found.append(
                Operation(
                    service,
                    method.upper(),
                    path,
                    [*shared_parameters, *spec.get("parameters", [])],
                    schema,
                    form,
                )
            )
    return found


class Examples:
    """A plausible value for a schema of the document: enums' first value, formats honoured."""

    def __init__(self, document: dict):
        self.schemas = document.get("components", {}).get("schemas", {})

    def resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            schema = self.schemas[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def value(self, schema: dict, depth: int = 0):
        schema = self.resolve(schema)
        for combined in ("allOf", "oneOf", "anyOf"):
            if combined in schema:
                return self.value(schema[combined][0], depth)
        if schema.get("enum"):
            return next((v for v in schema["enum"] if v is not None), None)
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            if depth > 4:
                return {}
            return {
                name: self.value(sub, depth + 1)
                for name, sub in schema.get("properties", {}).items()
                if not self.resolve(sub).get("readOnly")
            }
        if kind == "array":
            items = schema.get("items", {})
            return [self.value(items, depth + 1) for _ in range(max(schema.get("minItems", 1), 1))]
        if kind == "integer":
            return max(schema.get("minimum", 1), 1)
        if kind == "number":
            return max(schema.get("minimum", 1), 1)
        if kind == "boolean":
            return True
        return self.string(schema)

    @staticmethod
    def string(schema: dict) -> str:
        formats = {
            "date-time": "2027-03-01T10:00:00+00:00",
            "date": "2027-03-01",
            "time": "10:00:00",
            "email": "someone@example.org",
            "uri": "https://example.org/hook",
            "url": "https://example.org/hook",
            "uuid": str(uuid.uuid4()),
            "password": "correct horse battery staple",
        }
        if schema.get("format") in formats:
            return formats[schema["format"]]
        return "x" * max(schema.get("minLength", 0), 8)


def with_field(example: dict, name: str, raw_value: str) -> bytes:
    """The example as JSON text with one top-level field's value replaced by raw JSON text."""
    marker = f"__bad_input_{uuid.uuid4().hex}__"
    body = dict(example)
    body[name] = marker
    return json.dumps(body).replace(json.dumps(marker), raw_value).encode()
