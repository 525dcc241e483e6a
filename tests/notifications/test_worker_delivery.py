"""End to end on real workers: an event handled on `notifications`, delivered from `webhooks`."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from services.notifications.models import WebhookMessage, db
from shared.db import utcnow
from shared.events import catalogue
from tests.notifications.support import envelope, handle, headers
from tests.support.waiting import wait_until
from tests.support.workers import Worker

BASE = "/api/notifications/v1"


@pytest.fixture
def workers(redis_server):
    redis_server.flush()  # no event left queued by another module's writes
    started = [
        Worker("notifications").start(),
        Worker(
            "notifications",
            queues="webhooks",
            pool="threads",
            concurrency=4,
            name="webhooks-test@%h",
        ).start(),
    ]
    yield started
    for worker in started:
        worker.stop()


def test_an_event_reaches_a_webhook_and_an_admins_mailbox_through_the_workers(
    client, app, workers, smtp
):
    from standardwebhooks.webhooks import Webhook

    from services.notifications.tasks import celery_app
    from tests.notifications.support import Sink, verified_quietly

    sink = Sink(responses=[500])
    try:
        example = catalogue.get("organisation.verified", 1).example
        org = example["id"]
        verified_quietly(org)  # only verified organisations add webhooks
        endpoint = client.post(
            f"{BASE}/organisations/{org}/webhooks",
            json={"url": sink.url, "event_types": ["organisation.verified"]},
            headers=headers(organisation=org, roles=["org_admin"]),
        ).json
        admin = {
            **catalogue.get("member.joined", 1).example,
            "role": "org_admin",
            "email": "admin@zijin-bio.example",
            "organisation_id": org,
        }
        handle("member.joined", admin)
        message = envelope("organisation.verified", example)
        celery_app.send_task("notifications.handle_event", args=[message], queue="notifications")
        wait_until(lambda: len(sink.requests) >= 1, timeout=30)

        def first_attempt_recorded():
            with db.transaction() as session:
                # The retry may already have followed (it is due 50 ms later).
                return session.scalar(select(func.max(WebhookMessage.attempt_count))) >= 1

        # The worker records the failure just after the sink answers: wait, then move time on.
        wait_until(first_attempt_recorded, timeout=30)
        # The first attempt failed; the retry is due in the database, found by the dispatch.
        with db.transaction() as session:
            session.execute(update(WebhookMessage).values(next_attempt_at=utcnow()))
        celery_app.send_task("notifications.dispatch_due_webhooks", queue="notifications")
        wait_until(lambda: len(sink.requests) >= 2, timeout=30)
        last = sink.requests[-1]
        assert (
            Webhook(endpoint["secret"]).verify(last["body"], last["headers"])["data"]["id"] == org
        )
        assert sink.requests[0]["headers"]["webhook-id"] == last["headers"]["webhook-id"]
        [mail] = smtp.wait_for(1, to="admin@zijin-bio.example")
        assert mail["Subject"] == "南京紫金生物医药科技 已通过审核"  # Li Na reads Chinese
    finally:
        sink.stop()


@pytest.fixture
def webhooks_worker(redis_server):
    """A `webhooks` worker retrying 2 s after a first failure, and no beat: nothing dispatches."""
    redis_server.flush()
    worker = Worker(
        "notifications",
        queues="webhooks",
        pool="threads",
        concurrency=4,
        name="webhooks-retry-test@%h",
        extra_env={"WEBHOOKS_RETRY_SCHEDULE": "0,2", "WEBHOOKS_RETRY_JITTER": "0"},
    ).start()
    yield worker
    worker.stop()


def test_a_retry_goes_out_when_it_falls_due_not_at_the_next_dispatch_tick(
    client, app, world, webhooks_worker
):
    from services.notifications.tasks import celery_app
    from tests.notifications.support import Sink

    sink = Sink(responses=[500])
    try:
        org = world.organisation()
        auth = headers(organisation=org, roles=["org_admin"])
        endpoint = client.post(
            f"{BASE}/organisations/{org}/webhooks", json={"url": sink.url}, headers=auth
        ).json
        sent = client.post(
            f"{BASE}/organisations/{org}/webhooks/{endpoint['id']}/test", headers=auth
        )
        assert sent.status_code in (200, 201, 202), sent.json
        celery_app.send_task("notifications.deliver_webhooks", queue="webhooks")
        # No beat runs here: only the wake-up the failed attempt leaves behind sends the retry.
        wait_until(lambda: len(sink.requests) >= 2, timeout=15)
        gap = sink.requests[1]["at"] - sink.requests[0]["at"]
        assert 1.9 <= gap <= 3.0, f"the retry due 2 s after the failure came after {gap:.2f} s"

        def logged():  # the worker records the attempt just after the sink has answered
            return client.get(
                f"{BASE}/organisations/{org}/webhooks/{endpoint['id']}/attempts", headers=auth
            ).json["items"]

        wait_until(lambda: len(logged()) == 2, timeout=15)
        assert [a["trigger"] for a in reversed(logged())] == ["test", "retry"]
    finally:
        sink.stop()


def test_a_worker_in_the_middle_of_a_batch_lives_through_redis_restarting_empty(
    client, app, workers, redis_server
):
    """The batch's task is unacknowledged when the broker goes away: the worker reconnects
    (instead of exiting on handing it back) and delivers what comes after."""
    import threading

    from services.notifications.tasks import celery_app
    from tests.notifications.support import Sink, verified_quietly

    held = threading.Event()
    sink = Sink(responses=[(200, {}, b"", held)])
    try:
        org = catalogue.get("organisation.verified", 1).example["id"]
        verified_quietly(org)
        admin = headers(organisation=org, roles=["org_admin"])
        endpoint = client.post(
            f"{BASE}/organisations/{org}/webhooks", json={"url": sink.url}, headers=admin
        ).json
        test_path = f"{BASE}/organisations/{org}/webhooks/{endpoint['id']}/test"
        assert client.post(test_path, headers=admin).status_code == 202
        wait_until(lambda: len(sink.requests) == 1, timeout=30)  # the batch waits on the sink
        redis_server.restart_empty()
        held.set()
        webhooks = workers[1]

        second = client.post(test_path, headers=admin).json["id"]

        def delivered_after_reconnecting():
            assert webhooks.process.poll() is None, webhooks.log_tail()
            # What the API queued may have gone before the worker declared its queue again.
            celery_app.send_task("notifications.deliver_webhooks", queue="webhooks")
            return second in {r["headers"].get("webhook-id") for r in sink.requests}

        wait_until(delivered_after_reconnecting, timeout=60, interval=0.5)
    finally:
        held.set()
        sink.stop()
