"""Access taken away fails within seconds everywhere, not when the 15-minute token expires.

members signs real tokens at its token endpoint; projects, announcements and notifications
verify them from members' JWKS over HTTP and learn revocations from real Celery workers carrying
`access.revoked`. Each test first shows the token working in members and in notifications, then
takes the access away and waits (polling, with a deadline) for notifications to refuse it too;
members refuses it at once.
"""

from __future__ import annotations

import pytest

from tests.members.factories import PASSWORD
from tests.support.platform import factories_on, running_platform
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e
TOKEN = "/api/members/v1/auth/token"
ME = "/api/members/v1/me"
INBOX = "/api/notifications/v1/inbox"
PROJECTS_OF = "/api/projects/v1/organisations/{}/applications"
WITHIN = 10.0  # seconds: "within seconds", generous for a loaded 2-core machine


@pytest.fixture(scope="module")
def platform(members_app):
    yield from running_platform(members_app)


@pytest.fixture
def make(platform, members_app):
    yield from factories_on(platform, members_app)


def client(platform, service: str):
    return platform.apps[service].test_client()


def sign_in(platform, email: str, password: str = PASSWORD) -> dict:
    response = client(platform, "members").post(
        TOKEN, data={"grant_type": "password", "username": email, "password": password}
    )
    assert response.status_code == 200, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


def status(platform, service: str, path: str, headers: dict) -> int:
    return client(platform, service).get(path, headers=headers).status_code


def assert_refused_everywhere(platform, headers: dict, other=("notifications", INBOX)) -> None:
    """members refuses at once; the other service within seconds, with `token_revoked`."""
    refused = client(platform, "members").get(ME, headers=headers)
    assert refused.status_code == 401
    assert refused.get_json()["code"] == "token_revoked"
    service, path = other
    wait_until(lambda: status(platform, service, path, headers) == 401, timeout=WITHIN)
    answer = client(platform, service).get(path, headers=headers).get_json()
    assert answer["code"] == "token_revoked"


def test_a_removed_member_is_refused_in_every_service_within_seconds(platform, make):
    org = make.organisation()
    admin, member = make.admin(org), make.user(org)
    member_token = sign_in(platform, member.email)
    assert status(platform, "members", ME, member_token) == 200
    assert status(platform, "notifications", INBOX, member_token) == 200
    removed = client(platform, "members").delete(
        f"/api/members/v1/organisations/{org.id}/members/{member.id}",
        headers=sign_in(platform, admin.email),
    )
    assert removed.status_code == 204
    assert_refused_everywhere(platform, member_token)
    # Also in projects, through its own worker and table.
    path = PROJECTS_OF.format(org.id)
    wait_until(lambda: status(platform, "projects", path, member_token) == 401, timeout=WITHIN)


def test_a_removed_admins_old_token_cannot_create_an_api_client(platform, make):
    org = make.organisation()
    admin, leaver = make.admin(org), make.admin(org)
    stale = sign_in(platform, leaver.email)
    removed = client(platform, "members").delete(
        f"/api/members/v1/organisations/{org.id}/members/{leaver.id}",
        headers=sign_in(platform, admin.email),
    )
    assert removed.status_code == 204
    created = client(platform, "members").post(
        f"/api/members/v1/organisations/{org.id}/clients",
        json={"name": "Backdoor", "scopes": ["organisation:admin"]},
        headers=stale,
    )
    assert created.status_code == 401
    assert created.mimetype == "application/problem+json"


def test_a_role_change_refuses_the_old_token_and_a_new_sign_in_carries_the_new_role(platform, make):
    org = make.organisation()
    admin, member = make.admin(org), make.user(org)
    old = sign_in(platform, member.email)
    assert status(platform, "notifications", INBOX, old) == 200
    changed = client(platform, "members").patch(
        f"/api/members/v1/organisations/{org.id}/members/{member.id}",
        json={"role": "org_admin"},
        headers=sign_in(platform, admin.email),
    )
    assert changed.status_code == 200, changed.get_json()
    assert_refused_everywhere(platform, old)
    new = sign_in(platform, member.email)
    assert client(platform, "members").get(ME, headers=new).get_json()["role"] == "org_admin"
    assert status(platform, "notifications", INBOX, new) == 200


def test_suspending_an_organisation_refuses_its_peoples_tokens(platform, make):
    org = make.organisation()
    member = make.user(org)
    staff = make.platform_admin()
    token = sign_in(platform, member.email)
    assert status(platform, "notifications", INBOX, token) == 200
    suspended = client(platform, "members").post(
        f"/api/members/v1/organisations/{org.id}/suspend",
        json={"reason": "Registration withdrawn."},
        headers=sign_in(platform, staff.email),
    )
    assert suspended.status_code == 200, suspended.get_json()
    assert_refused_everywhere(platform, token)


def test_a_deleted_accounts_token_is_refused_everywhere(platform, make):
    org = make.organisation()
    make.admin(org)
    member = make.user(org)
    token = sign_in(platform, member.email)
    assert status(platform, "notifications", INBOX, token) == 200
    deleted = client(platform, "members").delete(ME, json={"password": PASSWORD}, headers=token)
    assert deleted.status_code == 204, deleted.get_json()
    assert_refused_everywhere(platform, token)


def test_a_password_change_refuses_tokens_issued_before_it_but_not_after(platform, make):
    org = make.organisation()
    member = make.user(org)
    other_device = sign_in(platform, member.email)
    assert status(platform, "notifications", INBOX, other_device) == 200
    changed = client(platform, "members").post(
        f"{ME}/password",
        json={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        headers=sign_in(platform, member.email),
    )
    assert changed.status_code == 204, changed.get_json()
    assert_refused_everywhere(platform, other_device)
    fresh = sign_in(platform, member.email, "a brand new passphrase")
    assert status(platform, "members", ME, fresh) == 200
    assert status(platform, "notifications", INBOX, fresh) == 200


def test_a_revoked_clients_token_is_refused_everywhere(platform, make):
    # Registered and verified through members' domain, so notifications learns of it by events
    # (only verified organisations manage webhooks).
    org, admin = make.registered()
    admin_token = sign_in(platform, admin.email)
    members = client(platform, "members")
    created = members.post(
        f"/api/members/v1/organisations/{org.id}/clients",
        json={"name": "CRM", "scopes": ["organisation:read", "webhooks:manage"]},
        headers=admin_token,
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    granted = members.post(
        TOKEN,
        data={
            "grant_type": "client_credentials",
            "client_id": body["client_id"],
            "client_secret": body["client_secret"],
        },
    )
    assert granted.status_code == 200, granted.get_json()
    token = {"Authorization": f"Bearer {granted.get_json()['access_token']}"}
    hooks = f"/api/notifications/v1/organisations/{org.id}/webhooks"
    members_of = f"/api/members/v1/organisations/{org.id}/members"
    wait_until(lambda: status(platform, "notifications", hooks, token) == 200, timeout=30)
    assert status(platform, "members", members_of, token) == 200
    revoked = members.delete(
        f"/api/members/v1/organisations/{org.id}/clients/{body['id']}", headers=admin_token
    )
    assert revoked.status_code == 204
    assert members.get(members_of, headers=token).get_json()["code"] == "token_revoked"
    wait_until(lambda: status(platform, "notifications", hooks, token) == 401, timeout=WITHIN)
