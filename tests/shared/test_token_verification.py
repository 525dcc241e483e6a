"""Services verify tokens from members' JWKS: cached, refetched when a new kid appears."""

import json
import threading
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from shared.auth import JwksKeySource, verify_token
from shared.errors import Unauthorized

ISSUER = "test-issuer"
AUDIENCE = "test-platform"


class JwksServer:
    """A real HTTP server publishing a JWKS document that the test can change."""

    def __init__(self):
        self.keys: list[dict] = []
        self.hits = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.hits += 1
                body = json.dumps({"keys": outer.keys}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/jwks.json"

    def add_key(self):
        private = ec.generate_private_key(ec.SECP256R1())
        kid = uuid.uuid4().hex
        jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private.public_key()))
        self.keys.append({**jwk, "kid": kid, "alg": "ES256", "use": "sig"})
        return kid, private


def make_token(kid, private, **overrides):
    now = datetime.now(UTC)
    claims = {
        "sub": str(uuid.uuid4()),
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + timedelta(minutes=5),
    }
    claims.update(overrides)
    return jwt.encode(claims, private, algorithm="ES256", headers={"kid": kid})


@pytest.fixture
def jwks():
    server = JwksServer()
    yield server
    server.server.shutdown()


def test_keys_are_cached_and_refetched_for_an_unknown_kid(widgets_app, jwks):
    source = JwksKeySource(jwks.url, min_refresh_seconds=0)
    kid, private = jwks.add_key()
    with widgets_app.app_context():
        verify_token(make_token(kid, private), source, ISSUER, AUDIENCE)
        verify_token(make_token(kid, private), source, ISSUER, AUDIENCE)
        assert jwks.hits == 1
        new_kid, new_private = jwks.add_key()  # members rotated its key
        claims = verify_token(make_token(new_kid, new_private), source, ISSUER, AUDIENCE)
        assert claims["iss"] == ISSUER
        assert jwks.hits == 2


def test_expired_wrong_issuer_and_unknown_key_tokens_are_refused(widgets_app, jwks):
    source = JwksKeySource(jwks.url, min_refresh_seconds=0)
    kid, private = jwks.add_key()
    stranger = ec.generate_private_key(ec.SECP256R1())
    past = datetime.now(UTC) - timedelta(hours=1)
    with widgets_app.app_context():
        with pytest.raises(Unauthorized, match="expired"):
            verify_token(make_token(kid, private, iat=past, exp=past), source, ISSUER, AUDIENCE)
        with pytest.raises(Unauthorized):
            verify_token(make_token(kid, private, iss="someone-else"), source, ISSUER, AUDIENCE)
        with pytest.raises(Unauthorized):
            verify_token(make_token(kid, stranger), source, ISSUER, AUDIENCE)
        with pytest.raises(Unauthorized, match="unknown key"):
            verify_token(make_token("no-such-kid", private), source, ISSUER, AUDIENCE)


def test_a_token_for_another_audience_or_none_is_refused(widgets_app, jwks):
    source = JwksKeySource(jwks.url, min_refresh_seconds=0)
    kid, private = jwks.add_key()
    without = make_token(kid, private)
    without_claims = jwt.decode(without, options={"verify_signature": False})
    del without_claims["aud"]
    with widgets_app.app_context():
        assert verify_token(make_token(kid, private), source, ISSUER, AUDIENCE)["aud"] == AUDIENCE
        with pytest.raises(Unauthorized, match="not valid here"):
            verify_token(make_token(kid, private, aud="another-api"), source, ISSUER, AUDIENCE)
        with pytest.raises(Unauthorized, match="not valid here"):
            bare = jwt.encode(without_claims, private, algorithm="ES256", headers={"kid": kid})
            verify_token(bare, source, ISSUER, AUDIENCE)


def test_a_request_with_a_bad_token_gets_401_problem(widgets):
    response = widgets.get(
        "/api/widgets/v1/widgets", headers={"Authorization": "Bearer not.a.token"}
    )
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert "Bearer" in response.headers["WWW-Authenticate"]


def _kept_claims_source():
    """A key source over a dict the test changes, and the VerifiedTokens using it."""
    from shared.auth import CallableKeySource, VerifiedTokens

    keys: dict = {}
    return keys, VerifiedTokens(CallableKeySource(keys.get))


def test_a_verified_token_is_kept_only_while_its_key_is_published():
    keys, verified = _kept_claims_source()
    private = ec.generate_private_key(ec.SECP256R1())
    keys["k1"] = private.public_key()
    token = make_token("k1", private)
    claims = verified.verify(token, ISSUER, AUDIENCE)
    assert verified.verify(token, ISSUER, AUDIENCE) == claims
    # The key is withdrawn (members retired it): its tokens stop at once, kept or not.
    del keys["k1"]
    with pytest.raises(Unauthorized):
        verified.verify(token, ISSUER, AUDIENCE)
    # Another key under the same kid does not vouch for what the first one signed.
    keys["k1"] = ec.generate_private_key(ec.SECP256R1()).public_key()
    with pytest.raises(Unauthorized):
        verified.verify(token, ISSUER, AUDIENCE)


def test_kept_claims_never_vouch_for_another_or_an_expired_token():
    keys, verified = _kept_claims_source()
    private = ec.generate_private_key(ec.SECP256R1())
    keys["k1"] = private.public_key()
    token = make_token("k1", private)
    verified.verify(token, ISSUER, AUDIENCE)
    head, payload, signature = token.split(".")
    forged = jwt.encode(
        {**jwt.decode(token, options={"verify_signature": False}), "sub": "someone-else"},
        ec.generate_private_key(ec.SECP256R1()),
        algorithm="ES256",
        headers={"kid": "k1"},
    )
    with pytest.raises(Unauthorized):
        verified.verify(forged, ISSUER, AUDIENCE)
    with pytest.raises(Unauthorized):
        verified.verify(f"{head}.{payload}.{signature[:-4]}AAAA", ISSUER, AUDIENCE)
    past = datetime.now(UTC) - timedelta(minutes=1)
    expired = make_token("k1", private, iat=past - timedelta(minutes=5), exp=past)
    with pytest.raises(Unauthorized):
        verified.verify(expired, ISSUER, AUDIENCE)
