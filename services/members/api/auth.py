"""OAuth2 token endpoint, sign-out, password reset."""

from __future__ import annotations

import base64
import binascii
import json
from urllib.parse import unquote

from flask import g, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate

from shared import client_address, policy
from shared.app import accepts_form
from shared.errors import PROBLEM_MIMETYPE
from shared.openapi import problems

from ..domain import accounts, credentials, rate_limits, tokens
from ..models import db
from ..schemas.identity import (
    PasswordResetConfirm,
    PasswordResetRequest,
    RevokeRequest,
    TokenRequest,
    TokenResponse,
)

blp = Blueprint("auth", __name__, description="OAuth2 token endpoint, sign-out, password reset")
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _parameters(schema) -> dict:
    """Form (RFC 6749) or JSON body, as an `invalid_request` OAuth error when it is wrong."""
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raw = request.form.to_dict()
    else:
        raw = request.get_json(silent=True)
        if raw is None and request.content_length:
            raise tokens.OAuthError("invalid_request", "The body is neither a form nor JSON.")
        raw = raw or {}
    if not isinstance(raw, dict):
        raise tokens.OAuthError("invalid_request", "The body must be an object of parameters.")
    try:
        return schema.load({k: v for k, v in raw.items() if k in schema.fields})
    except ValidationError as exc:
        names = ", ".join(sorted(exc.messages))
        raise tokens.OAuthError("invalid_request", f"Missing or invalid: {names}.") from exc


def _set_aside_basic_credentials():
    """Keep HTTP Basic client credentials of the token endpoint from the bearer-token check.

    shared.auth refuses any Authorization header that is not Bearer; RFC 6749 section 2.3.1
    wants Basic here. Until shared.auth lets other schemes through, this runs first.
    """
    header = request.environ.get("HTTP_AUTHORIZATION", "")
    if request.endpoint == "auth.Token" and header[:6].lower() == "basic ":
        g.basic_authorization = request.environ.pop("HTTP_AUTHORIZATION")


@blp.record_once
def _install(state):
    state.app.before_request_funcs.setdefault(None, []).insert(0, _set_aside_basic_credentials)


def _basic_credentials() -> tuple[str, str] | None:
    header = g.get("basic_authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise tokens.invalid_client("The Basic credentials are malformed.") from exc
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        raise tokens.invalid_client("The Basic credentials are malformed.")
    # RFC 6749 section 2.3.1: both parts are form-urlencoded before Base64.
    return unquote(client_id), unquote(secret)


def _require(params: dict, *names: str) -> None:
    missing = [name for name in names if not params.get(name)]
    if missing:
        raise tokens.OAuthError("invalid_request", f"Missing: {', '.join(missing)}.")


def _grant(params: dict) -> dict:
    grant = params["grant_type"]
    if grant == "password":
        _require(params, "username", "password")
        with db.transaction() as session:
            return tokens.password_grant(
                session,
                params["username"],
                params["password"],
                params.get("scope"),
                client_address.of_request(request),
            )
    if grant == "refresh_token":
        _require(params, "refresh_token")
        try:
            with db.transaction() as session:
                return tokens.refresh_grant(session, params["refresh_token"], params.get("scope"))
        except tokens.ReplayDetected as replay:
            with db.transaction() as session:
                credentials.revoke_family(session, replay.family_id)
            raise tokens.OAuthError(
                "invalid_grant", "The refresh token was already used; sign in again."
            ) from None
    if grant == "client_credentials":
        client_pair = _basic_credentials() or (params.get("client_id"), params.get("client_secret"))
        if not all(client_pair):
            raise tokens.invalid_client("Give client_id and client_secret.")
        with db.transaction() as session:
            return tokens.client_credentials_grant(session, *client_pair, params.get("scope"))
    raise tokens.OAuthError(
        "unsupported_grant_type", "Use password, refresh_token or client_credentials."
    )


# RFC 6749 section 5.2 codes for refusals made before the grant is looked at (shared checks).
_OAUTH_CODES = {401: "invalid_client"}


@blp.after_app_request
def _token_errors_as_oauth(response):
    """Every refusal of the token endpoint as RFC 6749 section 5.2 `application/json`.

    The grant's own errors already carry `error`; refusals made by the shared checks before the
    view (body too large, too deep, not a form nor JSON, too many attempts) become
    `invalid_request`, keeping their status and headers, so OAuth2 clients read them all.
    """
    if (
        request.endpoint != "auth.Token"
        or not 400 <= response.status_code < 500
        or response.mimetype != PROBLEM_MIMETYPE
    ):
        return response
    problem = response.get_json(silent=True) or {}
    description = problem.get("error_description") or problem.get("detail") or problem["title"]
    fields = [e.get("pointer") or e.get("parameter") for e in problem.get("errors") or []]
    if fields and not problem.get("error"):
        description = f"{description} ({', '.join(sorted(filter(None, fields)))})"
    body = {
        "error": problem.get("error") or _OAUTH_CODES.get(response.status_code, "invalid_request"),
        "error_description": description,
    }
    response.set_data(json.dumps(body))
    response.mimetype = "application/json"
    response.headers.update(NO_STORE)
    return response


class OAuthErrorSchema(Schema):
    """RFC 6749 section 5.2: what the token endpoint answers for every refusal."""

    error = fields.String(
        required=True,
        validate=validate.OneOf(
            [
                "invalid_request",
                "invalid_client",
                "invalid_grant",
                "unauthorized_client",
                "unsupported_grant_type",
                "invalid_scope",
            ]
        ),
    )
    error_description = fields.String()


# Every status the token endpoint refuses with (its own, and the shared checks' it rewrites).
TOKEN_ERROR_STATUSES = (400, 401, 413, 415, 422, 429)


def _oauth_errors(view):
    for status in TOKEN_ERROR_STATUSES:
        view = blp.alt_response(
            status,
            schema=OAuthErrorSchema,
            content_type="application/json",
            description="Refused (RFC 6749 section 5.2)",
        )(view)
    return view


@blp.route("/auth/token")
class Token(MethodView):
    @accepts_form
    @_oauth_errors
    @blp.response(200, TokenResponse)
    @blp.doc(
        security=[],
        requestBody={
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {"schema": TokenRequest},
                "application/json": {"schema": TokenRequest},
            },
        },
    )
    @policy.anyone()
    def post(self):
        """OAuth2 token endpoint (RFC 6749): password, refresh_token, client_credentials.

        Form-encoded or JSON parameters: grant_type, username, password, refresh_token,
        client_id, client_secret (or HTTP Basic), scope. Errors carry `error` and
        `error_description` as RFC 6749 section 5.2 names them.
        """
        params = _parameters(TokenRequest())
        return _grant(params), 200, NO_STORE


@blp.route("/auth/revoke")
class Revoke(MethodView):
    @accepts_form
    @blp.response(200, description="Revoked, or nothing to revoke (RFC 7009)")
    @blp.doc(
        security=[],
        requestBody={
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {"schema": RevokeRequest},
                "application/json": {"schema": RevokeRequest},
            },
        },
    )
    @policy.anyone()
    def post(self):
        """Sign out: revoke a refresh token and its session (RFC 7009)."""
        params = _parameters(RevokeRequest())
        with db.transaction() as session:
            tokens.revoke(session, params["token"])
        return {}, 200, NO_STORE


@blp.route("/auth/password-reset")
class PasswordReset(MethodView):
    @policy.anyone()
    @blp.arguments(PasswordResetRequest)
    @blp.response(202, description="An e-mail is on its way if the address has an account")
    @blp.doc(security=[])
    @problems(429)
    def post(self, payload):
        """Ask for a password reset link; the answer never tells whether the address exists.

        Limited per address (429 with Retry-After); the lookup and the e-mail happen in a task,
        so every address gets the same answer in the same time, and an account gets at most a
        few e-mails an hour however many are asked for.
        """
        rate_limits.ensure_reset_allowed(client_address.of_request(request))
        from ..tasks import enqueue, request_password_reset

        enqueue(request_password_reset, payload["email"], quiet=True)
        return {}, 202


@blp.route("/auth/password-reset/confirm")
class PasswordResetConfirmation(MethodView):
    @policy.anyone()
    @blp.arguments(PasswordResetConfirm)
    @blp.response(204)
    @blp.doc(security=[])
    @problems(404, 410)
    def post(self, payload):
        """Set a new password with an e-mailed link's token; every session is signed out."""
        with db.transaction() as session:
            accounts.confirm_password_reset(session, payload["token"], payload["password"])
