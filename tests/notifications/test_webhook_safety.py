"""Webhook targets in the platform's own network are refused at every attempt."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from services.notifications.domain import delivery
from services.notifications.domain.safety import literal_address, unsafe_reason
from services.notifications.models import WebhookAttempt, db
from tests.notifications.support import Sink, headers

BASE = "/api/notifications/v1"


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "224.0.0.1",
        "240.0.0.1",
        "0.0.0.0",
        "::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "64:ff9b::7f00:1",
    ],
)
def test_internal_addresses_are_unsafe(address):
    assert unsafe_reason(address) is not None


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address):
    assert unsafe_reason(address) is None


def test_integer_octal_and_short_forms_are_read_as_the_address_they_name():
    assert literal_address("2130706433") == "127.0.0.1"
    assert literal_address("0x7f000001") == "127.0.0.1"
    assert literal_address("017700000001") == "127.0.0.1"
    assert literal_address("127.1") == "127.0.0.1"
    assert literal_address("hooks.example.com") is None


def _target(host: str, port: int) -> str:
    return f"http://{host}:{port}/hook"


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "localhost",  # a name that resolves to 127.0.0.1
        "2130706433",  # 127.0.0.1 as an integer
        "0x7f000001",
        "127.1",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "10.0.0.1",
        "169.254.169.254",
        "100.64.0.1",
    ],
)
def test_every_attempt_to_a_local_target_is_refused_when_not_allowed(client, world, app, host):
    sink = Sink()
    try:
        org = world.organisation()
        auth = headers(organisation=org, roles=["org_admin"])
        # Created while local targets were allowed (or a name that later resolves locally).
        created = client.post(
            f"{BASE}/organisations/{org}/webhooks",
            json={"url": _target(host, sink.port)},
            headers=auth,
        )
        assert created.status_code == 201, created.json
        endpoint_id = created.json["id"]
        client.post(f"{BASE}/organisations/{org}/webhooks/{endpoint_id}/test", headers=auth)
        app.config["WEBHOOKS_ALLOW_PRIVATE_TARGETS"] = False
        app.config["WEBHOOKS_TIMEOUT"] = 1.0
        assert delivery.deliver_due(db) == 1
        with db.transaction() as session:
            attempt = session.scalars(
                select(WebhookAttempt).where(WebhookAttempt.endpoint_id == uuid.UUID(endpoint_id))
            ).one()
        assert attempt.success is False
        assert attempt.error_class == "unsafe_target", attempt.error
        assert "refused" in attempt.error
        assert sink.requests == []
    finally:
        sink.stop()


def test_a_redirect_to_a_local_address_is_never_followed(client, world):
    local = Sink()
    redirecting = Sink(default=(307, {"Location": "http://169.254.169.254/latest"}, b"", 0.0))
    redirecting.default = (307, {"Location": local.url}, b"", 0.0)
    try:
        org = world.organisation()
        auth = headers(organisation=org, roles=["org_admin"])
        endpoint = client.post(
            f"{BASE}/organisations/{org}/webhooks", json={"url": redirecting.url}, headers=auth
        ).json
        client.post(f"{BASE}/organisations/{org}/webhooks/{endpoint['id']}/test", headers=auth)
        delivery.deliver_due(db)
        assert len(redirecting.requests) == 1
        assert local.requests == []
        with db.transaction() as session:
            attempt = session.scalars(select(WebhookAttempt)).one()
        assert attempt.status_code == 307 and not attempt.success
    finally:
        local.stop()
        redirecting.stop()
