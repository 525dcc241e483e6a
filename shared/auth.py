"""Access-token verification and the role and organisation checks every service applies.

members signs short-lived ES256 JWTs; every service verifies them locally with the public keys
from members' JWKS document (cached, fetched again when a token names an unknown `kid`), so no
request needs a call to members. A token must name the platform's audience (`TOKEN_AUDIENCE`,
one for every API, since the portal passes the person's token to each of them), and it is
refused when members revoked access after it was issued (`shared.revocation`).

A signed-in client sends the same token with every request for its life: each process keeps the
claims of the tokens it verified (`VerifiedTokens`) until they expire, while the key that signed
them is still published, so a repeated request skips decoding and the ECDSA check. Revocation is
checked on every request, kept claims or not.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import jwt
from cachetools import LRUCache
from flask import Flask, current_app, g, request

from shared.errors import Unauthorized

ALGORITHM = "ES256"
PLATFORM_ADMIN = "platform_admin"
ORG_ADMIN = "org_admin"
ORG_MEMBER = "org_member"
ROLES = (PLATFORM_ADMIN, ORG_ADMIN, ORG_MEMBER)


@dataclass(frozen=True)
class Caller:
    """Who is calling: a person (with roles) or an integrator client (with scopes)."""

    subject: str
    kind: str  # "user" or "client"
    organisation_id: uuid.UUID | None
    roles: frozenset[str] = field(default_factory=frozenset)
    scopes: frozenset[str] = field(default_factory=frozenset)
    language: str | None = None
    timezone: str | None = None  # the person's IANA zone, from the token's `tz` claim
    organisation_status: str | None = None  # as members saw it when signing (`org_status`)

    @property
    def user_id(self) -> uuid.UUID | None:
        return uuid.UUID(self.subject) if self.kind == "user" else None

    @property
    def is_platform_admin(self) -> bool:
        return PLATFORM_ADMIN in self.roles

    def is_admin_of(self, organisation_id) -> bool:
        if self.is_platform_admin:
            return True
        return (
            self.organisation_id is not None
            and str(self.organisation_id) == str(organisation_id)
            and (ORG_ADMIN in self.roles or "organisation:admin" in self.scopes)
        )

    def belongs_to(self, organisation_id) -> bool:
        return self.organisation_id is not None and str(self.organisation_id) == str(
            organisation_id
        )

    @classmethod
    def from_claims(cls, claims: dict) -> Caller:
        org = claims.get("org")
        return cls(
            subject=str(claims["sub"]),
            kind="client" if claims.get("client_id") else "user",
            organisation_id=uuid.UUID(org) if org else None,
            roles=frozenset(claims.get("roles") or ()),
            scopes=frozenset((claims.get("scope") or "").split()),
            language=claims.get("lang"),
            timezone=claims.get("tz"),
            organisation_status=claims.get("org_status"),
        )


class KeySource:
    """Where verification keys come from; `key_for(kid)` returns a public key or None."""

    def key_for(self, kid: str):  # pragma: no cover - interface
        raise NotImplementedError


class CallableKeySource(KeySource):
    """Keys from a function of the kid: members verifies with its own key table this way."""

    def __init__(self, lookup: Callable[[str], object]):
        self.lookup = lookup

    def key_for(self, kid: str):
        return self.lookup(kid)


class JwksKeySource(KeySource):
    """Keys from a JWKS URL, cached; an unknown kid triggers at most one refetch per interval."""

    def __init__(self, url: str, min_refresh_seconds: float = 10.0, lifespan: float = 300.0):
        self.url = url
        self.min_refresh_seconds = min_refresh_seconds
        self.lifespan = lifespan
        self._keys: dict[str, object] = {}
        self._fetched_at = 0.0
        self._lock = threading.Lock()

    def _fetch(self) -> None:
        import requests

        response = requests.get(self.url, timeout=5)
        response.raise_for_status()
        keys = {}
        for jwk in response.json().get("keys", []):
            if jwk.get("kid"):
                keys[jwk["kid"]] = jwt.PyJWK(jwk).key
        self._keys = keys
        self._fetched_at = time.monotonic()

    def key_for(self, kid: str):
        now = time.monotonic()
        stale = now - self._fetched_at > self.lifespan
        if kid in self._keys and not stale:
            return self._keys[kid]
        with self._lock:
            if (kid not in self._keys or stale) and (
                now - self._fetched_at >= self.min_refresh_seconds or stale
            ):
                try:
                    self._fetch()
                except Exception:  # members unreachable: keep what we had
                    current_app.logger.warning("could not fetch JWKS from %s", self.url)
        return self._keys.get(kid)


def verify_token(token: str, key_source: KeySource, issuer: str, audience: str) -> dict:
    """The token's claims, or Unauthorized for anything tampered, expired, unknown or meant for
    another audience."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise Unauthorized("The access token is malformed.") from exc
    if header.get("alg") != ALGORITHM or not header.get("kid"):
        raise Unauthorized("The access token is not signed the way this platform signs.")
    key = key_source.key_for(header["kid"])
    if key is None:
        raise Unauthorized("The access token was signed with an unknown key.")
    try:
        return jwt.decode(
            token,
            key=key,
            algorithms=[ALGORITHM],
            issuer=issuer,
            audience=audience,
            options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            leeway=5,
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("The access token has expired.", code="token_expired") from exc
    except (jwt.InvalidAudienceError, jwt.MissingRequiredClaimError) as exc:
        raise Unauthorized(f"The access token is not valid here: {exc}.") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("The access token is not valid.") from exc


class VerifiedTokens:
    """Claims of tokens this process verified, by token, each until its `exp`.

    A kept token is accepted only while the key source still gives, for its `kid`, the very key
    that verified it: a key withdrawn from members' JWKS stops its tokens here as before.
    """

    def __init__(self, key_source: KeySource, maxsize: int = 8192):
        self.key_source = key_source
        self._kept: LRUCache = LRUCache(maxsize=maxsize)
        self._lock = threading.Lock()  # LRUCache reorders on every read

    def verify(self, token: str, issuer: str, audience: str) -> dict:
        with self._lock:
            kept = self._kept.get(token)
        if kept is not None:
            claims, kid, key = kept
            if time.time() < claims["exp"] and self.key_source.key_for(kid) is key:
                return claims
            with self._lock:
                self._kept.pop(token, None)
        claims = verify_token(token, self.key_source, issuer, audience)
        kid = jwt.get_unverified_header(token)["kid"]
        key = self.key_source.key_for(kid)
        if isinstance(claims.get("exp"), int | float) and key is not None:
            with self._lock:
                self._kept[token] = (claims, kid, key)
        return claims


def init_app(app: Flask, key_source: KeySource | None = None, revocations=None) -> None:
    """Read the bearer token (if any) of every request into `g.caller`.

    `revocations` (a `shared.revocation.RevocationList`) refuses tokens issued before members
    took the access away; every service with a database passes one.
    """
    source = key_source or JwksKeySource(app.config["JWKS_URL"])
    app.extensions["auth_key_source"] = source
    app.extensions["revocations"] = revocations
    verified = app.extensions["verified_tokens"] = VerifiedTokens(source)

    @app.before_request
    def _load_caller():
        g.caller = None
        header = request.headers.get("Authorization", "")
        if not header or not request.path.startswith("/api/"):
            return
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("Use an `Authorization: Bearer <token>` header.")
        claims = verified.verify(
            token.strip(), app.config["TOKEN_ISSUER"], app.config["TOKEN_AUDIENCE"]
        )
        if claims.get("typ", "access") != "access":
            raise Unauthorized("Only access tokens are accepted here.")
        if revocations is not None and revocations.refuses(claims):
            raise Unauthorized(
                "This access token was revoked (a change of membership, role, password or "
                "organisation status); sign in or refresh the token again.",
                code="token_revoked",
            )
        g.caller = Caller.from_claims(claims)


def current_caller() -> Caller | None:
    return g.get("caller")


def authenticated() -> Caller:
    caller = current_caller()
    if caller is None:
        raise Unauthorized()
    return caller
