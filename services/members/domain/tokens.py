"""The OAuth2 token endpoint's rules: password, refresh_token and client_credentials grants.

Access tokens are ES256 JWTs (domain.keys); refresh tokens are opaque, stored as SHA-256,
rotated on every use. A rotated token presented again means it leaked: the whole family (one
sign-in session) is revoked.
"""

from __future__ import annotations

import hmac
import secrets
import uuid
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import object_session

from shared.auth import ORG_ADMIN, PLATFORM_ADMIN
from shared.db import utcnow
from shared.errors import Problem

from .. import settings
from ..models import ApiClient, Membership, Organisation, RefreshToken, User
from . import accounts, credentials, keys, memberships, rate_limits

# The fixed vocabulary of scopes integrator clients may hold.
SCOPES = (
    "directory:read",
    "organisation:read",
    "organisation:admin",
    "projects:read",
    "projects:write",
    "projects:apply",
    "announcements:read",
    "announcements:write",
    "webhooks:manage",
    "notifications:read",
)
MEMBER_SCOPES = (
    "directory:read",
    "organisation:read",
    "projects:read",
    "projects:write",
    "projects:apply",
    "announcements:read",
    "notifications:read",
)
ADMIN_SCOPES = (*MEMBER_SCOPES, "organisation:admin", "announcements:write", "webhooks:manage")


class OAuthError(Problem):
    """RFC 6749 section 5.2 error, carried as problem+json with `error`/`error_description`."""

    status = 400
    slug = "oauth-error"
    title = "The token request was refused"

    def __init__(self, error: str, description: str, status: int = 400, headers=None):
        super().__init__(
            description,
            code=f"oauth.{error}",  # the token endpoint answers `error` itself (auth.py)
            headers=headers,
            error=error,
            error_description=description,
        )
        self.status = status


def invalid_client(description: str = "Client authentication failed.") -> OAuthError:
    return OAuthError(
        "invalid_client", description, 401, headers={"WWW-Authenticate": 'Basic realm="token"'}
    )


def person_scopes(user: User, membership: Membership | None) -> tuple[str, ...]:
    """The scopes a person's token carries: what their role lets them do."""
    if user.is_platform_admin:
        return SCOPES
    if membership is None:
        return ("directory:read",)
    return ADMIN_SCOPES if membership.role == ORG_ADMIN else MEMBER_SCOPES


def _requested_scope(requested: str | None, allowed) -> list[str]:
    if not requested:
        return list(allowed)
    asked = requested.split()
    if len(requested) > 500 or not set(asked) <= set(allowed):
        raise OAuthError("invalid_scope", "The requested scope is not granted to you.")
    return [scope for scope in allowed if scope in asked]


def person_claims(user: User, membership: Membership | None, scope: list[str], family) -> dict:
    roles = [PLATFORM_ADMIN] if user.is_platform_admin else []
    claims = {
        "sub": str(user.id),
        "roles": roles,
        "scope": " ".join(scope),
        "lang": user.language,
        "tz": user.timezone,  # so every service shows times in the person's own zone
    }
    if membership is not None:
        roles.append(membership.role)
        claims["org"] = str(membership.organisation_id)
        organisation = object_session(membership).get(Organisation, membership.organisation_id)
        # Services judge by their own copy of the status; this one serves until it arrives.
        claims["org_status"] = organisation.status if organisation is not None else None
    if family is not None:
        claims["sid"] = str(family)  # the session: "revoke the other sessions" spares this one
    return claims


def _issue_refresh(session, user_id, family_id, scope: list[str]) -> tuple[str, RefreshToken]:
    secret = secrets.token_urlsafe(32)
    row = RefreshToken(
        user_id=user_id,
        family_id=family_id,
        token_hash=credentials.digest(secret),
        scope=" ".join(scope),
        expires_at=utcnow() + timedelta(seconds=settings.get("REFRESH_TOKEN_TTL")),
    )
    session.add(row)
    session.flush()
    return secret, row


def _response(access: str, ttl: int, scope: list[str], refresh: str | None = None) -> dict:
    body = {"access_token": access, "token_type": "Bearer", "expires_in": ttl}
    if refresh:
        body["refresh_token"] = refresh
    body["scope"] = " ".join(scope)
    return body


def _person_tokens(session, user: User, scope_request: str | None, family=None) -> dict:
    membership = memberships.membership_of(session, user.id)
    scope = _requested_scope(scope_request, person_scopes(user, membership))
    family = family or uuid.uuid4()
    refresh, _row = _issue_refresh(session, user.id, family, scope)
    access, ttl = keys.sign(session, person_claims(user, membership, scope, family))
    return _response(access, ttl, scope, refresh)


def password_grant(session, username: str, password: str, scope, address: str | None) -> dict:
    """Sign-in: a wrong password and an unknown e-mail fail alike (status, body, time)."""
    rate_limits.ensure_sign_in_allowed(username, address)
    user = accounts.find_user_by_email(session, username)
    if not accounts.verify_password(user, password):
        rate_limits.record_sign_in_failure(username, address)
        raise OAuthError("invalid_grant", "The e-mail address or the password is not correct.")
    rate_limits.clear_sign_in_failures(username, address)
    return _person_tokens(session, user, scope)


class ReplayDetected(Exception):
    """A rotated refresh token came back; the caller commits the family's revocation."""

    def __init__(self, family_id):
        self.family_id = family_id


def refresh_grant(session, token: str, scope_request: str | None) -> dict:
    """Exchange a refresh token for a new pair; the old one stops working at once."""
    row = session.scalars(
        select(RefreshToken).where(RefreshToken.token_hash == credentials.digest(token))
    ).first()
    refused = OAuthError("invalid_grant", "The refresh token is not valid.")
    if row is None:
        raise refused
    if row.replaced_by is not None:
        raise ReplayDetected(row.family_id)
    if row.revoked_at is not None or row.expires_at <= utcnow():
        raise refused
    user = session.get(User, row.user_id)
    membership = memberships.membership_of(session, row.user_id)
    allowed = [s for s in row.scope.split() if s in person_scopes(user, membership)]
    scope = _requested_scope(scope_request, allowed)
    new_secret, new_row = _issue_refresh(session, user.id, row.family_id, scope)
    # Conditional update: of two concurrent uses only one wins; the other is a replay.
    claimed = session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == row.id, RefreshToken.replaced_by.is_(None))
        .values(revoked_at=utcnow(), replaced_by=new_row.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise ReplayDetected(row.family_id)
    access, ttl = keys.sign(session, person_claims(user, membership, scope, row.family_id))
    return _response(access, ttl, scope, new_secret)


def revoke(session, token: str) -> None:
    """RFC 7009: revoke a refresh token's session; unknown tokens are silently fine."""
    row = session.scalars(
        select(RefreshToken).where(RefreshToken.token_hash == credentials.digest(token))
    ).first()
    if row is not None:
        credentials.revoke_family(session, row.family_id)


def authenticate_client(session, client_id: str, client_secret: str) -> ApiClient:
    client = session.scalars(select(ApiClient).where(ApiClient.client_id == client_id)).first()
    expected = client.secret_hash if client is not None else credentials.digest("no-such-client")
    matches = hmac.compare_digest(expected, credentials.digest(client_secret))
    if client is None or not matches or client.revoked_at is not None:
        raise invalid_client()
    return client


def client_credentials_grant(session, client_id: str, client_secret: str, scope) -> dict:
    """An integrator's access token: scopes are a subset of those the client holds."""
    client = authenticate_client(session, client_id, client_secret)
    organisation = session.get(Organisation, client.organisation_id)
    if organisation is None or organisation.status == "suspended":
        # A suspended organisation's clients are held: no new tokens, and the old ones were
        # revoked with the suspension.
        raise OAuthError(
            "unauthorized_client", "The client's organisation is suspended; its clients are held."
        )
    granted = _requested_scope(scope, [s for s in SCOPES if s in client.scopes])
    client.last_used_at = utcnow()
    claims = {
        "sub": client.client_id,
        "client_id": client.client_id,
        "org": str(client.organisation_id),
        "org_status": organisation.status,
        "roles": [],
        "scope": " ".join(granted),
    }
    access, ttl = keys.sign(session, claims)
    return _response(access, ttl, granted)
