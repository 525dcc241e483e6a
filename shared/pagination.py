"""Keyset (cursor) pagination: latency stays flat however deep the reader pages.

A cursor is the sort key of the last row served, base64url-encoded JSON; the next page is the
rows strictly after it in the same order, found through an index rather than an OFFSET scan.
"""

from __future__ import annotations

import base64
import json
import math
import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from urllib.parse import urlencode

from flask import request
from marshmallow import Schema, fields, validate
from sqlalchemy import Select, TypeDecorator, and_, or_

from shared import json_limits
from shared.errors import ValidationFailed

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class PageArgs(Schema):
    """Query arguments every list endpoint takes."""

    cursor = fields.String(load_default=None, metadata={"description": "`next` of the last page"})
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT)
    )


# The longest cursor this API gives out (a 200-character sort key of escaped astral characters
# and an id) is about 3,300 characters; anything longer is not one.
MAX_CURSOR_LENGTH = 4096


def _to_json(value):
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, uuid.UUID):
        return {"u": str(value)}
    return value


def _from_json(value, kind: type | None):
    """One decoded sort-key value as `kind`; ValueError when it is anything else."""
    if kind is datetime:
        if not (isinstance(value, dict) and value.keys() == {"t"} and isinstance(value["t"], str)):
            raise ValueError("not a time")
        moment = datetime.fromisoformat(value["t"])
        if moment.tzinfo is None:
            raise ValueError("a time without its zone")
        return moment
    if kind is uuid.UUID:
        if not (isinstance(value, dict) and value.keys() == {"u"} and isinstance(value["u"], str)):
            raise ValueError("not a uuid")
        return uuid.UUID(value["u"])
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("not an integer")
        if not json_limits.INT64_MIN <= value <= json_limits.INT64_MAX:
            raise ValueError("integer out of range")
        return value
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("not a number")
        if not math.isfinite(value):
            raise ValueError("not finite")
        return value
    if kind is str:
        if not isinstance(value, str) or json_limits.unstorable_text(value):
            raise ValueError("not text")
        return value
    # A column whose type says nothing (an expression): any value encode_cursor makes.
    if isinstance(value, dict):
        return _from_json(value, datetime if "t" in value else uuid.UUID)
    for simple in (str, int, float):
        if isinstance(value, simple) and not isinstance(value, bool):
            return _from_json(value, simple)
    raise ValueError("not a sort key value")


def encode_cursor(values: list) -> str:
    raw = json.dumps([_to_json(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def column_kinds(columns: list) -> list[type | None]:
    """The Python type of each keyset column, which its cursor value must have."""
    kinds: list[type | None] = []
    for column in columns:
        column_type = column.type
        if isinstance(column_type, TypeDecorator):  # e.g. shared.db.UTCDateTime
            column_type = column_type.impl_instance
        try:
            kind = column_type.python_type
        except NotImplementedError:
            kind = None
        if kind is not None and issubclass(kind, datetime):
            kind = datetime
        elif kind is not None and issubclass(kind, float | Decimal):
            kind = float
        kinds.append(kind if kind in (datetime, uuid.UUID, int, float, str) else None)
    return kinds


def decode_cursor(cursor: str, kinds: Sequence[type | None]) -> list:
    """The sort key inside a cursor, one value per kind, or a 422 naming the `cursor` parameter.

    Only what `encode_cursor` could have produced for these columns gets through: the right number
    of values, each of its column's type (times and uuids tagged, integers within 64 bits, finite
    numbers, storable text), so nothing malformed reaches a comparison in SQL.
    """
    try:
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise ValueError("too long")
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.b64decode(padded.encode(), altchars=b"-_", validate=True))
        if not isinstance(values, list) or len(values) != len(kinds):
            raise ValueError("wrong size")
        return [_from_json(value, kind) for value, kind in zip(values, kinds, strict=True)]
    except (ValueError, TypeError, RecursionError) as exc:
        raise ValidationFailed(
            "The cursor is not one this API gave out.",
            errors=[{"parameter": "cursor", "in": "query", "detail": "Invalid cursor."}],
        ) from exc


def keyset(stmt: Select, columns: list, cursor: str | None, limit: int, descending=False):
    """`stmt` ordered by `columns` (unique together), after the cursor, one row over the limit."""
    if cursor:
        values = decode_cursor(cursor, column_kinds(columns))
        # (a, b) > (x, y) spelled out, so it works on every backend and uses the index.
        clauses = []
        for i, column in enumerate(columns):
            equal = [columns[j] == values[j] for j in range(i)]
            beyond = column < values[i] if descending else column > values[i]
            clauses.append(and_(*equal, beyond))
        stmt = stmt.where(or_(*clauses))
    order = [c.desc() for c in columns] if descending else [c.asc() for c in columns]
    return stmt.order_by(*order).limit(limit + 1)


def page(rows: list, limit: int, key) -> dict:
    """`{items, next}` from the rows of `keyset`; `key(row)` gives a row's sort key values."""
    items = rows[:limit]
    following = encode_cursor(list(key(items[-1]))) if len(rows) > limit and items else None
    return {"items": items, "next": following}


def next_link(next_cursor: str | None) -> dict:
    """A `Link: <...>; rel="next"` header for the page that follows, if any.

    Every query value is percent-encoded: a CR, LF, `>` or `;` a caller sent comes back as
    `%0D`, `%0A`, `%3E`, `%3B`, so it can neither break the header nor add a link of its own.
    """
    if not next_cursor:
        return {}
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "cursor"]
    query = urlencode([*args, ("cursor", next_cursor)])
    return {"Link": f'<{request.base_url}?{query}>; rel="next"'}


def page_schema(item_schema: type[Schema], name: str | None = None) -> type[Schema]:
    """A `{items: [...], next: cursor|null}` schema around an item schema."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "next": fields.String(
                allow_none=True, metadata={"description": "cursor of the next page"}
            ),
        },
        name=name or f"{item_schema.__name__.removesuffix('Schema')}Page",
    )
