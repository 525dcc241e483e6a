"""The shared platform behaviour as seen through the members service."""


def test_unknown_path_is_a_problem_document_with_a_request_id(client):
    response = client.get("/api/members/v1/no-such-thing")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 404
    assert response.json["request_id"] == response.headers["X-Request-ID"]


def test_a_sane_request_id_from_the_caller_is_kept_and_a_hostile_one_replaced(client):
    kept = client.get("/healthz", headers={"X-Request-ID": "abc12345-trace"})
    assert kept.headers["X-Request-ID"] == "abc12345-trace"
    replaced = client.get("/healthz", headers={"X-Request-ID": "bad id<script>"})
    assert replaced.headers["X-Request-ID"] != "bad id<script>"


def test_jwks_publishes_an_es256_key_with_a_kid(client):
    response = client.get("/api/members/v1/.well-known/jwks.json")
    assert response.status_code == 200
    [key] = response.json["keys"]
    assert key["kty"] == "EC" and key["alg"] == "ES256" and key["kid"]
    assert "d" not in key  # never the private part


def test_readiness_checks_database_and_redis(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"] == {"database": "ok", "redis": "ok"}


def test_tampered_token_is_refused(client, make):
    user = make.platform_admin()
    token = make.token(user)
    header, payload, signature = token.split(".")
    forged = f"{header}.{payload}.{signature[:-4]}AAAA"
    response = client.get(
        "/api/members/v1/.well-known/jwks.json", headers={"Authorization": f"Bearer {forged}"}
    )
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
