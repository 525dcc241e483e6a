"""Keyset (cursor) pagination: latency stays flat however deep the reader pages.

A cursor is the sort key of the last row served, base64url-encoded JSON; the next page is the
rows strictly after it in the same order, found through an index rather than an OFFSET scan.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime

from flask import request
from marshmallow import Schema, fields, validate
from sqlalchemy import Select, and_, or_

from shared.errors import ValidationFailed

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class PageArgs(Schema):
    """Query arguments every list endpoint takes."""

    cursor = fields.String(load_default=None, metadata={"description": "`next` of the last page"})
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT)
    )


def _to_json(value):
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, uuid.UUID):
        return {"u": str(value)}
    return value


def _from_json(value):
    if isinstance(value, dict) and "t" in value:
        return datetime.fromisoformat(value["t"])
    if isinstance(value, dict) and "u" in value:
        return uuid.UUID(value["u"])
    return value


def encode_cursor(values: list) -> str:
    raw = json.dumps([_to_json(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list:
    """The sort key inside a cursor, or a 422 naming the `cursor` parameter."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != size:
            raise ValueError("wrong size")
        return [_from_json(v) for v in values]
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
        raise ValidationFailed(
            "The cursor is not one this API gave out.",
            errors=[{"parameter": "cursor", "in": "query", "detail": "Invalid cursor."}],
        ) from exc


def keyset(stmt: Select, columns: list, cursor: str | None, limit: int, descending=False):
    """`stmt` ordered by `columns` (unique together), after the cursor, one row over the limit."""
    if cursor:
        values = decode_cursor(cursor, len(columns))
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
    """A `Link: <...>; rel="next"` header for the page that follows, if any."""
    if not next_cursor:
        return {}
    args = request.args.to_dict()
    args["cursor"] = next_cursor
    query = "&".join(f"{k}={v}" for k, v in args.items())
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
