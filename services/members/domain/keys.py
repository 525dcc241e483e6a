"""ES256 signing keys: create, rotate, publish as JWKS, and sign access tokens.

Rotation keeps a retired key in the JWKS for as long as an access token it signed may live, so
rotating never signs anybody out.
"""

from __future__ import annotations

import json
import math
import secrets
import threading
import uuid
from datetime import timedelta

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from shared.auth import ALGORITHM, CallableKeySource
from shared.db import utcnow

from .. import settings
from ..models import SigningKey, db

_public_cache: dict[str, object] = {}
_cache_lock = threading.Lock()


def _passphrase() -> bytes:
    return settings.get("SECRET_KEY").encode()


def access_token_ttl() -> timedelta:
    return timedelta(seconds=settings.get("ACCESS_TOKEN_TTL"))


def create_key(session) -> SigningKey:
    private = ec.generate_private_key(ec.SECP256R1())
    kid = secrets.token_urlsafe(12)
    public_jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private.public_key()))
    public_jwk.update({"kid": kid, "use": "sig", "alg": ALGORITHM})
    key = SigningKey(
        kid=kid,
        private_pem=private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(_passphrase()),
        ),
        public_jwk=public_jwk,
    )
    session.add(key)
    session.flush()
    return key


def active_key(session) -> SigningKey:
    """The key that signs now; the first one is made on first use."""
    key = session.scalars(
        select(SigningKey)
        .where(SigningKey.retired_at.is_(None))
        .order_by(SigningKey.created_at.desc())
        .limit(1)
    ).first()
    return key or create_key(session)


def rotate(session) -> SigningKey:
    """Retire the signing key(s) and start signing with a fresh one."""
    now = utcnow()
    for key in session.scalars(select(SigningKey).where(SigningKey.retired_at.is_(None))):
        key.retired_at = now
    return create_key(session)


def published_keys(session) -> list[dict]:
    """Keys a verifier may meet: the active one and those retired within one token lifetime."""
    horizon = utcnow() - access_token_ttl() - timedelta(minutes=5)
    keys = session.scalars(
        select(SigningKey).where(
            (SigningKey.retired_at.is_(None)) | (SigningKey.retired_at > horizon)
        )
    ).all()
    return [key.public_jwk for key in keys]


def sign(session, claims: dict) -> tuple[str, int]:
    """An access token for `claims`, and its lifetime in seconds."""
    key = active_key(session)
    ttl = access_token_ttl()
    now = utcnow()
    # `iat` to the millisecond (RFC 7519 allows fractions), floored: a revocation recorded even
    # in the same second as the token still refuses it (shared.revocation compares with `iat`).
    issued = math.floor(now.timestamp() * 1000) / 1000
    payload = {
        "iss": settings.get("TOKEN_ISSUER"),
        "aud": settings.get("TOKEN_AUDIENCE"),
        "iat": issued,
        "nbf": now,
        "exp": now + ttl,
        "jti": uuid.uuid4().hex,
        "typ": "access",
        **claims,
    }
    private = serialization.load_pem_private_key(key.private_pem, password=_passphrase())
    token = jwt.encode(payload, private, algorithm=ALGORITHM, headers={"kid": key.kid})
    return token, int(ttl.total_seconds())


def _lookup(kid: str):
    with _cache_lock:
        if kid in _public_cache:
            return _public_cache[kid]
    key = db.session.get(SigningKey, kid)
    if key is None:
        return None
    horizon = utcnow() - access_token_ttl() - timedelta(minutes=5)
    if key.retired_at is not None and key.retired_at <= horizon:
        return None
    public = jwt.PyJWK(key.public_jwk).key
    if key.retired_at is None:
        with _cache_lock:
            _public_cache[kid] = public
    return public


def local_key_source() -> CallableKeySource:
    """members verifies its own tokens straight from its key table, without HTTP."""
    return CallableKeySource(_lookup)


def register_cli(app) -> None:
    """`flask rotate-signing-key`: sign with a fresh key; tokens signed before stay valid."""
    import click

    if "rotate-signing-key" in app.cli.commands:
        return

    @app.cli.command("rotate-signing-key")
    def rotate_signing_key():
        with db.transaction() as session:
            key = rotate(session)
        with _cache_lock:
            _public_cache.clear()  # retired keys are looked up again, with their horizon
        click.echo(f"now signing with key {key.kid}")
