"""A discreet owner stays unnamed everywhere another organisation can look, across services.

A Nanjing lab opens a discreet project; a Valbonne company subscribes a webhook to every project
event, applies, and is turned down. Everything the company can then reach about the project (the
projects API, its inbox, the e-mails its people received, its webhook deliveries and their log)
is read as one text and searched for every identifier of the lab and of its people.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.notifications.support import Sink
from tests.support.platform import running_platform
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e
PROJECTS = "/api/projects/v1"
NOTIFICATIONS = "/api/notifications/v1"


@pytest.fixture(scope="module")
def platform(members_app):
    yield from running_platform(members_app)


@pytest.fixture
def make(platform, members_app):
    from tests.members.factories import Factories

    platform.clear_sessions()
    platform.empty()
    with members_app.app_context():
        yield Factories(members_app)
    platform.settle()
    platform.empty()


@pytest.fixture
def sink():
    server = Sink()
    yield server
    server.stop()


def _call(platform, service, method, path, headers, **kwargs):
    client = platform.apps[service].test_client()
    return client.open(path, method=method, headers=headers, **kwargs)


def _webhook_messages_settled(platform) -> bool:
    from services.notifications.models import WebhookMessage, db

    with platform.apps["notifications"].app_context(), db.engine.connect() as connection:
        statuses = connection.scalars(select(WebhookMessage.status)).all()
    return bool(statuses) and all(status != "pending" for status in statuses)


def test_nothing_another_organisation_reaches_names_a_discreet_owner(platform, make, smtp, sink):
    owner_org, owner = make.registered(name="Nanjing Discreet Sensors", city="Nanjing")
    colleague = make.user(owner_org, full_name="Li Mei")
    reader_org, reader = make.registered(name="Valbonne Buyers", city="Valbonne")
    platform.settle()
    owner_h, colleague_h, reader_h = (make.headers(p) for p in (owner, colleague, reader))

    project_types = [
        "project.published",
        "project.updated",
        "project.state_changed",
        "project.application_decided",
    ]
    created = _call(
        platform,
        "notifications",
        "POST",
        f"{NOTIFICATIONS}/organisations/{reader_org.id}/webhooks",
        reader_h,
        json={"url": sink.url, "event_types": project_types},
    )
    assert created.status_code == 201, created.get_json()
    endpoint_id = created.get_json()["id"]

    project = platform.open_project(owner_h, anonymous=True, sectors=["iot"])
    pid = project["id"]
    edited = _call(
        platform,
        "projects",
        "PATCH",
        f"{PROJECTS}/projects/{pid}",
        colleague_h,
        json={"summary": {"en": "Low-power sensors for smart parks."}},
    )
    assert edited.status_code == 200, edited.get_json()
    applied = _call(
        platform,
        "projects",
        "POST",
        f"{PROJECTS}/projects/{pid}/applications",
        reader_h,
        json={"message": "We would like to pilot your sensors in Valbonne."},
    )
    assert applied.status_code == 201, applied.get_json()
    application = f"{PROJECTS}/applications/{applied.get_json()['id']}"
    decided = _call(
        platform,
        "projects",
        "POST",
        f"{application}/decision",
        owner_h,
        json={"decision": "rejected", "reason": "Our pilot sites are full this year."},
    )
    assert decided.status_code == 200, decided.get_json()
    platform.settle()
    wait_until(lambda: _webhook_messages_settled(platform), timeout=60)

    def read(service, path):
        response = _call(platform, service, "GET", path, reader_h)
        return f"{path} {response.status_code} {response.get_data(as_text=True)}"

    inbox = read("notifications", f"{NOTIFICATIONS}/inbox?limit=100")
    assert "Our pilot sites are full this year." in inbox  # the decision reached the reader
    seen = [
        read("projects", f"{PROJECTS}/projects/{pid}"),
        read("projects", f"{PROJECTS}/projects/{pid}/history"),
        read("projects", f"{PROJECTS}/projects/{pid}/milestones"),
        read("projects", f"{PROJECTS}/projects?limit=100"),
        read("projects", f"{PROJECTS}/projects?q=sensors&limit=100"),
        read("projects", f"{PROJECTS}/organisations/{reader_org.id}/recommended-projects"),
        read("projects", f"{PROJECTS}/organisations/{reader_org.id}/applications"),
        read("projects", application),
        inbox,
        read(
            "notifications",
            f"{NOTIFICATIONS}/organisations/{reader_org.id}/webhooks/{endpoint_id}/messages",
        ),
        *(request["body"].decode() for request in sink.requests),
        *(m.as_string() for m in smtp.messages if reader.email in str(m["To"])),
    ]
    text = "\n".join(seen)
    received = {json.loads(r["body"])["type"] for r in sink.requests}
    assert {"project.published", "project.updated", "project.application_decided"} <= received
    assert pid in text
    secrets = {
        "the owner's id": str(owner_org.id),
        "the owner's name": owner_org.name,
        "its admin's id": str(owner.id),
        "its admin's name": owner.full_name,
        "its admin's e-mail": owner.email,
        "its member's id": str(colleague.id),
        "its member's name": colleague.full_name,
        "its member's e-mail": colleague.email,
    }
    leaks = [what for what, value in secrets.items() if value in text]
    assert leaks == []
