"""URL converters the services' routes use, bounded by what the databases can hold.

werkzeug's `int` converter matches any number of digits; an id past 2**63 - 1 then reaches the
database driver, which overflows (SQLite) or errors (PostgreSQL). Such an id names no row that
can exist, so it matches no route: a 404, the same answer as any other id that is not there.
"""

from __future__ import annotations

import builtins

from flask import Flask
from werkzeug.routing import IntegerConverter

INT64_MAX = 2**63 - 1


class DatabaseIntegerConverter(IntegerConverter):
    """`<int:...>` limited to the 64-bit signed range of the databases' integer keys."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        bound = INT64_MAX if max is None else builtins.min(max, INT64_MAX)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=bound, signed=signed)


def integer_parameter_schema(converter: DatabaseIntegerConverter) -> dict:
    """How the OpenAPI document describes such a parameter."""
    schema = {"type": "integer", "format": "int64", "maximum": converter.max}
    schema["minimum"] = converter.min if converter.min is not None else 0
    if converter.signed and converter.min is None:
        schema["minimum"] = -INT64_MAX - 1
    return schema


def init_app(app: Flask) -> None:
    """Install the converters; call before any route is registered (rules bind them on add)."""
    app.url_map.converters["int"] = DatabaseIntegerConverter
