"""Webhook targets in the platform's own network are refused at every attempt."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from services.notifications.domain import delivery
from services.notifications.domain.safety import literal_address, target_host, unsafe_reason
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


# Written the ways a host can be spelled so that it reads differently before and after
# normalisation: trailing dot, full-width digits and dots, circled letters, case, IPv4-mapped.
DISGUISED_LOCAL_HOSTS = [
    "127.0.0.1.",
    "\uff11\uff12\uff17.\uff10.\uff10.\uff11",  # full-width digits
    "\uff11\uff12\uff17\uff0e\uff10\uff0e\uff10\uff0e\uff11",  # full-width digits and dots
    "127\u30020\u30020\u30021",  # ideographic full stops
    "\u24dbocalhost",  # circled l
    "LOCALHOST.",
    "api.localhost",
    "[::ffff:127.0.0.1]",
    "0x7f.1",
]


@pytest.mark.parametrize("host", DISGUISED_LOCAL_HOSTS)
def test_an_endpoint_is_refused_at_creation_wherever_delivery_would_refuse_it(
    client, world, app, host
):
    org = world.organisation()
    auth = headers(organisation=org, roles=["org_admin"])
    app.config["WEBHOOKS_ALLOW_PRIVATE_TARGETS"] = False
    url = f"https://{host}/hook"
    # What delivery reads is a local host: its address check or the resolver refuses it.
    read = target_host(url)
    literal = literal_address(read)
    assert (literal is not None and unsafe_reason(literal)) or read.endswith("localhost"), read
    created = client.post(f"{BASE}/organisations/{org}/webhooks", json={"url": url}, headers=auth)
    assert created.status_code == 422, created.json
    assert created.json["errors"][0]["pointer"] == "/url"
    assert client.get(f"{BASE}/organisations/{org}/webhooks", headers=auth).json["items"] == []
    app.config["WEBHOOKS_ALLOW_PRIVATE_TARGETS"] = True
    allowed = client.post(
        f"{BASE}/organisations/{org}/webhooks",
        json={"url": "https://hooks.example.com/x"},
        headers=auth,
    )
    app.config["WEBHOOKS_ALLOW_PRIVATE_TARGETS"] = False
    changed = client.patch(
        f"{BASE}/organisations/{org}/webhooks/{allowed.json['id']}",
        json={"url": url},
        headers=auth,
    )
    assert changed.status_code == 422, changed.json


def test_a_public_host_in_full_width_is_accepted_as_delivery_reads_it(client, world, app):
    org = world.organisation()
    app.config["WEBHOOKS_ALLOW_PRIVATE_TARGETS"] = False
    url = "https://\uff48\uff4f\uff4f\uff4b\uff53.example.com/x"  # full-width "hooks"
    assert target_host(url) == "hooks.example.com"
    created = client.post(
        f"{BASE}/organisations/{org}/webhooks",
        json={"url": url},
        headers=headers(organisation=org, roles=["org_admin"]),
    )
    assert created.status_code == 201, created.json
