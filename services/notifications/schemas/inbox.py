"""A person's inbox items and their unread count."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.pagination import PageArgs, page_schema


class NotificationOut(Schema):
    id = fields.Integer()
    type = fields.String()
    category = fields.String()
    language = fields.String()
    title = fields.String()
    body = fields.String()
    link = fields.String(allow_none=True)
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


class InboxArgs(PageArgs):
    unread = fields.Boolean(load_default=False)


class UnreadOut(Schema):
    unread = fields.Integer()


class LatestArgs(Schema):
    limit = fields.Integer(load_default=5, validate=validate.Range(min=1, max=50))


class LatestOut(Schema):
    items = fields.List(fields.Nested(NotificationOut), metadata={"description": "Newest first"})
    unread = fields.Integer()


class MarkedOut(Schema):
    marked = fields.Integer()


NotificationPage = page_schema(NotificationOut)
