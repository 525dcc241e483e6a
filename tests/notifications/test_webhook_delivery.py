"""Webhook delivery to real local HTTP servers: signatures, retries, replay, disabling."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select, update

from services.notifications.domain import delivery
from services.notifications.models import WebhookAttempt, WebhookEndpoint, WebhookMessage, db
from shared.db import utcnow
from tests.notifications.support import Sink, handle, headers

BASE = "/api/notifications/v1"


def _admin(org):
    return headers(organisation=org, roles=["org_admin"])


def _endpoint(client, org, url, **body):
    response = client.post(
        f"{BASE}/organisations/{org}/webhooks", json={"url": url, **body}, headers=_admin(org)
    )
    assert response.status_code == 201, response.json
    return response.json


def _drain(rounds=40):
    """Run delivery batches as the webhooks worker does, a second apart on the clock they are
    given (retries fall due without waiting), until nothing is left pending."""
    now = utcnow()
    for _ in range(rounds):
        delivery.deliver_due(db, now=now)
        with db.transaction() as session:
            pending = session.scalar(
                select(WebhookMessage.id).where(WebhookMessage.status == "pending").limit(1)
            )
        if pending is None:
            return
        now += timedelta(seconds=1)
    raise AssertionError(f"still pending after {rounds} rounds")


def _attempts(endpoint_id):
    with db.transaction() as session:
        return list(
            session.scalars(
                select(WebhookAttempt)
                .where(WebhookAttempt.endpoint_id == _uuid(endpoint_id))
                .order_by(WebhookAttempt.id)
            )
        )


def _verify_event(world, org):
    """organisation.verified for `org`: public, and about it."""
    from shared.events import catalogue

    data = {**catalogue.get("organisation.verified", 1).example, "id": org}
    return handle("organisation.verified", data)


def test_a_delivery_verifies_with_standardwebhooks_and_svix(client, world, sink):
    from standardwebhooks.webhooks import Webhook
    from svix.webhooks import Webhook as SvixWebhook

    org = world.organisation()
    endpoint = _endpoint(client, org, sink.url, event_types=["organisation.verified"])
    envelope = _verify_event(world, org)
    _drain()
    assert len(sink.requests) == 1
    request = sink.requests[0]
    payload = Webhook(endpoint["secret"]).verify(request["body"], request["headers"])
    assert payload["type"] == "organisation.verified"
    assert payload["timestamp"] == envelope["occurred_at"]
    assert payload["data"]["id"] == org
    lowered = {k.lower(): v for k, v in request["headers"].items()}
    SvixWebhook(endpoint["secret"]).verify(request["body"], lowered)  # raises if unsigned
    assert lowered["webhook-id"].startswith("msg_")


def test_a_sink_failing_three_times_then_succeeding(client, world):
    sink = Sink(responses=[500, 503, 502])
    try:
        org = world.organisation()
        endpoint = _endpoint(client, org, sink.url)
        client.post(
            f"{BASE}/organisations/{org}/webhooks/{endpoint['id']}/test", headers=_admin(org)
        )
        _drain()
        attempts = _attempts(endpoint["id"])
        assert [a.success for a in attempts] == [False, False, False, True]
        assert [a.status_code for a in attempts] == [500, 503, 502, 200]
        assert {a.error_class for a in attempts[:3]} == {"http"}
        ids = {r["headers"]["webhook-id"] for r in sink.requests}
        assert len(sink.requests) == 4 and len(ids) == 1  # the same id on every retry
        with db.transaction() as session:
            message = session.scalars(select(WebhookMessage)).one()
            assert message.status == "delivered" and message.attempt_count == 4
        logged = client.get(
            f"{BASE}/organisations/{org}/webhooks/{endpoint['id']}/attempts", headers=_admin(org)
        ).json["items"]
        assert [a["status_code"] for a in logged] == [200, 502, 503, 500]
        assert logged[0]["response_body"] == "ok"
    finally:
        sink.stop()


def test_retries_stop_after_the_schedule_and_the_message_can_be_replayed(client, world, app):
    sink = Sink(default=(500, {}, b"down", 0.0))
    try:
        org = world.organisation()
        endpoint = _endpoint(client, org, sink.url)
        base = f"{BASE}/organisations/{org}/webhooks/{endpoint['id']}"
        client.post(f"{base}/test", headers=_admin(org))
        _drain()
        schedule = app.config["WEBHOOKS_RETRY_SCHEDULE"]
        assert len(_attempts(endpoint["id"])) == len(schedule)
        failed = client.get(f"{base}/messages?status=failed", headers=_admin(org)).json["items"]
        assert len(failed) == 1
        sink.default = (204, {}, b"", 0.0)
        replayed = client.post(f"{base}/messages/{failed[0]['id']}/replay", headers=_admin(org))
        assert replayed.status_code == 202
        _drain()
        assert sink.requests[-1]["headers"]["webhook-id"] == failed[0]["id"]
        assert _attempts(endpoint["id"])[-1].success
        other = world.organisation()
        assert (
            client.post(
                f"{base}/messages/{failed[0]['id']}/replay", headers=_admin(other)
            ).status_code
            == 403
        )
    finally:
        sink.stop()


def test_a_redirect_is_a_failure_and_is_not_followed(client, world, sink):
    target = Sink()
    try:
        redirecting = Sink(default=(302, {"Location": target.url}, b"", 0.0))
        org = world.organisation()
        endpoint = _endpoint(client, org, redirecting.url)
        client.post(
            f"{BASE}/organisations/{org}/webhooks/{endpoint['id']}/test", headers=_admin(org)
        )
        delivery.deliver_due(db)
        first = _attempts(endpoint["id"])[0]
        assert not first.success and first.status_code == 302 and first.error_class == "http"
        assert target.requests == []
        redirecting.stop()
    finally:
        target.stop()


def test_a_410_disables_the_endpoint_and_keeps_its_messages(client, world, sink):
    sink.responses = [410]
    org = world.organisation()
    admin = world.admin(org)
    endpoint = _endpoint(client, org, sink.url)
    base = f"{BASE}/organisations/{org}/webhooks/{endpoint['id']}"
    client.post(f"{base}/test", headers=_admin(org))
    delivery.deliver_due(db)
    shown = client.get(base, headers=_admin(org)).json
    assert shown["enabled"] is False and shown["disabled_reason"] == "gone"
    _verify_event(world, org)  # arrives while disabled: kept, held
    held = client.get(f"{base}/messages?status=held", headers=_admin(org)).json["items"]
    assert len(held) == 2
    inbox = client.get(f"{BASE}/inbox", headers=headers(subject=admin, organisation=org))
    assert "webhook.endpoint_disabled" in [n["type"] for n in inbox.json["items"]]
    # Recovery needs the endpoint enabled again; then every held message goes out.
    since = (utcnow() - timedelta(hours=1)).isoformat()
    assert (
        client.post(f"{base}/recover", json={"since": since}, headers=_admin(org)).status_code
        == 409
    )
    client.patch(base, json={"enabled": True}, headers=_admin(org))
    recovered = client.post(f"{base}/recover", json={"since": since}, headers=_admin(org))
    assert recovered.status_code == 202 and recovered.json["recovered"] == 2
    _drain()
    assert len(sink.requests) == 3
    types = sorted(json.loads(r["body"])["type"] for r in sink.requests[1:])
    assert types == ["organisation.verified", "webhook.test"]


def test_an_endpoint_failing_for_five_days_is_disabled(client, world, sink):
    sink.default = (500, {}, b"", 0.0)
    org = world.organisation()
    endpoint = _endpoint(client, org, sink.url)
    base = f"{BASE}/organisations/{org}/webhooks/{endpoint['id']}"
    client.post(f"{base}/test", headers=_admin(org))
    delivery.deliver_due(db)
    assert client.get(base, headers=_admin(org)).json["enabled"] is True
    # Time moves: the endpoint has been failing for four days, then for just over five.
    for days, still_enabled in ((4, True), (5.01, False)):
        with db.transaction() as session:
            session.execute(
                update(WebhookEndpoint).values(failing_since=utcnow() - timedelta(days=days))
            )
            session.execute(update(WebhookMessage).values(next_attempt_at=utcnow()))
        delivery.deliver_due(db)
        shown = client.get(base, headers=_admin(org)).json
        assert shown["enabled"] is still_enabled
    assert shown["disabled_reason"] == "failing"


def test_a_success_resets_the_failure_clock(client, world, sink):
    sink.responses = [500]
    org = world.organisation()
    endpoint = _endpoint(client, org, sink.url)
    client.post(f"{BASE}/organisations/{org}/webhooks/{endpoint['id']}/test", headers=_admin(org))
    delivery.deliver_due(db)
    with db.transaction() as session:
        assert session.get(WebhookEndpoint, _uuid(endpoint["id"])).failing_since is not None
    _drain()
    with db.transaction() as session:
        assert session.get(WebhookEndpoint, _uuid(endpoint["id"])).failing_since is None


def test_429_and_timeouts_wait_at_least_the_minimum_and_retry_after_is_honoured(
    client, world, sink, app
):
    sink.responses = [(429, {"Retry-After": "3"}, b"", 0.0), (200, {}, b"", 2.5)]
    org = world.organisation()
    endpoint = _endpoint(client, org, sink.url)
    client.post(f"{BASE}/organisations/{org}/webhooks/{endpoint['id']}/test", headers=_admin(org))
    before = utcnow()
    delivery.deliver_due(db)
    with db.transaction() as session:
        message = session.scalars(select(WebhookMessage)).one()
        assert message.next_attempt_at - before >= timedelta(seconds=3)
        session.execute(update(WebhookMessage).values(next_attempt_at=utcnow()))
    delivery.deliver_due(db)  # the sink answers after the 2 s timeout
    attempts = _attempts(endpoint["id"])
    assert attempts[-1].error_class == "timeout" and attempts[-1].status_code is None
    with db.transaction() as session:
        message = session.scalars(select(WebhookMessage)).one()
        delay = message.next_attempt_at - attempts[-1].attempted_at
        assert delay >= timedelta(seconds=app.config["WEBHOOKS_THROTTLED_MIN_DELAY"])


def test_connection_and_dns_failures_are_classified(client, world):
    org = world.organisation()
    refused = _endpoint(client, org, "http://127.0.0.1:9/closed")
    unknown = _endpoint(client, org, "http://no-such-host.invalid/x")
    for endpoint in (refused, unknown):
        client.post(
            f"{BASE}/organisations/{org}/webhooks/{endpoint['id']}/test", headers=_admin(org)
        )
    delivery.deliver_due(db)
    assert _attempts(refused["id"])[0].error_class == "connection"
    assert _attempts(unknown["id"])[0].error_class == "dns"


def test_the_rate_limit_is_enforced(client, world, sink):
    org = world.organisation()
    endpoint = _endpoint(client, org, sink.url, rate_limit=2)
    for _ in range(5):
        client.post(
            f"{BASE}/organisations/{org}/webhooks/{endpoint['id']}/test", headers=_admin(org)
        )
    now = utcnow()
    assert delivery.deliver_due(db, now) == 2
    assert delivery.deliver_due(db, now) == 0  # within the same second
    assert delivery.deliver_due(db, now + timedelta(seconds=1.05)) == 2


def test_after_a_rotation_both_secrets_sign_until_the_old_one_expires(client, world, sink, app):
    from standardwebhooks.webhooks import Webhook

    org = world.organisation()
    endpoint = _endpoint(client, org, sink.url)
    base = f"{BASE}/organisations/{org}/webhooks/{endpoint['id']}"
    rotated = client.post(f"{base}/secret/rotate", headers=_admin(org))
    assert rotated.status_code == 201
    new = rotated.json["secret"]
    client.post(f"{base}/test", headers=_admin(org))
    delivery.deliver_due(db)
    request = sink.requests[-1]
    assert len(request["headers"]["webhook-signature"].split()) == 2
    for secret in (endpoint["secret"], new):
        Webhook(secret).verify(request["body"], request["headers"])
    app.config["WEBHOOKS_SECRET_OVERLAP"] = 0.0
    client.post(f"{base}/secret/rotate", headers=_admin(org))
    client.post(f"{base}/test", headers=_admin(org))
    delivery.deliver_due(db)
    assert len(sink.requests[-1]["headers"]["webhook-signature"].split()) == 1


def test_the_response_kept_is_capped(client, world, sink, app):
    sink.default = (200, {}, b"x" * 100_000, 0.0)
    org = world.organisation()
    endpoint = _endpoint(client, org, sink.url)
    client.post(f"{BASE}/organisations/{org}/webhooks/{endpoint['id']}/test", headers=_admin(org))
    delivery.deliver_due(db)
    assert len(_attempts(endpoint["id"])[0].response_body) == 32 * 1024


def _uuid(value):
    import uuid

    return uuid.UUID(value)


def test_each_attempt_records_what_triggered_it(client, world, sink):
    """scheduled (an event), retry (after a failure), test, replay, recovery: in the log."""
    sink.responses = [500]
    org = world.organisation()
    endpoint = _endpoint(client, org, sink.url)
    base = f"{BASE}/organisations/{org}/webhooks/{endpoint['id']}"
    _verify_event(world, org)
    delivery.deliver_due(db)  # scheduled: fails
    delivery.deliver_due(db, now=utcnow() + timedelta(seconds=5))  # retry: succeeds
    client.post(f"{base}/test", headers=_admin(org))
    delivery.deliver_due(db)
    event_message = _attempts(endpoint["id"])[0].message_id
    replayed = client.post(f"{base}/messages/{event_message}/replay", headers=_admin(org))
    assert replayed.status_code in (200, 202), replayed.json
    delivery.deliver_due(db)
    with db.transaction() as session:
        session.execute(update(WebhookMessage).values(status="failed", next_attempt_at=None))
    since = (utcnow() - timedelta(hours=1)).isoformat()
    recovered = client.post(f"{base}/recover", json={"since": since}, headers=_admin(org))
    assert recovered.json["recovered"] == 2
    delivery.deliver_due(db)
    triggers = [a.trigger for a in _attempts(endpoint["id"])]
    assert triggers == ["scheduled", "retry", "test", "replay", "recovery", "recovery"]
    shown = client.get(f"{base}/attempts", headers=_admin(org)).json["items"]
    assert [a["trigger"] for a in shown] == list(reversed(triggers))


def test_a_suspended_organisations_deliveries_are_held_until_it_is_reinstated(client, world, sink):
    org = world.organisation()
    endpoint = _endpoint(client, org, sink.url, event_types=["organisation.updated"])
    from shared.events import catalogue

    example = catalogue.latest("organisation.updated").example
    suspended = {**example, "id": org, "status": "suspended"}
    handle("organisation.suspended", suspended)
    handle("organisation.updated", {**suspended, "city": "Valbonne"})
    assert delivery.deliver_due(db) == 0
    with db.transaction() as session:
        held = session.scalars(
            select(WebhookMessage.status).where(WebhookMessage.endpoint_id == _uuid(endpoint["id"]))
        ).all()
    assert held == ["pending"] and sink.requests == []

    handle("organisation.verified", {**suspended, "status": "verified"})
    _drain()
    delivered = [json.loads(r["body"])["data"]["city"] for r in sink.requests]
    assert "Valbonne" in delivered


def test_a_replay_while_a_batch_is_in_flight_is_still_sent(client, world, sink):
    """The batch records its outcomes after the replay: the replay's schedule stands, whether
    the batch's send succeeded or failed, and the message goes out again."""
    import asyncio

    org = world.organisation()
    endpoint = _endpoint(client, org, sink.url)
    base = f"{BASE}/organisations/{org}/webhooks/{endpoint['id']}"
    for outcome_ok in (True, False):
        sink.default = (204, {}, b"", 0.0) if outcome_ok else (500, {}, b"down", 0.0)
        client.post(f"{base}/test", headers=_admin(org))
        with db.transaction() as session:
            [job] = delivery.claim_due(session, utcnow(), 10)
        outcomes = asyncio.run(delivery.send_all([job]))
        assert outcomes[0].success is outcome_ok
        replayed = client.post(f"{base}/messages/{job.message_id}/replay", headers=_admin(org))
        assert replayed.status_code == 202
        with db.transaction() as session:
            delivery.record(session, outcomes, utcnow())
        with db.transaction() as session:
            message = session.get(WebhookMessage, job.message_id, populate_existing=True)
            assert (message.status, message.next_trigger) == ("pending", "replay")
            assert message.next_attempt_at <= utcnow()
        sink.default = (204, {}, b"", 0.0)
        before = len(sink.requests)
        assert delivery.deliver_due(db) == 1
        assert [r["headers"]["webhook-id"] for r in sink.requests[before:]] == [job.message_id]
        with db.transaction() as session:
            message = session.get(WebhookMessage, job.message_id, populate_existing=True)
            assert message.status == "delivered"
