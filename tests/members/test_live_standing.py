"""Privileged writes check the caller's standing now, not what their token said when issued."""

from __future__ import annotations

from sqlalchemy import update

from services.members.models import Membership, db


def _demote(user) -> None:
    # Straight in the table, without the revocation a role change records: what members sees
    # when a token is still inside another process's cache window.
    with db.transaction() as session:
        session.execute(
            update(Membership).where(Membership.user_id == user.id).values(role="org_member")
        )


def test_a_token_naming_a_role_the_person_lost_cannot_issue_api_clients(client, make):
    org = make.organisation()
    make.admin(org)
    former = make.admin(org)
    headers = make.headers(former, organisation=org, role="org_admin")
    _demote(former)
    created = client.post(
        f"/api/members/v1/organisations/{org.id}/clients",
        json={"name": "CRM", "scopes": ["organisation:admin"]},
        headers=headers,
    )
    assert created.status_code == 403
    assert created.mimetype == "application/problem+json"
    assert "no longer an admin" in created.get_json()["detail"]


def test_a_token_naming_a_role_the_person_lost_cannot_invite_or_remove(client, make):
    org = make.organisation()
    make.admin(org)
    former, colleague = make.admin(org), make.user(org)
    headers = make.headers(former, organisation=org, role="org_admin")
    _demote(former)
    invited = client.post(
        f"/api/members/v1/organisations/{org.id}/invitations",
        json={"email": "new@example.org", "role": "org_admin"},
        headers=headers,
    )
    removed = client.delete(
        f"/api/members/v1/organisations/{org.id}/members/{colleague.id}", headers=headers
    )
    promoted = client.patch(
        f"/api/members/v1/organisations/{org.id}/members/{former.id}",
        json={"role": "org_admin"},
        headers=headers,
    )
    assert [invited.status_code, removed.status_code, promoted.status_code] == [403, 403, 403]


def test_an_admin_of_a_suspended_organisation_cannot_issue_api_clients(client, make):
    org = make.organisation(status="suspended")
    admin = make.admin(org)
    created = client.post(
        f"/api/members/v1/organisations/{org.id}/clients",
        json={"name": "CRM", "scopes": ["organisation:read"]},
        headers=make.headers(admin),
    )
    assert created.status_code == 403
    assert "suspended" in created.get_json()["detail"]


def test_a_live_admin_still_issues_api_clients(client, make):
    org = make.organisation()
    admin = make.admin(org)
    created = client.post(
        f"/api/members/v1/organisations/{org.id}/clients",
        json={"name": "CRM", "scopes": ["organisation:read"]},
        headers=make.headers(admin),
    )
    assert created.status_code == 201


def test_a_suspended_organisations_client_gets_no_new_token(client, make):
    org = make.organisation(status="suspended")
    api_client, secret = make.api_client(org)
    refused = client.post(
        "/api/members/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": api_client.client_id,
            "client_secret": secret,
        },
    )
    assert refused.status_code == 400
    assert refused.get_json()["error"] == "unauthorized_client"
