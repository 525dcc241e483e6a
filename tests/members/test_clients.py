"""Integrator API clients: issued by an org admin, with scopes, revocable; secret shown once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services.members.models import ApiClient, db

TOKEN = "/api/members/v1/auth/token"


def clients_url(org) -> str:
    return f"/api/members/v1/organisations/{org.id}/clients"


def client_token(client, client_id, secret, **extra):
    return client.post(
        TOKEN,
        data={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": secret,
            **extra,
        },
    )


def stored_clients() -> list[ApiClient]:
    with db.transaction() as session:
        return session.scalars(select(ApiClient)).all()


def test_an_admin_creates_a_client_and_sees_its_secret_once(client, make):
    org = make.organisation()
    admin = make.admin(org)
    response = client.post(
        clients_url(org),
        json={"name": "Our CRM", "scopes": ["projects:read", "directory:read"]},
        headers=make.headers(admin),
    )
    assert response.status_code == 201
    created = response.json
    assert created["client_id"].startswith("ssp_") and created["client_secret"]
    assert created["scopes"] == ["directory:read", "projects:read"]
    assert created["organisation_id"] == str(org.id) and created["created_by"] == str(admin.id)
    [stored] = stored_clients()
    assert created["client_secret"] not in stored.secret_hash
    listed = client.get(clients_url(org), headers=make.headers(admin)).json["items"]
    assert [c["client_id"] for c in listed] == [created["client_id"]]
    assert "client_secret" not in listed[0] and "secret_hash" not in listed[0]

    token = client_token(client, created["client_id"], created["client_secret"])
    assert token.status_code == 200
    assert token.json["scope"] == "directory:read projects:read"


@pytest.mark.parametrize(
    "payload, pointer",
    [
        ({"name": "CRM", "scopes": ["everything"]}, "/scopes/0"),
        ({"name": "CRM", "scopes": []}, "/scopes"),
        ({"name": "CRM"}, "/scopes"),
        ({"name": "", "scopes": ["directory:read"]}, "/name"),
        ({"name": "x" * 121, "scopes": ["directory:read"]}, "/name"),
    ],
)
def test_invalid_clients_are_refused(client, make, payload, pointer):
    org = make.organisation()
    response = client.post(clients_url(org), json=payload, headers=make.headers(make.admin(org)))
    assert response.status_code == 422
    assert pointer in [error["pointer"] for error in response.json["errors"]]
    assert stored_clients() == []


def test_a_member_who_is_not_admin_cannot_manage_clients(client, make):
    org = make.organisation()
    make.admin(org)
    member = make.headers(make.user(org))
    payload = {"name": "CRM", "scopes": ["directory:read"]}
    assert client.post(clients_url(org), json=payload, headers=member).status_code == 403
    assert client.get(clients_url(org), headers=member).status_code == 403
    assert stored_clients() == []


def test_a_client_with_organisation_admin_scope_cannot_mint_clients(client, make):
    org = make.organisation()
    api_client, secret = make.api_client(org, scopes=["organisation:admin"])
    token = client_token(client, api_client.client_id, secret).json["access_token"]
    response = client.post(
        clients_url(org),
        json={"name": "Another", "scopes": ["directory:read"]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 403
    assert len(stored_clients()) == 1


def test_another_organisations_admin_cannot_list_create_or_revoke(client, make):
    org, other = make.organisation(), make.organisation()
    api_client, secret = make.api_client(org)
    intruder = make.headers(make.admin(other))
    assert client.get(clients_url(org), headers=intruder).status_code == 403
    assert (
        client.post(
            clients_url(org), json={"name": "x", "scopes": ["directory:read"]}, headers=intruder
        ).status_code
        == 403
    )
    assert client.delete(f"{clients_url(org)}/{api_client.id}", headers=intruder).status_code == 403
    assert (
        client.delete(f"{clients_url(other)}/{api_client.id}", headers=intruder).status_code == 404
    )
    [stored] = stored_clients()
    assert stored.revoked_at is None and stored.organisation_id == org.id
    assert client_token(client, api_client.client_id, secret).status_code == 200


def test_a_revoked_client_gets_no_more_tokens(client, make):
    org = make.organisation()
    admin = make.admin(org)
    api_client, secret = make.api_client(org)
    assert client_token(client, api_client.client_id, secret).status_code == 200
    response = client.delete(f"{clients_url(org)}/{api_client.id}", headers=make.headers(admin))
    assert response.status_code == 204
    refused = client_token(client, api_client.client_id, secret)
    assert refused.status_code == 401 and refused.json["error"] == "invalid_client"
    listed = client.get(clients_url(org), headers=make.headers(admin)).json["items"]
    assert listed[0]["revoked_at"] is not None
