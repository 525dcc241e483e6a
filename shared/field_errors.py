"""A field error's stable `code` and parameters, recovered from marshmallow's message.

webargs hands the error handler marshmallow's messages, not the keys that produced them, and
callers should not have to parse English. marshmallow's messages are templates of its own
(`default_error_messages` of each field, the validators' messages), so each message is matched
back to its template once: `"Longer than maximum length 200."` is `too_long` with `{"max": 200}`.
Messages of our own validators that match no template are the generic `invalid`.
"""

from __future__ import annotations

import functools
import re

from marshmallow import Schema, fields, validate

# The validators' messages, each with the code a client branches on.
_VALIDATOR_MESSAGES = {
    validate.Length.message_min: "too_short",
    validate.Length.message_max: "too_long",
    validate.Length.message_all: "length_out_of_range",
    validate.Length.message_equal: "length_not_equal",
    validate.OneOf.default_message: "one_of",
    validate.Email.default_message: "invalid_email",
    validate.URL.default_message: "invalid_url",
    validate.Regexp.default_message: "invalid_format",
    validate.Equal.default_message: "not_equal",
    validate.ContainsOnly.default_message: "one_of",
    validate.ContainsNoneOf.default_message: "none_of",
    "Must be greater than or equal to {min}.": "too_small",
    "Must be greater than {min}.": "too_small",
    "Must be less than or equal to {max}.": "too_large",
    "Must be less than {max}.": "too_large",
    "Must be greater than or equal to {min} and less than or equal to {max}.": "out_of_range",
    "Must be greater than {min} and less than {max}.": "out_of_range",
    "Must be greater than or equal to {min} and less than {max}.": "out_of_range",
    "Must be greater than {min} and less than or equal to {max}.": "out_of_range",
}

# Field keys renamed where marshmallow's key says less than it could.
_KEY_CODES = {"validator_failed": "invalid", "type": "invalid_type"}

FIELD_ERROR_CODES = {
    "required": "A required field is missing.",
    "null": "The field may not be null.",
    "invalid": "The value is not valid for this field.",
    "invalid_type": "The value has the wrong JSON type.",
    "unknown": "The field is not one this operation takes.",
    "too_short": "Shorter than `params.min`.",
    "too_long": "Longer than `params.max`.",
    "length_out_of_range": "Length outside `params.min`..`params.max`.",
    "length_not_equal": "Length is not `params.equal`.",
    "one_of": "Not one of `params.choices`.",
    "none_of": "One of the values is not allowed.",
    "invalid_email": "Not an e-mail address.",
    "invalid_url": "Not a URL.",
    "invalid_format": "Does not match the expected pattern.",
    "not_equal": "Not the expected value.",
    "too_small": "Below `params.min`.",
    "too_large": "Above `params.max`.",
    "out_of_range": "Outside `params.min`..`params.max`.",
    "format": "Not in the expected date, time or number format.",
    "overflow": "A number too large to represent.",
    "special": "Not a finite number.",
    "invalid_utf8": "Not valid UTF-8 text.",
    "invalid_uuid": "Not a UUID.",
    "invalid_json": "The body is not valid JSON.",
    "not_storable": "A value no database stores (NUL, lone surrogate, integer beyond 64 bits).",
}


def _field_messages() -> dict[str, str]:
    """Every marshmallow field's default messages, keyed by template."""
    templates: dict[str, str] = {}
    classes = [c for c in vars(fields).values() if isinstance(c, type)]
    for cls in [*classes, Schema]:
        for key, message in getattr(cls, "default_error_messages", {}).items():
            if isinstance(message, str):
                templates.setdefault(message, _KEY_CODES.get(key, key))
    for key, message in Schema.error_messages.items() if Schema.error_messages else ():
        templates.setdefault(message, key)
    templates.setdefault("Unknown field.", "unknown")
    templates.setdefault("Invalid input type.", "invalid_type")
    return templates


@functools.cache
def _patterns() -> list[tuple[re.Pattern, str]]:
    compiled = []
    for template, code in {**_field_messages(), **_VALIDATOR_MESSAGES}.items():
        parts = re.split(r"\{(\w+)\}", template)
        pattern = "".join(
            re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)"
            for index, part in enumerate(parts)
        )
        compiled.append((re.compile(f"^{pattern}$", re.DOTALL), code))
    # Templates without placeholders first: they are the most specific.
    compiled.sort(key=lambda item: item[0].groups)
    return compiled


def _param(value: str):
    try:
        return int(value)
    except ValueError:
        try:
            return float(value)
        except ValueError:
            return value


def classify(message: str) -> tuple[str, dict]:
    """`(code, params)` of a marshmallow message; `("invalid", {})` for one of our own."""
    for pattern, code in _patterns():
        match = pattern.match(message)
        if match:
            params = {k: _param(v) for k, v in match.groupdict().items() if k != "input"}
            if code == "one_of" and "choices" in params:
                params["choices"] = str(params["choices"]).split(", ")
            return code if code in FIELD_ERROR_CODES else "invalid", params
    return "invalid", {}
