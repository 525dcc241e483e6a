"""A person downloads their data: a ZIP built by a real worker, behind a signed, expiring link."""

from __future__ import annotations

import io
import json
import time
import zipfile

import pytest

from tests.support.workers import Worker

EXPORTS = "/api/members/v1/me/exports"


@pytest.fixture(scope="module")
def worker(members_app):
    from services.members.tasks import celery_app

    celery_app.control.purge()
    running = Worker("members").start()
    yield running
    running.stop()


def ready_export(client, headers, timeout=20.0) -> dict:
    created = client.post(EXPORTS, headers=headers)
    assert created.status_code == 202 and created.json["status"] == "pending"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(f"{EXPORTS}/{created.json['id']}", headers=headers).json
        if status["status"] != "pending":
            return status
        time.sleep(0.1)
    raise TimeoutError("the export was not built")


def test_a_person_downloads_a_zip_of_their_data(client, make, worker):
    org = make.organisation(name="Data Org")
    admin = make.admin(org, full_name="Ada Export")
    make.invitation(org, admin, email="friend@example.org")
    make.api_client(org, created_by=admin.id, name="Ada's CRM")
    status = ready_export(client, make.headers(admin))
    assert status["status"] == "ready" and status["download_url"]
    assert status["download_expires_at"]

    download = client.get(status["download_url"])  # the link alone is enough
    assert download.status_code == 200 and download.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    assert set(archive.namelist()) == {
        "profile.json",
        "membership.json",
        "invitations_sent.json",
        "clients_created.json",
        "sessions.json",
    }
    profile = json.loads(archive.read("profile.json"))
    assert profile["full_name"] == "Ada Export" and "password_hash" not in profile
    assert json.loads(archive.read("membership.json"))["organisation_name"] == "Data Org"
    [invitation] = json.loads(archive.read("invitations_sent.json"))
    assert invitation["email"] == "friend@example.org" and "token_hash" not in invitation
    [api_client] = json.loads(archive.read("clients_created.json"))
    assert api_client["name"] == "Ada's CRM" and "secret_hash" not in api_client


def test_an_expired_download_link_is_gone(app, client, make, worker, monkeypatch):
    user = make.user(make.organisation())
    monkeypatch.setitem(app.config, "EXPORT_TTL", 0.2)
    status = ready_export(client, make.headers(user))
    time.sleep(0.3)
    expired = client.get(status["download_url"])
    assert expired.status_code == 410 and expired.mimetype == "application/problem+json"
    # Asking again gives a fresh link.
    monkeypatch.setitem(app.config, "EXPORT_TTL", 60)
    fresh = client.get(f"{EXPORTS}/{status['id']}", headers=make.headers(user)).json
    assert client.get(fresh["download_url"]).status_code == 200


def test_a_tampered_link_is_refused(client, make, worker):
    user = make.user(make.organisation())
    status = ready_export(client, make.headers(user))
    url = status["download_url"]
    tampered = url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB")
    assert client.get(tampered).status_code == 403
    assert client.get(url.split("?")[0]).status_code == 422  # no token at all


def test_nobody_else_sees_a_persons_export(client, make, worker):
    org = make.organisation()
    owner, colleague = make.admin(org), make.user(org)
    created = client.post(EXPORTS, headers=make.headers(owner)).json
    other = client.get(f"{EXPORTS}/{created['id']}", headers=make.headers(colleague))
    assert other.status_code == 404
    assert client.get(f"{EXPORTS}/{created['id']}").status_code == 401
