"""A person downloads all their data: every service's part, gathered through the backbone by
real workers into one ZIP, which only they, signed in, can download until it expires."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from shared.auth import Caller
from shared.events.catalogue.personal_data import PART_SERVICES
from tests.support.backbone import db_of, row
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e
EXPORTS = "/api/members/v1/me/exports"
STAFF = Caller("00000000-0000-4000-8000-000000000001", "user", None, frozenset({"platform_admin"}))


@pytest.fixture
def client(apps):
    return apps["members"].test_client()


def ready_export(client, headers) -> dict:
    created = client.post(EXPORTS, headers=headers)
    assert created.status_code == 202 and created.json["status"] == "pending"
    url = f"{EXPORTS}/{created.json['id']}"
    return wait_until(
        lambda: (s := client.get(url, headers=headers).json)["status"] == "ready" and s,
        timeout=60,
    )


def test_the_archive_holds_every_services_part_file_by_file(client, make, workers):
    from services.announcements.domain.personal_data import README as ANNOUNCEMENTS
    from services.members.domain import organisations
    from services.notifications.domain.personal_data import README as NOTIFICATIONS
    from services.projects.domain.personal_data import README as PROJECTS

    org, admin = make.registered(
        status="pending", name="Data Org", admin={"full_name": "Ada Export"}
    )
    wait_until(lambda: row("notifications", "User", admin.id))
    with db_of("members").transaction() as session:
        organisations.verify(session, STAFF, org.id, "Checked.")
    make.invitation(org, admin, email="friend@example.org")
    # notifications tells the admin their organisation is verified: an inbox item to export.
    wait_until(lambda: row("notifications", "Organisation", org.id).is_verified)

    status = ready_export(client, make.headers(admin))
    assert status["download_url"] and status["download_expires_at"]
    download = client.get(status["download_url"], headers=make.headers(admin))
    assert download.status_code == 200 and download.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    expected = {"README.txt", "index.html"}
    for service, readme in (
        ("projects", PROJECTS),
        ("announcements", ANNOUNCEMENTS),
        ("notifications", NOTIFICATIONS),
    ):
        expected |= {f"{service}/{name}" for name in readme} | {f"{service}/README.txt"}
        for name, what in readme.items():
            assert f"{name}: {what}" in archive.read(f"{service}/README.txt").decode()
    members_files = {"profile.json", "membership.json", "invitations_sent.json"}
    members_files |= {"clients_created.json", "sessions.json", "README.txt"}
    expected |= {f"members/{name}" for name in members_files}
    assert set(archive.namelist()) == expected
    assert set(PART_SERVICES) | {"members"} == {n.split("/")[0] for n in expected if "/" in n}

    profile = json.loads(archive.read("members/profile.json"))
    assert profile["full_name"] == "Ada Export" and "password_hash" not in profile
    [invitation] = json.loads(archive.read("members/invitations_sent.json"))
    assert invitation["email"] == "friend@example.org" and "token_hash" not in invitation
    [inbox] = json.loads(archive.read("notifications/inbox.json"))
    assert inbox["type"] == "organisation.verified"
    [copy] = json.loads(archive.read("announcements/profile_copy.json"))
    assert copy["full_name"] == "Ada Export"
    assert json.loads(archive.read("projects/applications_submitted.json")) == []
    page = archive.read("index.html").decode()
    assert "Ada Export" in page and "organisation.verified" in page


def test_only_the_person_signed_in_downloads_their_export_until_it_expires(
    apps, client, make, workers, monkeypatch
):
    org, owner = make.registered()
    colleague = make.user(org)
    status = ready_export(client, make.headers(owner))
    url = status["download_url"]
    assert client.get(url).status_code == 401
    assert client.get(url, headers=make.headers(colleague)).status_code == 404
    other = client.get(f"{EXPORTS}/{status['id']}", headers=make.headers(colleague))
    assert other.status_code == 404
    assert client.get(url, headers=make.headers(owner)).status_code == 200
    monkeypatch.setitem(apps["members"].config, "EXPORT_TTL", 0)
    expired = client.get(url, headers=make.headers(owner))
    assert expired.status_code == 410 and expired.mimetype == "application/problem+json"
