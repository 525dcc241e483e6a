"""Webhook endpoints: who may manage them, what they accept, the secret shown once."""

from __future__ import annotations

import uuid

from tests.notifications.support import headers

BASE = "/api/notifications/v1"


def _admin(org):
    return headers(organisation=org, roles=["org_admin"])


def _create(client, org, auth=None, **body):
    payload = {"url": "https://hooks.example.com/in", "description": "ERP", **body}
    return client.post(
        f"{BASE}/organisations/{org}/webhooks", json=payload, headers=auth or _admin(org)
    )


def test_an_org_admin_creates_an_endpoint_and_sees_its_secret_only_once(client, world):
    org = world.organisation()
    response = _create(client, org, event_types=["project.published"], rate_limit=5)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["secret"].startswith("whsec_")
    assert body["event_types"] == ["project.published"]
    assert body["enabled"] is True and body["rate_limit"] == 5
    shown = client.get(f"{BASE}/organisations/{org}/webhooks/{body['id']}", headers=_admin(org))
    assert shown.status_code == 200 and "secret" not in shown.json
    listed = client.get(f"{BASE}/organisations/{org}/webhooks", headers=_admin(org)).json
    assert [e["id"] for e in listed["items"]] == [body["id"]]


def test_an_integrator_client_needs_the_webhooks_scope(client, world):
    org = world.organisation()
    without = headers(organisation=org, client=True, scopes=["projects:read"])
    assert _create(client, org, auth=without).status_code == 403
    with_scope = headers(organisation=org, client=True, scopes=["webhooks:manage"])
    assert _create(client, org, auth=with_scope).status_code == 201


def test_members_and_other_organisations_cannot_manage_endpoints(client, world):
    org, other = world.organisation(), world.organisation()
    created = _create(client, org).json
    url = f"{BASE}/organisations/{org}/webhooks/{created['id']}"
    member = headers(organisation=org, roles=["org_member"])
    stranger = _admin(other)
    assert _create(client, org, auth=member).status_code == 403
    assert _create(client, org, auth=stranger).status_code == 403
    assert client.get(url, headers=stranger).status_code == 403
    assert client.patch(url, json={"enabled": False}, headers=stranger).status_code == 403
    assert client.delete(url, headers=stranger).status_code == 403
    assert client.post(f"{url}/secret/rotate", headers=stranger).status_code == 403
    for path in ("messages", "attempts"):
        assert client.get(f"{url}/{path}", headers=stranger).status_code == 403
    assert client.post(f"{url}/test", headers=stranger).status_code == 403
    since = {"since": "2026-01-01T00:00:00Z"}
    assert client.post(f"{url}/recover", json=since, headers=stranger).status_code == 403
    outsider = headers(organisation=other, client=True, scopes=["webhooks:manage"])
    assert client.get(url, headers=outsider).status_code == 403
    assert client.get(f"{url}/messages", headers=_admin(org)).json["items"] == []
    # Through its own organisation's path, another admin does not find it either.
    theirs = f"{BASE}/organisations/{other}/webhooks/{created['id']}"
    assert client.patch(theirs, json={"enabled": False}, headers=stranger).status_code == 404
    assert client.delete(theirs, headers=stranger).status_code == 404
    assert client.get(url, headers=_admin(org)).json["enabled"] is True
    assert client.get(url).status_code == 401


def test_bad_input_is_refused_with_a_problem(client, world, app):
    org = world.organisation()
    for body in (
        {"url": "ftp://example.com/x"},
        {"url": "not a url at all"},
        {"url": "https://user:pw@example.com/x"},
        {"event_types": ["user.deleted"]},  # personal data: never offered to webhooks
        {"event_types": ["no.such.type"]},
        {"rate_limit": 0},
        {"description": "x" * 501},
    ):
        response = _create(client, org, **body)
        assert response.status_code == 422, body
        assert response.mimetype == "application/problem+json"
    response = client.post(
        f"{BASE}/organisations/{org}/webhooks",
        data="{",
        headers={**_admin(org), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    missing = f"{BASE}/organisations/{org}/webhooks/{uuid.uuid4()}"
    assert client.get(missing, headers=_admin(org)).status_code == 404
    endpoint = _create(client, org).json["id"]
    url = f"{BASE}/organisations/{org}/webhooks/{endpoint}"
    assert client.post(f"{url}/recover", json={}, headers=_admin(org)).status_code == 422
    bogus = {"since": "yesterday"}
    assert client.post(f"{url}/recover", json=bogus, headers=_admin(org)).status_code == 422
    assert client.get(f"{url}/messages?status=bogus", headers=_admin(org)).status_code == 422
    assert client.post(f"{url}/messages/msg_nope/replay", headers=_admin(org)).status_code == 404


def test_https_is_required_unless_local_targets_are_allowed(client, world, app):
    org = world.organisation()
    assert _create(client, org, url="http://127.0.0.1:9/x").status_code == 201
    app.config["WEBHOOKS_ALLOW_PRIVATE_TARGETS"] = False
    for url in (
        "http://hooks.example.com/x",
        "https://127.0.0.1/x",
        "https://[::1]/x",
        "https://169.254.169.254/latest",
        "https://2130706433/x",
        "https://localhost/x",
    ):
        assert _create(client, org, url=url).status_code == 422, url
    assert _create(client, org, url="https://hooks.example.com/x").status_code == 201


def test_update_disable_enable_and_delete(client, world):
    org = world.organisation()
    created = _create(client, org).json
    url = f"{BASE}/organisations/{org}/webhooks/{created['id']}"
    changed = client.patch(url, json={"enabled": False, "event_types": None}, headers=_admin(org))
    assert changed.status_code == 200
    assert changed.json["enabled"] is False and changed.json["disabled_reason"] == "by_user"
    again = client.patch(url, json={"enabled": True}, headers=_admin(org)).json
    assert again["enabled"] is True and again["disabled_reason"] is None
    assert client.delete(url, headers=_admin(org)).status_code == 204
    assert client.get(url, headers=_admin(org)).status_code == 404


def test_the_event_type_catalogue_lists_offered_types_with_examples(client):
    from shared.events import catalogue

    response = client.get(f"{BASE}/webhooks/event-types")
    assert response.status_code == 200
    names = {t["name"] for t in response.json}
    assert "organisation.verified" in names
    assert not names & {e.name for e in catalogue.catalogue().values() if not e.webhook}
    verified = next(t for t in response.json if t["name"] == "organisation.verified")
    assert verified["example"]["type"] == "organisation.verified"
    assert verified["example"]["data"]["status"] == "verified"


def test_only_a_verified_organisation_adds_or_manages_webhooks(client, world):
    from sqlalchemy import update

    from services.notifications.models import Organisation, db

    for status in ("pending", "suspended"):
        org = world.organisation(status="pending")
        with db.transaction() as session:
            session.execute(
                update(Organisation).where(Organisation.id == uuid.UUID(org)).values(status=status)
            )
        refused = client.post(
            f"{BASE}/organisations/{org}/webhooks",
            json={"url": "http://127.0.0.1:9/hook"},
            headers=_admin(org),
        )
        assert refused.status_code == 403, status
        assert refused.json["code"] == f"organisation.{status}"
        listed = client.get(f"{BASE}/organisations/{org}/webhooks", headers=_admin(org))
        assert listed.status_code == 403
    org = world.organisation()
    assert _create(client, org).status_code == 201
