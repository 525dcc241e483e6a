"""Webhook endpoints, messages, attempts and the event-type catalogue, as the API shows them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.pagination import page_schema

from ..domain.chat import FLAVOURS


class EndpointIn(Schema):
    url = fields.String(required=True, validate=validate.Length(min=8, max=2000))
    description = fields.String(load_default="", validate=validate.Length(max=500))
    event_types = fields.List(
        fields.String(validate=validate.Length(max=80)),
        allow_none=True,
        load_default=None,
        validate=validate.Length(max=100),
        metadata={"description": "null: every type the organisation may see"},
    )
    enabled = fields.Boolean(load_default=True)
    rate_limit = fields.Integer(
        allow_none=True,
        load_default=None,
        validate=validate.Range(min=1, max=10_000),
        metadata={"description": "messages a second at most; null: no limit"},
    )

    flavour = fields.String(
        load_default="standard",
        validate=validate.OneOf(FLAVOURS),
        metadata={"description": "standard (signed webhooks) or a chat group's format"},
    )
    flavour_secret = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.Length(max=200),
        metadata={"description": "DingTalk or Feishu signing secret (SEC...)"},
    )
    language = fields.String(load_default="en", validate=validate.OneOf(("en", "fr", "zh")))


class EndpointPatch(Schema):
    url = fields.String(validate=validate.Length(min=8, max=2000))
    description = fields.String(validate=validate.Length(max=500))
    event_types = fields.List(
        fields.String(validate=validate.Length(max=80)),
        allow_none=True,
        validate=validate.Length(max=100),
    )
    enabled = fields.Boolean()
    rate_limit = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=10_000))
    flavour_secret = fields.String(allow_none=True, validate=validate.Length(max=200))
    language = fields.String(validate=validate.OneOf(("en", "fr", "zh")))


class EndpointOut(Schema):
    id = fields.UUID()
    organisation_id = fields.UUID()
    url = fields.String()
    description = fields.String()
    event_types = fields.List(fields.String(), allow_none=True)
    enabled = fields.Boolean()
    disabled_reason = fields.String(allow_none=True)
    rate_limit = fields.Integer(allow_none=True)
    failing_since = fields.DateTime(allow_none=True)
    flavour = fields.String()
    language = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class EndpointCreated(EndpointOut):
    secret = fields.String(metadata={"description": "shown only here: keep it"})


class SecretOut(Schema):
    secret = fields.String(metadata={"description": "shown only here; the old one signs 24 h"})


class MessageOut(Schema):
    id = fields.String()
    event_id = fields.String()
    type = fields.String()
    payload = fields.Dict()
    status = fields.String()
    attempt_count = fields.Integer()
    next_attempt_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    delivered_at = fields.DateTime(allow_none=True)


class AttemptOut(Schema):
    id = fields.Integer()
    message_id = fields.String()
    attempted_at = fields.DateTime()
    success = fields.Boolean()
    status_code = fields.Integer(allow_none=True)
    duration_ms = fields.Integer()
    error_class = fields.String(allow_none=True)
    error = fields.String(allow_none=True)
    response_body = fields.String(allow_none=True)
    trigger = fields.String()


class MessageArgs(Schema):
    status = fields.String(
        load_default=None, validate=validate.OneOf(("pending", "delivered", "failed", "held"))
    )


class AttemptArgs(Schema):
    message_id = fields.String(load_default=None, validate=validate.Length(max=40))


class RecoverIn(Schema):
    since = fields.AwareDateTime(required=True)


class RecoverOut(Schema):
    recovered = fields.Integer()


class EventTypeOut(Schema):
    name = fields.String()
    version = fields.Integer()
    description = fields.String()
    source = fields.String()
    example = fields.Dict(metadata={"description": "the payload an endpoint receives"})


class WebhookTestData(Schema):
    """The `data` of a `webhook.test` message, as `domain.endpoints.send_test` writes it."""

    endpoint_id = fields.UUID(required=True, metadata={"description": "the endpoint tested"})
    message = fields.String(required=True)


EndpointPage = page_schema(EndpointOut)
MessagePage = page_schema(MessageOut)
AttemptPage = page_schema(AttemptOut)
