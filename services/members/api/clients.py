"""Integrator API clients."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from shared import policy
from shared.auth import authenticated
from shared.organisation_status import INTEGRATE
from shared.pagination import PageArgs, next_link

from ..domain import clients
from ..models import db
from ..schemas.identity import ClientCreated, ClientIn, ClientPage

blp = Blueprint("clients", __name__, description="Integrator API clients")
ORG = "/organisations/<uuid:organisation_id>"


@blp.route(f"{ORG}/clients")
class Clients(MethodView):
    @policy.admin("organisation:admin", INTEGRATE, organisation="organisation_id")
    @blp.arguments(ClientIn)
    @blp.response(201, ClientCreated)
    def post(self, payload, organisation_id):
        """Issue client credentials with scopes (org admin); the secret is shown only here."""
        with db.transaction() as session:
            client, secret = clients.create(session, authenticated(), organisation_id, payload)
        return {
            **{c.key: getattr(client, c.key) for c in client.__table__.columns},
            "client_secret": secret,
        }

    @policy.admin("organisation:admin", INTEGRATE, organisation="organisation_id")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, ClientPage)
    def get(self, args, organisation_id):
        """The organisation's API clients, newest first, revoked ones included (org admin)."""
        with db.transaction() as session:
            result = clients.listing(
                session, authenticated(), organisation_id, args["cursor"], args["limit"]
            )
        return result, 200, next_link(result["next"])


@blp.route(f"{ORG}/clients/<uuid:client_id>")
class ClientDetail(MethodView):
    @policy.admin("organisation:admin", INTEGRATE, organisation="organisation_id")
    @blp.response(204)
    def delete(self, organisation_id, client_id):
        """Revoke a client (org admin): it gets no new tokens."""
        with db.transaction() as session:
            clients.revoke(session, authenticated(), organisation_id, client_id)
