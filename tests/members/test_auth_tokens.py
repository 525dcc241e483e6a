"""The OAuth2 token endpoint: password, refresh_token and client_credentials grants."""

from __future__ import annotations

import base64

import jwt
import pytest

from tests.members.factories import PASSWORD

TOKEN = "/api/members/v1/auth/token"
REVOKE = "/api/members/v1/auth/revoke"
ME = "/api/members/v1/me"


@pytest.fixture(autouse=True)
def _forget_sign_in_failures(app):
    import redis

    connection = redis.Redis.from_url(app.config["REDIS_URL"])
    for key in connection.scan_iter("LIMITS*"):
        connection.delete(key)


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(
        TOKEN, data={"grant_type": "password", "username": email, "password": password, **extra}
    )


def claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def test_password_grant_answers_an_rfc6749_token_response(client, make):
    org = make.organisation()
    user = make.admin(org, language="fr")
    response = sign_in(client, user.email.upper())
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.json
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert body["refresh_token"]
    access = claims(body["access_token"])
    assert access["sub"] == str(user.id)
    assert access["org"] == str(org.id)
    assert access["roles"] == ["org_admin"]
    assert access["lang"] == "fr"
    assert access["tz"] == user.timezone  # services show times in the person's own zone
    assert "organisation:admin" in access["scope"].split()
    assert body["scope"] == access["scope"]
    assert jwt.get_unverified_header(body["access_token"])["alg"] == "ES256"
    assert (
        client.get(ME, headers={"Authorization": f"Bearer {body['access_token']}"}).json["email"]
        == user.email
    )


def test_password_grant_also_takes_json(client, make):
    user = make.user(make.organisation())
    response = client.post(
        TOKEN, json={"grant_type": "password", "username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    access = claims(response.json["access_token"])
    assert access["roles"] == ["org_member"]
    assert "organisation:admin" not in access["scope"].split()


def test_a_platform_admin_without_organisation_has_no_org_claim(client, make):
    staff = make.platform_admin()
    access = claims(sign_in(client, staff.email).json["access_token"])
    assert access["roles"] == ["platform_admin"] and "org" not in access


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make):
    user = make.user(make.organisation())
    wrong = sign_in(client, user.email, "not the password at all")
    unknown = sign_in(client, "nobody@example.org", "not the password at all")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.mimetype == unknown.mimetype == "application/json"  # RFC 6749 section 5.2
    strip = lambda body: {k: v for k, v in body.items() if k != "request_id"}  # noqa: E731
    assert strip(wrong.json) == strip(unknown.json)
    assert wrong.json["error"] == "invalid_grant"
    assert wrong.json["error_description"]


def test_a_requested_scope_must_be_one_the_person_holds(client, make):
    user = make.user(make.organisation())
    narrowed = sign_in(client, user.email, scope="projects:read")
    assert narrowed.status_code == 200 and narrowed.json["scope"] == "projects:read"
    refused = sign_in(client, user.email, scope="organisation:admin")
    assert refused.status_code == 400 and refused.json["error"] == "invalid_scope"


@pytest.mark.parametrize(
    "form, error",
    [
        ({}, "invalid_request"),
        ({"grant_type": "password", "username": "a@example.org"}, "invalid_request"),
        ({"grant_type": "refresh_token"}, "invalid_request"),
        ({"grant_type": "authorization_code", "code": "x"}, "unsupported_grant_type"),
        ({"grant_type": "password", "username": "a" * 300, "password": "x"}, "invalid_request"),
    ],
)
def test_malformed_token_requests_are_rfc6749_errors(client, form, error):
    response = client.post(TOKEN, data=form)
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert response.json["error"] == error
    assert set(response.json) == {"error", "error_description"}
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"[" * 100_000, "application/json", 400),
        (rb'{"grant_type": "password", "username": "\ud800"}', "application/json", 422),
        (rb'{"grant_type": "password", "password": "a\u0000"}', "application/json", 422),
        (b"grant_type=password", "text/plain", 415),
        (b"{" + b" " * (1024 * 1024) + b"}", "application/json", 413),
    ],
    ids=["deep", "surrogate", "nul", "text", "too-large"],
)
def test_refusals_before_the_grant_are_rfc6749_errors_too(client, body, content_type, status):
    response = client.post(TOKEN, data=body, content_type=content_type)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert response.json["error"] == "invalid_request"
    assert response.json["error_description"]


def test_a_wrong_client_secret_is_invalid_client_with_its_challenge(client):
    response = client.post(
        TOKEN,
        data={"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x"},
    )
    assert response.status_code == 401
    assert response.mimetype == "application/json"
    assert response.json["error"] == "invalid_client"
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_a_non_object_json_body_is_an_invalid_request(client):
    response = client.post(TOKEN, json=["grant_type", "password"])
    assert response.status_code == 400 and response.json["error"] == "invalid_request"


def test_refresh_rotates_the_token_and_the_old_one_stops_working(client, make):
    user = make.user(make.organisation())
    first = sign_in(client, user.email).json
    second = client.post(
        TOKEN, data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    )
    assert second.status_code == 200
    assert second.json["refresh_token"] != first["refresh_token"]
    assert claims(second.json["access_token"])["sub"] == str(user.id)
    assert claims(second.json["access_token"])["sid"] == claims(first["access_token"])["sid"]

    again = client.post(
        TOKEN, data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    )
    assert again.status_code == 400 and again.json["error"] == "invalid_grant"


def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(client, make):
    user = make.user(make.organisation())
    first = sign_in(client, user.email).json
    other_session = sign_in(client, user.email).json
    second = client.post(
        TOKEN, data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    ).json
    client.post(
        TOKEN, data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    )
    # The thief's replay also kills the legitimate holder's newer token of the same session ...
    latest = client.post(
        TOKEN, data={"grant_type": "refresh_token", "refresh_token": second["refresh_token"]}
    )
    assert latest.status_code == 400 and latest.json["error"] == "invalid_grant"
    # ... but not the person's other sessions.
    unrelated = client.post(
        TOKEN, data={"grant_type": "refresh_token", "refresh_token": other_session["refresh_token"]}
    )
    assert unrelated.status_code == 200


def test_an_unknown_refresh_token_is_an_invalid_grant(client):
    response = client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": "nope"})
    assert response.status_code == 400 and response.json["error"] == "invalid_grant"


def test_refresh_cannot_widen_the_scope(client, make):
    user = make.user(make.organisation())
    narrow = sign_in(client, user.email, scope="projects:read").json
    wider = client.post(
        TOKEN,
        data={
            "grant_type": "refresh_token",
            "refresh_token": narrow["refresh_token"],
            "scope": "projects:read projects:write",
        },
    )
    assert wider.status_code == 400 and wider.json["error"] == "invalid_scope"


def test_revoke_signs_out_and_always_answers_200(client, make):
    user = make.user(make.organisation())
    tokens = sign_in(client, user.email).json
    response = client.post(REVOKE, data={"token": tokens["refresh_token"]})
    assert response.status_code == 200
    refused = client.post(
        TOKEN, data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    )
    assert refused.status_code == 400 and refused.json["error"] == "invalid_grant"
    assert client.post(REVOKE, json={"token": "never-issued"}).status_code == 200
    assert client.post(REVOKE, json={}).status_code == 400


def test_tampered_and_expired_access_tokens_are_refused(app, client, make):
    user = make.user(make.organisation())
    token = make.token(user)
    header, payload, signature = token.split(".")
    tampered = client.get(
        ME, headers={"Authorization": f"Bearer {header}.{payload}.AAAA{signature[4:]}"}
    )
    assert tampered.status_code == 401 and tampered.mimetype == "application/problem+json"
    expired = make.token(user, exp=1_000_000, iat=999_000, nbf=999_000)
    response = client.get(ME, headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401 and response.json["code"] == "token_expired"


def basic(client_id: str, secret: str) -> dict:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def test_client_credentials_by_http_basic_give_a_client_token(client, make):
    org = make.organisation()
    api_client, secret = make.api_client(org, scopes=["directory:read", "projects:read"])
    response = client.post(
        TOKEN,
        data={"grant_type": "client_credentials"},
        headers=basic(api_client.client_id, secret),
    )
    assert response.status_code == 200
    assert "refresh_token" not in response.json
    access = claims(response.json["access_token"])
    assert access["sub"] == access["client_id"] == api_client.client_id
    assert access["org"] == str(org.id)
    assert access["scope"] == "directory:read projects:read"


def test_client_credentials_in_the_body_may_narrow_but_not_widen_scopes(client, make):
    api_client, secret = make.api_client(
        make.organisation(), scopes=["directory:read", "projects:read"]
    )
    form = {
        "grant_type": "client_credentials",
        "client_id": api_client.client_id,
        "client_secret": secret,
    }
    narrow = client.post(TOKEN, data={**form, "scope": "projects:read"})
    assert narrow.status_code == 200 and narrow.json["scope"] == "projects:read"
    wide = client.post(TOKEN, data={**form, "scope": "projects:read projects:write"})
    assert wide.status_code == 400 and wide.json["error"] == "invalid_scope"


def test_a_wrong_client_secret_or_unknown_client_is_invalid_client_401(client, make):
    api_client, _secret = make.api_client(make.organisation())
    wrong = client.post(
        TOKEN, data={"grant_type": "client_credentials"}, headers=basic(api_client.client_id, "bad")
    )
    unknown = client.post(
        TOKEN,
        data={"grant_type": "client_credentials", "client_id": "ssp_nobody", "client_secret": "x"},
    )
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert response.json["error"] == "invalid_client"
        assert response.headers["WWW-Authenticate"].startswith("Basic")
    missing = client.post(TOKEN, data={"grant_type": "client_credentials"})
    assert missing.status_code == 401 and missing.json["error"] == "invalid_client"


def test_an_oauth_refusal_elsewhere_is_a_problem_coded_after_its_error(app, client):
    from services.members.api.auth import OAuthErrorSchema
    from services.members.domain import tokens

    with app.test_request_context("/api/members/v1/me"):
        response = app.make_response(
            app.handle_user_exception(tokens.OAuthError("invalid_scope", "Not granted."))
        )
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    body = response.get_json()
    assert (body["code"], body["error"]) == ("oauth.invalid_scope", "invalid_scope")
    # Every `error` the token endpoint can answer has its code listed in the document.
    listed = client.get("/api/members/v1/openapi.json").get_json()["x-error-codes"]
    errors = OAuthErrorSchema().fields["error"].validate.choices
    assert [error for error in errors if f"oauth.{error}" not in listed] == []
