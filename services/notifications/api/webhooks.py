"""Webhook endpoints of an organisation: managed, inspected, replayed, recovered, tested."""

from __future__ import annotations

import logging

from flask.views import MethodView
from flask_smorest import Blueprint

from shared import policy
from shared.auth import authenticated
from shared.openapi import problems
from shared.organisation_status import INTEGRATE
from shared.pagination import PageArgs, next_link

from ..domain import endpoints
from ..models import db
from ..schemas.webhooks import (
    AttemptArgs,
    AttemptPage,
    EndpointCreated,
    EndpointIn,
    EndpointOut,
    EndpointPage,
    EndpointPatch,
    EventTypeOut,
    MessageArgs,
    MessageOut,
    MessagePage,
    RecoverIn,
    RecoverOut,
    SecretOut,
)

blp = Blueprint("webhooks", __name__, description="Signed webhooks for integrators")
ENDPOINT = "/organisations/<uuid:organisation_id>/webhooks/<uuid:endpoint_id>"


def _deliver_soon() -> None:
    """Ask the webhooks workers for a batch now rather than at the next periodic dispatch."""
    from ..tasks import WEBHOOKS_QUEUE, deliver_webhooks

    try:
        deliver_webhooks.apply_async(queue=WEBHOOKS_QUEUE)
    except Exception:  # the broker is down: the periodic dispatch will find them due
        logging.getLogger(__name__).warning("could not queue a webhook batch", exc_info=True)


@blp.route("/webhooks/event-types")
class EventTypes(MethodView):
    @policy.anyone()
    @blp.response(200, EventTypeOut(many=True))
    def get(self):
        """Every event type webhooks can receive, with an example of its payload."""
        return [
            {
                "name": e.name,
                "version": e.version,
                "description": e.description,
                "source": e.source,
                "example": {
                    "type": e.name,
                    "timestamp": "2026-11-25T09:30:00+00:00",
                    "data": e.example,
                },
            }
            for e in endpoints.offered_types()
        ]


@blp.route("/organisations/<uuid:organisation_id>/webhooks")
class Endpoints(MethodView):
    @policy.admin("webhooks:manage", INTEGRATE, organisation="organisation_id")
    @blp.arguments(EndpointIn)
    @blp.response(201, EndpointCreated)
    def post(self, payload, organisation_id):
        """Add an endpoint (org admin or client with webhooks:manage); the secret shows once."""
        with db.transaction() as session:
            endpoint, secret = endpoints.create(session, authenticated(), organisation_id, payload)
            body = {c.key: getattr(endpoint, c.key) for c in endpoint.__table__.columns}
            body["secret"] = secret
        return body

    @policy.admin("webhooks:manage", INTEGRATE, organisation="organisation_id")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, EndpointPage)
    def get(self, args, organisation_id):
        """The organisation's endpoints, newest first."""
        with db.transaction() as session:
            result = endpoints.listing(
                session, authenticated(), organisation_id, args["cursor"], args["limit"]
            )
        return result, 200, next_link(result["next"])


@blp.route(ENDPOINT)
class Endpoint(MethodView):
    @policy.admin("webhooks:manage", INTEGRATE, organisation="organisation_id")
    @blp.response(200, EndpointOut)
    def get(self, organisation_id, endpoint_id):
        with db.transaction() as session:
            return endpoints.get(session, authenticated(), organisation_id, endpoint_id)

    @policy.admin("webhooks:manage", INTEGRATE, organisation="organisation_id")
    @blp.arguments(EndpointPatch)
    @blp.response(200, EndpointOut)
    def patch(self, payload, organisation_id, endpoint_id):
        """Change the URL, types, description, rate limit, or enable/disable it."""
        with db.transaction() as session:
            return endpoints.update_endpoint(
                session, authenticated(), organisation_id, endpoint_id, payload
            )

    @policy.admin("webhooks:manage", INTEGRATE, organisation="organisation_id")
    @blp.response(204)
    def delete(self, organisation_id, endpoint_id):
        with db.transaction() as session:
            endpoints.delete(session, authenticated(), organisation_id, endpoint_id)


@blp.route(f"{ENDPOINT}/secret/rotate")
class RotateSecret(MethodView):
    @policy.admin("webhooks:manage", INTEGRATE, organisation="organisation_id")
    @blp.response(201, SecretOut)
    def post(self, organisation_id, endpoint_id):
        """A new secret, shown once; the previous one keeps signing for 24 hours."""
        with db.transaction() as session:
            secret = endpoints.rotate_secret(session, authenticated(), organisation_id, endpoint_id)
        return {"secret": secret}


@blp.route(f"{ENDPOINT}/messages")
class Messages(MethodView):
    @policy.admin("webhooks:manage", INTEGRATE, organisation="organisation_id")
    @blp.arguments(MessageArgs, location="query", as_kwargs=True)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, MessagePage)
    def get(self, args, organisation_id, endpoint_id, status):
        """The endpoint's messages, newest first, optionally of one status."""
        with db.transaction() as session:
            result = endpoints.messages(
                session,
                authenticated(),
                organisation_id,
                endpoint_id,
                status,
                args["cursor"],
                args["limit"],
            )
        return result, 200, next_link(result["next"])


@blp.route(f"{ENDPOINT}/attempts")
class Attempts(MethodView):
    @policy.admin("webhooks:manage", INTEGRATE, organisation="organisation_id")
    @blp.arguments(AttemptArgs, location="query", as_kwargs=True)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, AttemptPage)
    def get(self, args, organisation_id, endpoint_id, message_id):
        """Every delivery attempt, newest first: status, duration, error class, response."""
        with db.transaction() as session:
            result = endpoints.attempts(
                session,
                authenticated(),
                organisation_id,
                endpoint_id,
                message_id,
                args["cursor"],
                args["limit"],
            )
        return result, 200, next_link(result["next"])


@blp.route(f"{ENDPOINT}/messages/<string:message_id>/replay")
class Replay(MethodView):
    @policy.admin("webhooks:manage", INTEGRATE, organisation="organisation_id")
    @blp.response(202, MessageOut)
    @problems(409)
    def post(self, organisation_id, endpoint_id, message_id):
        """Send one message again, with the same webhook-id."""
        with db.transaction() as session:
            message = endpoints.replay(
                session, authenticated(), organisation_id, endpoint_id, message_id
            )
        _deliver_soon()
        return message


@blp.route(f"{ENDPOINT}/recover")
class Recover(MethodView):
    @policy.admin("webhooks:manage", INTEGRATE, organisation="organisation_id")
    @blp.arguments(RecoverIn)
    @blp.response(202, RecoverOut)
    @problems(409)
    def post(self, payload, organisation_id, endpoint_id):
        """Send again every failed or held message since a time."""
        with db.transaction() as session:
            count = endpoints.recover(
                session, authenticated(), organisation_id, endpoint_id, payload["since"]
            )
        _deliver_soon()
        return {"recovered": count}


@blp.route(f"{ENDPOINT}/test")
class TestEvent(MethodView):
    @policy.admin("webhooks:manage", INTEGRATE, organisation="organisation_id")
    @blp.response(202, MessageOut)
    @problems(409)
    def post(self, organisation_id, endpoint_id):
        """Send a `webhook.test` message to this endpoint."""
        with db.transaction() as session:
            message = endpoints.send_test(session, authenticated(), organisation_id, endpoint_id)
        _deliver_soon()
        return message
