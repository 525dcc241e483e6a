"""A person's notification preferences."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..domain.preferences import MODES


class QuietHoursSchema(Schema):
    start = fields.String(required=True, metadata={"example": "22:00"})
    end = fields.String(required=True, metadata={"example": "07:00"})


class CategoryOut(Schema):
    category = fields.String()
    mode = fields.String()
    critical = fields.Boolean(metadata={"description": "cannot be switched off"})


class PreferencesOut(Schema):
    categories = fields.List(fields.Nested(CategoryOut))
    quiet_hours = fields.Nested(QuietHoursSchema, allow_none=True)


class PreferencesIn(Schema):
    categories = fields.Dict(
        keys=fields.String(validate=validate.Length(max=40)),
        values=fields.String(validate=validate.OneOf(MODES)),
        validate=validate.Length(max=20),
    )
    quiet_hours = fields.Nested(QuietHoursSchema, allow_none=True)


class UnsubscribeArgs(Schema):
    token = fields.String(required=True, validate=validate.Length(max=500))


class UnsubscribedOut(Schema):
    category = fields.String()
    mode = fields.String()
