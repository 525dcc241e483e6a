"""Signing-key rotation: a fresh key signs, tokens signed before stay valid until they expire."""

from __future__ import annotations

import jwt
import pytest
from sqlalchemy import delete

from services.members.domain import keys
from services.members.models import SigningKey, db

JWKS = "/api/members/v1/.well-known/jwks.json"


@pytest.fixture
def rotatable(app):
    keys.register_cli(app)
    yield app
    # Leave one key behind as other tests expect: drop what rotation added.
    with db.transaction() as session:
        session.execute(delete(SigningKey))
    keys._public_cache.clear()


def test_rotation_keeps_tokens_signed_before_valid_and_publishes_both_keys(rotatable, client, make):
    user = make.user(make.organisation())
    before = make.token(user)
    old_kid = jwt.get_unverified_header(before)["kid"]

    result = rotatable.test_cli_runner().invoke(args=["rotate-signing-key"])
    assert result.exit_code == 0, result.output

    after = make.token(user)
    new_kid = jwt.get_unverified_header(after)["kid"]
    assert new_kid != old_kid
    for token in (before, after):
        response = client.get("/api/members/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
    published = {key["kid"] for key in client.get(JWKS).json["keys"]}
    assert published == {old_kid, new_kid}


def test_a_key_retired_longer_than_a_token_lives_is_no_longer_published(rotatable, client, make):
    from datetime import timedelta

    from shared.db import utcnow

    user = make.user(make.organisation())
    before = make.token(user)
    old_kid = jwt.get_unverified_header(before)["kid"]
    rotatable.test_cli_runner().invoke(args=["rotate-signing-key"])
    with db.transaction() as session:
        session.get(SigningKey, old_kid).retired_at = utcnow() - timedelta(hours=1)
    keys._public_cache.clear()
    assert old_kid not in {key["kid"] for key in client.get(JWKS).json["keys"]}
    response = client.get("/api/members/v1/me", headers={"Authorization": f"Bearer {before}"})
    assert response.status_code == 401
