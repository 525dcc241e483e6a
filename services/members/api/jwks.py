"""The public keys other services verify access tokens with."""

from flask import jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from shared import policy

from ..domain import keys
from ..models import db

blp = Blueprint("jwks", __name__, url_prefix="/.well-known", description="Token signing keys")


@blp.route("/jwks.json")
class Jwks(MethodView):
    @policy.anyone()
    @blp.response(200, description="JSON Web Key Set (RFC 7517) of the token signing keys")
    def get(self):
        """Public keys that verify access tokens; cached by verifiers, refetched on unknown kid."""
        with db.transaction() as session:
            published = keys.published_keys(session)
            if not published:
                keys.active_key(session)
                published = keys.published_keys(session)
        response = jsonify(keys=published)
        response.headers["Cache-Control"] = "public, max-age=300"
        return response
