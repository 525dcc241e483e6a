"""A person's notification preferences."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..domain.preferences import CLOCK, MODES
from ..domain.texts import CATEGORIES, CRITICAL

# HH:MM, 24-hour clock: the rule `preferences.update` applies, as the documents state it.
CLOCK_PATTERN = {"pattern": CLOCK.pattern}


def _modes_by_category() -> dict:
    """Each category and the modes it takes (a critical one is never `off`), as documented."""
    return {
        category: {
            "type": "string",
            "enum": [m for m in MODES if not (m == "off" and category in CRITICAL)],
        }
        for category in CATEGORIES
    }


class QuietHoursSchema(Schema):
    start = fields.String(required=True, metadata={"example": "22:00", **CLOCK_PATTERN})
    end = fields.String(required=True, metadata={"example": "07:00", **CLOCK_PATTERN})


class CategoryOut(Schema):
    category = fields.String()
    mode = fields.String()
    critical = fields.Boolean(metadata={"description": "cannot be switched off"})


class PreferencesOut(Schema):
    categories = fields.List(fields.Nested(CategoryOut))
    quiet_hours = fields.Nested(QuietHoursSchema, allow_none=True)


class PreferencesIn(Schema):
    # Each category and its modes are documented one by one; `preferences.update` checks them
    # (unknown category, unknown mode, a critical one switched off), so the values take no field
    # here: apispec would document that field as `additionalProperties`, for any category.
    categories = fields.Dict(
        keys=fields.String(validate=validate.Length(max=40)),
        validate=validate.Length(max=20),
        metadata={"properties": _modes_by_category(), "additionalProperties": False},
    )
    quiet_hours = fields.Nested(QuietHoursSchema, allow_none=True)


class UnsubscribeArgs(Schema):
    token = fields.String(required=True, validate=validate.Length(max=500))


class UnsubscribedOut(Schema):
    category = fields.String()
    mode = fields.String()
