"""A whole number as JSON Schema counts one: `5` and `5.0` alike, never `"5"` nor `true`.

JSON does not tell integers from other numbers; JSON Schema's `integer` is any number whose
fractional part is zero, so a client (or a generator) may well send `5.0` where the document says
`integer`. marshmallow's strict `Integer` refuses it; `WholeNumber` takes it as `5` and still
refuses strings, booleans and fractions.
"""

from __future__ import annotations

from marshmallow import fields


class WholeNumber(fields.Integer):
    def __init__(self, **kwargs):
        kwargs.setdefault("strict", True)
        super().__init__(**kwargs)

    def _validated(self, value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return super()._validated(value)
