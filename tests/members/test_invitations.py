"""Invitations: org admins invite by e-mail with a role; the link works once, until it expires."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from services.members.models import Invitation, Membership, User, db
from shared.db import utcnow

ACCEPT = "/api/members/v1/invitations/accept"


def invitations_url(org) -> str:
    return f"/api/members/v1/organisations/{org.id}/invitations"


def accept_payload(token, **overrides):
    return {
        "token": token,
        "full_name": "Li Wei",
        "password": "a long enough password",
        **overrides,
    }


def count(model) -> int:
    with db.transaction() as session:
        return len(session.scalars(select(model)).all())


def test_an_org_admin_invites_someone_with_a_role(client, make):
    org = make.organisation()
    admin = make.admin(org, language="zh")
    response = client.post(
        invitations_url(org),
        json={"email": "New.Person@Example.org", "role": "org_admin"},
        headers=make.headers(admin),
    )
    assert response.status_code == 201
    body = response.json
    assert body["email"] == "new.person@example.org"
    assert body["role"] == "org_admin" and body["status"] == "pending"
    assert body["language"] == "zh"  # the inviter's language unless chosen
    assert body["invited_by"] == str(admin.id)
    assert "token" not in body and "token_hash" not in body
    lifetime = datetime.fromisoformat(body["expires_at"]) - datetime.fromisoformat(
        body["created_at"]
    )
    assert abs(lifetime - timedelta(days=7)) < timedelta(seconds=5)


@pytest.mark.parametrize(
    "payload, pointer",
    [
        ({"email": "not-an-email", "role": "org_member"}, "/email"),
        ({"email": "a@example.org", "role": "platform_admin"}, "/role"),
        ({"email": "a@example.org"}, "/role"),
        ({"email": "a@example.org", "role": "org_member", "language": "de"}, "/language"),
        ({"email": "a" * 250 + "@example.org", "role": "org_member"}, "/email"),
    ],
)
def test_an_invitation_with_invalid_fields_is_refused(client, make, payload, pointer):
    org = make.organisation()
    response = client.post(
        invitations_url(org), json=payload, headers=make.headers(make.admin(org))
    )
    assert response.status_code == 422
    assert pointer in [error["pointer"] for error in response.json["errors"]]
    assert count(Invitation) == 0


def test_inviting_an_existing_account_or_a_pending_invitee_is_a_conflict(client, make):
    org = make.organisation()
    admin = make.admin(org)
    existing = make.user(make.organisation())
    headers = make.headers(admin)
    taken = client.post(
        invitations_url(org), json={"email": existing.email, "role": "org_member"}, headers=headers
    )
    assert taken.status_code == 409
    first = client.post(
        invitations_url(org), json={"email": "x@example.org", "role": "org_member"}, headers=headers
    )
    assert first.status_code == 201
    again = client.post(
        invitations_url(org), json={"email": "X@example.org", "role": "org_member"}, headers=headers
    )
    assert again.status_code == 409


def test_a_member_who_is_not_admin_cannot_invite(client, make):
    org = make.organisation()
    member = make.user(org)
    response = client.post(
        invitations_url(org),
        json={"email": "x@example.org", "role": "org_member"},
        headers=make.headers(member),
    )
    assert response.status_code == 403
    assert count(Invitation) == 0


def test_the_admin_of_another_organisation_cannot_see_invite_or_revoke(client, make):
    org, other = make.organisation(), make.organisation()
    invitation, _token = make.invitation(org, make.admin(org))
    intruder = make.headers(make.admin(other))
    assert client.get(invitations_url(org), headers=intruder).status_code == 403
    assert (
        client.post(
            invitations_url(org),
            json={"email": "x@example.org", "role": "org_admin"},
            headers=intruder,
        ).status_code
        == 403
    )
    assert (
        client.delete(f"{invitations_url(org)}/{invitation.id}", headers=intruder).status_code
        == 403
    )
    # Through its own organisation's URL the invitation is simply not there.
    assert (
        client.delete(f"{invitations_url(other)}/{invitation.id}", headers=intruder).status_code
        == 404
    )
    with db.transaction() as session:
        [row] = session.scalars(select(Invitation)).all()
        assert row.revoked_at is None and row.organisation_id == org.id


def test_an_admin_lists_the_invitations_newest_first_with_a_cursor(client, make):
    org = make.organisation()
    admin = make.admin(org)
    for _ in range(3):
        make.invitation(org, admin)
    headers = make.headers(admin)
    first = client.get(invitations_url(org) + "?limit=2", headers=headers)
    assert first.status_code == 200 and len(first.json["items"]) == 2
    assert 'rel="next"' in first.headers["Link"]
    second = client.get(
        invitations_url(org) + f"?limit=2&cursor={first.json['next']}", headers=headers
    )
    assert len(second.json["items"]) == 1 and second.json["next"] is None
    emails = [i["email"] for i in first.json["items"] + second.json["items"]]
    assert len(set(emails)) == 3
    assert client.get(invitations_url(org) + "?cursor=garbage", headers=headers).status_code == 422


def test_accepting_creates_the_account_and_membership_and_emits_member_joined(client, make):
    org = make.organisation()
    invitation, token = make.invitation(org, make.admin(org), role="org_admin", language="fr")
    response = client.post(ACCEPT, json=accept_payload(token, timezone="Asia/Shanghai"))
    assert response.status_code == 201
    body = response.json
    assert body["email"] == invitation.email and body["role"] == "org_admin"
    assert body["organisation_id"] == str(org.id)
    assert body["language"] == "fr" and body["timezone"] == "Asia/Shanghai"
    [event] = make.events("member.joined")
    assert event["data"]["user_id"] == body["id"] and event["data"]["role"] == "org_admin"
    signed_in = client.post(
        "/api/members/v1/auth/token",
        data={
            "grant_type": "password",
            "username": invitation.email,
            "password": "a long enough password",
        },
    )
    assert signed_in.status_code == 200


def test_an_invitation_works_only_once(client, make):
    org = make.organisation()
    _invitation, token = make.invitation(org, make.admin(org))
    assert client.post(ACCEPT, json=accept_payload(token)).status_code == 201
    reused = client.post(ACCEPT, json=accept_payload(token, full_name="Someone Else"))
    assert reused.status_code == 410
    assert reused.mimetype == "application/problem+json"
    assert reused.json["reason"] == "accepted"


def test_an_expired_invitation_is_gone(client, make):
    org = make.organisation()
    invitation, token = make.invitation(org, make.admin(org))
    with db.transaction() as session:
        session.get(Invitation, invitation.id).expires_at = utcnow() - timedelta(seconds=1)
    response = client.post(ACCEPT, json=accept_payload(token))
    assert response.status_code == 410 and response.json["reason"] == "expired"
    assert count(Membership) == 1  # the admin's only


def test_a_revoked_invitation_is_gone(client, make):
    org = make.organisation()
    admin = make.admin(org)
    invitation, token = make.invitation(org, admin)
    revoked = client.delete(f"{invitations_url(org)}/{invitation.id}", headers=make.headers(admin))
    assert revoked.status_code == 204
    listed = client.get(invitations_url(org), headers=make.headers(admin)).json["items"]
    assert listed[0]["status"] == "revoked"
    response = client.post(ACCEPT, json=accept_payload(token))
    assert response.status_code == 410 and response.json["reason"] == "revoked"


def test_an_unknown_token_or_a_weak_password_is_refused_without_side_effects(client, make):
    org = make.organisation()
    _invitation, token = make.invitation(org, make.admin(org))
    assert client.post(ACCEPT, json=accept_payload("made-up")).status_code == 404
    weak = client.post(ACCEPT, json=accept_payload(token, password="short"))
    assert weak.status_code == 422
    bad_zone = client.post(ACCEPT, json=accept_payload(token, timezone="Mars/Olympus"))
    assert bad_zone.status_code == 422
    missing = client.post(ACCEPT, json={"token": token})
    assert missing.status_code == 422
    assert {e["pointer"] for e in missing.json["errors"]} == {"/full_name", "/password"}
    assert count(User) == 1
    # The invitation is still usable after the failed attempts.
    assert client.post(ACCEPT, json=accept_payload(token)).status_code == 201


PREVIEW = "/api/members/v1/invitations/preview"


def test_an_invitation_link_is_previewed_before_the_account_form(client, make):
    org = make.organisation(name="Mougins Data")
    invitation, token = make.invitation(org, make.admin(org, full_name="Hugo Blanc"))
    preview = client.post(PREVIEW, json={"token": token})
    assert preview.status_code == 200
    assert preview.json["organisation"]["name"] == "Mougins Data"
    assert preview.json["inviter_name"] == "Hugo Blanc"
    assert preview.json["email"] == invitation.email and preview.json["role"] == "org_member"
    assert count(User) == 1  # previewing creates nothing


def test_a_used_expired_or_unknown_invitation_is_refused_on_preview_with_its_code(client, make):
    org = make.organisation()
    _invitation, token = make.invitation(org, make.admin(org))
    assert client.post(PREVIEW, json={"token": "forged"}).status_code == 404
    assert client.post(PREVIEW, json={}).status_code == 422
    assert client.post(ACCEPT, json=accept_payload(token)).status_code == 201
    used = client.post(PREVIEW, json={"token": token})
    assert used.status_code == 410 and used.json["code"] == "invitation.expired_or_revoked"
    assert used.json["reason"] == "accepted"
    other, fresh = make.invitation(org, make.admin(org))
    with db.transaction() as session:
        session.get(Invitation, other.id).expires_at = utcnow() - timedelta(seconds=1)
    expired = client.post(PREVIEW, json={"token": fresh})
    assert expired.status_code == 410 and expired.json["reason"] == "expired"
