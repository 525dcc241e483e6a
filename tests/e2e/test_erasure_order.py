"""Events of one publisher may arrive in any order: an event naming a person that reaches a
service after that person's `user.deleted` (a redelivery, a worker lost mid-task) must not bring
their name or e-mail back into anything the service keeps for others (inboxes, webhook
messages, the events kept for late recipients, projections)."""

from __future__ import annotations

import uuid

import pytest

from shared.events import catalogue
from tests.e2e.test_erasure import everything_said_about
from tests.support.backbone import db_of, model, processed_ids, send
from tests.support.envelopes import members_envelope
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("event_type", ["member.joined", "member.role_changed"])
def test_an_event_naming_a_person_after_their_deletion_names_them_nowhere(
    workers, make, event_type
):
    org, admin = make.registered(name=f"Late Order Lab {uuid.uuid4().hex[:4]}")
    endpoint = model("notifications", "WebhookEndpoint")(
        organisation_id=org.id, url="http://127.0.0.1:9/hook", created_by=str(admin.id)
    )
    with db_of("notifications").transaction() as session:
        session.add(endpoint)
    wait_until(lambda: processed_ids("notifications"), timeout=30)
    person = str(uuid.uuid4())
    name, email = f"王芳 Wang-{person[:6]}", f"wang.{person[:8]}@late.example"
    joined = members_envelope(
        event_type,
        {
            "organisation_id": str(org.id),
            "user_id": person,
            "role": "org_admin",
            "previous_role": "org_member",
            "email": email,
            "full_name": name,
            "language": "en",
            "timezone": "Asia/Shanghai",
        },
    )
    if event_type == "member.joined":
        del joined["data"]["previous_role"]
    deleted = members_envelope("user.deleted", {"id": person})

    for envelope in (deleted, joined):
        subscribers = catalogue.get(envelope["type"], 1).subscribers
        for service in subscribers:
            send(service, envelope)
        wait_until(
            lambda e=envelope, to=subscribers: all(e["id"] in processed_ids(s) for s in to),
            timeout=30,
        )

    assert everything_said_about([name, email]) == []
