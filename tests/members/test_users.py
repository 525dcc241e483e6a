"""The signed-in person: profile, password change, account deletion."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services.members.domain import accounts
from services.members.models import Membership, RefreshToken, User, db
from shared.errors import ValidationFailed
from tests.members.factories import PASSWORD

ME = "/api/members/v1/me"
TOKEN = "/api/members/v1/auth/token"


def sign_in(client, user, password=PASSWORD) -> dict:
    response = client.post(
        TOKEN, data={"grant_type": "password", "username": user.email, "password": password}
    )
    assert response.status_code == 200, response.json
    return response.json


def bearer(tokens: dict) -> dict:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def refresh(client, tokens: dict):
    return client.post(
        TOKEN, data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    )


def test_the_profile_shows_organisation_and_role(client, make):
    org = make.organisation()
    user = make.admin(org, language="zh", timezone="Asia/Shanghai")
    response = client.get(ME, headers=make.headers(user))
    assert response.status_code == 200
    body = response.json
    assert body["id"] == str(user.id) and body["email"] == user.email
    assert body["organisation_id"] == str(org.id) and body["role"] == "org_admin"
    assert body["language"] == "zh" and body["timezone"] == "Asia/Shanghai"
    assert "password_hash" not in body


def test_the_profile_needs_a_person(client, make):
    assert client.get(ME).status_code == 401
    api_client, secret = make.api_client(make.organisation())
    token = client.post(
        TOKEN,
        data={
            "grant_type": "client_credentials",
            "client_id": api_client.client_id,
            "client_secret": secret,
        },
    ).json["access_token"]
    assert client.get(ME, headers={"Authorization": f"Bearer {token}"}).status_code == 403


def test_changing_the_profile_emits_user_updated(client, make):
    user = make.user(make.organisation())
    response = client.patch(
        ME,
        json={"full_name": "  Camille Martin ", "language": "fr", "timezone": "America/Montreal"},
        headers=make.headers(user),
    )
    assert response.status_code == 200
    assert response.json["full_name"] == "Camille Martin"
    assert response.json["language"] == "fr" and response.json["timezone"] == "America/Montreal"
    [event] = make.events("user.updated")
    assert event["data"]["id"] == str(user.id) and event["data"]["language"] == "fr"


def test_an_unchanged_profile_emits_nothing(client, make):
    user = make.user(make.organisation())
    response = client.patch(ME, json={"language": "en"}, headers=make.headers(user))
    assert response.status_code == 200
    assert make.events("user.updated") == []


@pytest.mark.parametrize(
    "payload, pointer",
    [
        ({"language": "de"}, "/language"),
        ({"timezone": "Europe/Atlantis"}, "/timezone"),
        ({"timezone": "../../etc/passwd"}, "/timezone"),
        ({"timezone": "x" * 65}, "/timezone"),
        ({"full_name": ""}, "/full_name"),
        ({"full_name": "x" * 201}, "/full_name"),
        ({"email": "new@example.org"}, "/email"),
    ],
)
def test_invalid_profile_changes_are_refused(client, make, payload, pointer):
    user = make.user(make.organisation())
    response = client.patch(ME, json=payload, headers=make.headers(user))
    assert response.status_code == 422
    assert pointer in [error["pointer"] for error in response.json["errors"]]
    with db.transaction() as session:
        assert session.get(User, user.id).language == "en"


def test_changing_the_password_needs_the_current_one(client, make):
    user = make.user(make.organisation())
    wrong = client.post(
        f"{ME}/password",
        json={"current_password": "not it at all", "new_password": "a brand new password"},
        headers=make.headers(user),
    )
    assert wrong.status_code == 422 and wrong.json["errors"][0]["pointer"] == "/current_password"
    assert wrong.json["code"] == "password.current_wrong"
    weak = client.post(
        f"{ME}/password",
        json={"current_password": PASSWORD, "new_password": "short"},
        headers=make.headers(user),
    )
    assert weak.status_code == 422 and weak.json["errors"][0]["pointer"] == "/new_password"
    assert weak.json["code"] == "password.too_short"
    assert weak.json["errors"][0]["code"] == "too_short"
    sign_in(client, user)  # still the old password


def test_changing_the_password_signs_out_the_other_sessions_only(client, make):
    user = make.user(make.organisation())
    here, elsewhere = sign_in(client, user), sign_in(client, user)
    response = client.post(
        f"{ME}/password",
        json={"current_password": PASSWORD, "new_password": "a brand new password"},
        headers=bearer(here),
    )
    assert response.status_code == 204
    assert refresh(client, here).status_code == 200
    assert refresh(client, elsewhere).json["error"] == "invalid_grant"
    sign_in(client, user, "a brand new password")


def test_deleting_the_account_removes_the_person_and_emits_events(client, make):
    org = make.organisation()
    make.admin(org)
    user = make.user(org)
    tokens = sign_in(client, user)
    response = client.delete(ME, json={"password": PASSWORD}, headers=bearer(tokens))
    assert response.status_code == 204
    with db.transaction() as session:
        assert session.get(User, user.id) is None
        assert session.scalars(select(Membership).where(Membership.user_id == user.id)).all() == []
        assert (
            session.scalars(select(RefreshToken).where(RefreshToken.user_id == user.id)).all() == []
        )
    [left] = make.events("member.left")
    [deleted] = make.events("user.deleted")
    assert left["data"] == {"organisation_id": str(org.id), "user_id": str(user.id)}
    assert deleted["data"] == {"id": str(user.id)}
    assert refresh(client, tokens).status_code == 400
    # The access token is refused at once (revoked), not answered as a missing account.
    refused = client.get(ME, headers=bearer(tokens))
    assert refused.status_code == 401
    assert refused.get_json()["code"] == "token_revoked"


def test_deleting_the_account_needs_the_password(client, make):
    user = make.user(make.organisation())
    wrong = client.delete(ME, json={"password": "not it at all"}, headers=make.headers(user))
    assert wrong.status_code == 422 and wrong.json["code"] == "password.wrong"
    missing = client.delete(ME, json={}, headers=make.headers(user))
    assert missing.status_code == 422
    with db.transaction() as session:
        assert session.get(User, user.id) is not None
    assert make.events("user.deleted") == []


def test_the_last_admin_hands_over_before_leaving_the_platform(client, make):
    org = make.organisation()
    admin = make.admin(org)
    make.user(org)
    response = client.delete(ME, json={"password": PASSWORD}, headers=make.headers(admin))
    assert response.status_code == 409
    with db.transaction() as session:
        assert session.get(User, admin.id) is not None


def test_the_last_person_of_an_organisation_leaves_only_by_closing_it(client, make):
    org = make.organisation()
    admin = make.admin(org)
    refused = client.delete(ME, json={"password": PASSWORD}, headers=make.headers(admin))
    assert refused.status_code == 409
    assert refused.json["code"] == "account.last_member"
    assert make.events("user.deleted") == []
    response = client.delete(
        ME, json={"password": PASSWORD, "close_organisation": True}, headers=make.headers(admin)
    )
    assert response.status_code == 204
    [closed] = make.events("organisation.updated")
    assert closed["data"]["id"] == str(org.id) and closed["data"]["status"] == "closed"
    listed = client.get("/api/members/v1/directory?limit=100").json["items"]
    assert str(org.id) not in {item["id"] for item in listed}


def test_the_password_policy_names_its_rule():
    # The schemas bound the length too, so over HTTP this limit is the schema's; the domain's own
    # refusal (for callers that skip the schema) carries its code all the same.
    with pytest.raises(ValidationFailed) as refused:
        accounts.check_password_policy("x" * (accounts.MAX_PASSWORD_LENGTH + 1), "new_password")
    assert refused.value.code == "password.too_long"
    assert refused.value.errors == [
        {"pointer": "/new_password", "detail": "The password is too long.", "code": "too_long"}
    ]
