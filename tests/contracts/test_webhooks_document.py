"""The notifications document's `webhooks` section says what endpoints really receive.

Every event type an endpoint can subscribe to, and the test event, is documented; for each, a
real delivery to a real HTTP sink is checked against its entry with `jsonschema`: the body
against the documented schema (components resolved from the served document, formats checked),
each Standard Webhooks header against its parameter, the signature with `standardwebhooks`.
"""

from __future__ import annotations

import json
import uuid

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from standardwebhooks.webhooks import Webhook

from services.notifications.domain import delivery, endpoints, visibility
from services.notifications.models import db
from shared.events import catalogue
from tests.notifications import support
from tests.support.databases import empty
from tests.support.waiting import wait_until

BASE = "/api/notifications/v1"
OFFERED = endpoints.offered_types()
CONFIG = {"TESTING": True, "WEBHOOKS_ALLOW_PRIVATE_TARGETS": True}


@pytest.fixture(scope="module")
def app(migrated):
    from services.notifications import create_app

    app = create_app(CONFIG, key_source=support.KEY_SOURCE)
    with app.app_context():
        yield app
        empty(db)


@pytest.fixture(scope="module")
def document(app) -> dict:
    return app.test_client().get(f"{BASE}/openapi.json").json


@pytest.fixture
def client(app):
    empty(db)  # no endpoint or due message of another test in this delivery batch
    return app.test_client()


@pytest.fixture
def sink():
    server = support.Sink()
    yield server
    server.stop()


def _validator(document: dict, name: str) -> Draft202012Validator:
    """The documented body of webhook `name`, its `$ref`s resolved in the served document."""
    registry = Registry().with_resource("urn:notifications", DRAFT202012.create_resource(document))
    pointer = (
        f"urn:notifications#/webhooks/{name}/post/requestBody/content/application~1json/schema"
    )
    return Draft202012Validator(
        {"$ref": pointer},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def _endpoint(client, organisation_id: str, url: str, event_types=None) -> dict:
    support.verified_quietly(organisation_id)  # only verified organisations add webhooks
    response = client.post(
        f"{BASE}/organisations/{organisation_id}/webhooks",
        json={"url": url, "event_types": event_types},
        headers=support.headers(organisation=organisation_id, roles=["org_admin"]),
    )
    assert response.status_code == 201, response.json
    return response.json


def _delivered(sink, count: int = 1) -> list[dict]:
    """What the sink received once delivery (the webhooks worker's batch) has run."""
    wait_until(lambda: delivery.deliver_due(db) >= 0 and len(sink.requests) >= count)
    return sink.requests


def _check(document: dict, name: str, request: dict, secret: str) -> dict:
    """The request is what the `webhooks` entry `name` documents; its parsed body."""
    body = json.loads(request["body"])
    validator = _validator(document, name)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]
    assert not errors, f"{name} delivered {body}, not what is documented: {errors}"
    # The schema is that event's: the same body under another type, or without its data, fails.
    assert not validator.is_valid({**body, "type": "another.type"})
    assert not validator.is_valid({**body, "data": {"unexpected": True}})
    headers = {k.lower(): v for k, v in request["headers"].items()}
    for parameter in document["webhooks"][name]["post"]["parameters"]:
        assert parameter["in"] == "header" and parameter["required"]
        value = headers[parameter["name"]]
        Draft202012Validator(parameter["schema"]).validate(value)
    Webhook(secret).verify(request["body"], headers)  # the documented signature, verified
    return body


def _fresh(entry: catalogue.EventType) -> dict:
    """The catalogue's example about organisations of its own, new to this test."""
    text = json.dumps(entry.example)
    for organisation_id in entry.concerns(entry.example):
        text = text.replace(str(organisation_id), str(uuid.uuid4()))
    return json.loads(text)


def test_every_event_type_an_endpoint_can_subscribe_to_is_documented(document):
    offered = {entry.name for entry in OFFERED}
    assert set(document["webhooks"]) == offered | {endpoints.TEST_EVENT}
    for name, path in document["webhooks"].items():
        operation = path["post"]
        assert {p["name"] for p in operation["parameters"]} == {
            "webhook-id",
            "webhook-timestamp",
            "webhook-signature",
        }
        assert "2XX" in operation["responses"] and "default" in operation["responses"]
        assert _validator(document, name).is_valid(
            operation["requestBody"]["content"]["application/json"]["example"]
        )


@pytest.mark.parametrize("entry", OFFERED, ids=lambda entry: entry.name)
def test_a_delivered_event_is_what_the_webhooks_section_documents(client, document, sink, entry):
    data = _fresh(entry)
    concerned = sorted(entry.concerns(data)) or [str(uuid.uuid4())]  # public: anyone's endpoint
    endpoint = _endpoint(client, concerned[0], sink.url, [entry.name])
    support.handle(entry.name, data)
    if data.get("status") in ("pending", "suspended"):
        # An organisation's own deliveries wait while it may not integrate: reinstate it.
        verified = catalogue.latest("organisation.verified").example
        support.handle("organisation.verified", {**verified, "id": data["id"]})
    [request] = _delivered(sink)
    body = _check(document, entry.name, request, endpoint["secret"])
    # As published, but for a meeting's two user ids, which stay inside the platform.
    assert body["type"] == entry.name and body["data"] == visibility.without_meeting_people(data)


def test_the_test_event_is_what_the_webhooks_section_documents(client, document, sink):
    organisation_id = str(uuid.uuid4())
    endpoint = _endpoint(client, organisation_id, sink.url)
    response = client.post(
        f"{BASE}/organisations/{organisation_id}/webhooks/{endpoint['id']}/test",
        headers=support.headers(organisation=organisation_id, roles=["org_admin"]),
    )
    assert response.status_code in (200, 201, 202), response.json
    [request] = _delivered(sink)
    body = _check(document, endpoints.TEST_EVENT, request, endpoint["secret"])
    assert body["data"]["endpoint_id"] == endpoint["id"]


def test_an_anonymous_projects_event_to_another_organisation_is_documented_too(
    client, document, sink
):
    """Others receive it without the owner and with who moved it as null, as documented."""
    entry = catalogue.latest("project.state_changed")
    data = _fresh(entry)
    data["project"]["anonymous"] = True
    owner = data["project"]["organisation_id"]
    own = _endpoint(client, owner, sink.url, [entry.name])
    other = _endpoint(client, str(uuid.uuid4()), sink.url, [entry.name])
    support.handle(entry.name, data)
    requests = _delivered(sink, count=2)
    received = {}
    for request in requests:
        endpoint = own if request["headers"]["webhook-id"] in _message_ids(own) else other
        received[endpoint["id"]] = _check(document, entry.name, request, endpoint["secret"])
    assert received[own["id"]]["data"]["project"]["organisation_id"] == owner
    assert "organisation_id" not in received[other["id"]]["data"]["project"]
    assert received[other["id"]]["data"]["changed_by"] is None


def _message_ids(endpoint: dict) -> set[str]:
    from sqlalchemy import select

    from services.notifications.models import WebhookMessage

    with db.transaction() as session:
        return set(
            session.scalars(
                select(WebhookMessage.id).where(
                    WebhookMessage.endpoint_id == uuid.UUID(endpoint["id"])
                )
            )
        )
