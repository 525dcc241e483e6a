"""An endpoint receives only what its organisation may see, for every event type."""

from __future__ import annotations

import json
import uuid

import pytest
from marshmallow import Schema, fields
from sqlalchemy import select

from services.notifications.domain.fanout import webhook_messages
from services.notifications.models import WebhookEndpoint, WebhookMessage, db
from shared.events import catalogue
from shared.events.catalogue import EventType
from tests.notifications.support import envelope, handle, headers, verified_quietly

BASE = "/api/notifications/v1"


def _endpoint(client, org) -> str:
    verified_quietly(org)  # only verified organisations add webhooks
    response = client.post(
        f"{BASE}/organisations/{org}/webhooks",
        json={"url": "http://127.0.0.1:9/x"},
        headers=headers(organisation=org, roles=["org_admin"]),
    )
    assert response.status_code == 201
    return response.json["id"]


def _received(endpoint_id) -> list[str]:
    with db.transaction() as session:
        return list(
            session.scalars(
                select(WebhookMessage.type).where(
                    WebhookMessage.endpoint_id == uuid.UUID(endpoint_id)
                )
            )
        )


@pytest.mark.parametrize(
    "entry", catalogue.subscribed_by("notifications"), ids=lambda entry: entry.name
)
def test_each_event_type_reaches_only_the_organisations_that_may_see_it(client, app, entry):
    example = entry.example
    concerned = sorted(entry.concerns(example))
    own = _endpoint(client, concerned[0]) if concerned else None
    stranger = _endpoint(client, str(uuid.uuid4()))
    handle(entry.name, example)
    expected_public = [entry.name] if entry.webhook and entry.public(example) else []
    assert _received(stranger) == expected_public
    if own is not None:
        assert _received(own) == ([entry.name] if entry.webhook else [])


def test_an_endpoint_filtered_to_some_types_receives_only_those(client, app):
    example = catalogue.get("organisation.verified", 1).example
    verified_quietly(example["id"])
    response = client.post(
        f"{BASE}/organisations/{example['id']}/webhooks",
        json={"url": "http://127.0.0.1:9/x", "event_types": ["organisation.suspended"]},
        headers=headers(organisation=example["id"], roles=["org_admin"]),
    )
    handle("organisation.verified", example)
    assert _received(response.json["id"]) == []


class _ProjectData(Schema):
    project = fields.Dict(required=True)


def _project_type(public: bool) -> EventType:
    """A project event shaped as projects and notifications agreed (contracts)."""
    return EventType(
        "project.published",
        1,
        _ProjectData,
        ("notifications",),
        "test",
        {},
        concerns=lambda d: {str(d["project"]["organisation_id"])},
        public=lambda d: d["project"]["visibility"] == "public",
        source="projects",
    )


def test_an_anonymous_projects_owner_is_hidden_from_other_organisations(app):
    owner, other = uuid.uuid4(), uuid.uuid4()
    with db.transaction() as session:
        for org in (owner, other):
            session.add(
                WebhookEndpoint(organisation_id=org, url="https://x.example/h", created_by="t")
            )
    data = {
        "project": {
            "id": str(uuid.uuid4()),
            "organisation_id": str(owner),
            "anonymous": True,
            "visibility": "public",
        }
    }
    message = envelope("organisation.verified", {})  # an envelope's shape, with project data
    message.update(type="project.published", source="projects", data=data)
    with db.transaction() as session:
        assert webhook_messages(session, _project_type(True), message) == 2
    with db.transaction() as session:
        rows = {
            m.endpoint_id: m.payload["data"]["project"]
            for m in session.scalars(select(WebhookMessage))
        }
        endpoints = {e.organisation_id: e.id for e in session.scalars(select(WebhookEndpoint))}
    assert rows[endpoints[owner]]["organisation_id"] == str(owner)
    assert "organisation_id" not in rows[endpoints[other]]


def test_who_moved_a_discreet_project_is_hidden_from_other_organisations(app):
    owner, other, mover = uuid.uuid4(), uuid.uuid4(), str(uuid.uuid4())
    with db.transaction() as session:
        for org in (owner, other):
            session.add(
                WebhookEndpoint(organisation_id=org, url="https://x.example/h", created_by="t")
            )
    project = {
        "id": str(uuid.uuid4()),
        "organisation_id": str(owner),
        "anonymous": True,
        "visibility": "public",
    }
    data = {"project": project, "from_state": "draft", "to_state": "open", "changed_by": mover}
    message = envelope("organisation.verified", {})
    message.update(type="project.state_changed", source="projects", data=data)
    with db.transaction() as session:
        assert webhook_messages(session, _project_type(True), message) == 2
    with db.transaction() as session:
        endpoints = {e.id: e.organisation_id for e in session.scalars(select(WebhookEndpoint))}
        sent = {
            endpoints[m.endpoint_id]: json.dumps(m.payload)
            for m in session.scalars(select(WebhookMessage))
        }
    assert mover in sent[owner]
    assert mover not in sent[other] and str(owner) not in sent[other]


def test_a_members_only_project_reaches_only_its_owner(app):
    owner, other = uuid.uuid4(), uuid.uuid4()
    with db.transaction() as session:
        for org in (owner, other):
            session.add(
                WebhookEndpoint(organisation_id=org, url="https://x.example/h", created_by="t")
            )
    data = {
        "project": {
            "id": str(uuid.uuid4()),
            "organisation_id": str(owner),
            "anonymous": False,
            "visibility": "members",
        }
    }
    message = envelope("organisation.verified", {})
    message.update(type="project.published", source="projects", data=data)
    with db.transaction() as session:
        assert webhook_messages(session, _project_type(False), message) == 1
