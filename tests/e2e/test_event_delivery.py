"""Events are never lost, whatever the broker does: Redis restarted empty or flushed while events
are written and while a consumer holds them, every subscriber's effects complete, none twice.

Real processes throughout: the services' workers on the run's private Redis, which the tests
kill, empty and flush; the publishers' relays are sent as beat would send them.
"""

from __future__ import annotations

import copy
import random
import threading
import uuid
from collections import Counter

import pytest
import sqlalchemy as sa

from shared.auth import Caller
from shared.events import catalogue, emit
from tests.e2e.conftest import CONFIRM_DEADLINE
from tests.support.backbone import (
    CONSUMERS,
    PUBLISHERS,
    db_of,
    model,
    processed_ids,
    row,
    unconfirmed,
    wait_relaying,
)
from tests.support.waiting import wait_until
from tests.support.workers import Worker

pytestmark = pytest.mark.e2e
STAFF = Caller(str(uuid.uuid4()), "user", None, frozenset({"platform_admin"}))


def outcome_counts(worker: Worker) -> Counter:
    """(event id, outcome) -> how often the service's workers logged it, restarts included."""
    import re

    text = worker.log_path.read_text(errors="replace")
    return Counter(re.findall(r"event ([0-9a-f-]{36}) \([^)]*\) ([a-z-]+)", text))


def everything_confirmed() -> bool:
    return all(unconfirmed(service) == 0 for service in PUBLISHERS)


def keep_workers_running(workers: dict) -> None:
    """What `make run`'s supervisor, compose and Kubernetes do: a worker that died is restarted."""
    for service, worker in list(workers.items()):
        if worker.process is None or worker.process.poll() is not None:
            workers[service] = Worker(service, extra_env=CONFIRM_DEADLINE).start()


def test_events_queued_for_a_paused_worker_are_handled_after_redis_restarts_empty(
    workers, make, redis_server
):
    from services.members.domain import organisations

    orgs = [make.registered(status="pending")[0] for _ in range(3)]
    wait_relaying(everything_confirmed)
    workers["notifications"].pause()
    try:
        before = {r["id"] for r in make.events()}
        for org in orgs:
            with db_of("members").transaction() as session:
                organisations.update(session, STAFF, org.id, {"city": "Valbonne"})
        ids = {r["id"] for r in make.events()} - before
        assert len(ids) == 3
        # Sent, and waiting in the paused worker's queue, when Redis loses everything.
        wait_until(lambda: all(r["published_at"] for r in make.events() if r["id"] in ids))
        redis_server.restart_empty()
    finally:
        workers["notifications"].resume()
    wait_relaying(lambda: keep_workers_running(workers) or ids <= processed_ids("notifications"))
    counts = outcome_counts(workers["notifications"])
    assert all(counts[(event_id, "handled")] == 1 for event_id in ids)
    for org in orgs:
        assert row("notifications", "Organisation", org.id).city == "Valbonne"
    wait_relaying(lambda: keep_workers_running(workers) or everything_confirmed())


def _announcement() -> dict:
    data = copy.deepcopy(catalogue.latest("announcement.published").example)
    data["announcement"]["id"] = str(uuid.uuid4())
    return data


def _project() -> dict:
    data = copy.deepcopy(catalogue.latest("project.published").example)
    data["project"]["id"] = str(uuid.uuid4())
    return data


@pytest.mark.timeout(900)  # a thousand events through real workers, on a busy machine
def test_a_thousand_events_survive_redis_restarted_empty_twice_and_flushed_once(
    workers, make, redis_server
):
    from services.members.domain import organisations

    orgs = [make.registered()[0] for _ in range(10)]
    listener, admin = make.registered(name="Nanjing Listener")
    wait_relaying(lambda: row("notifications", "User", admin.id))
    # Every earlier event handled first: the endpoint is to receive the thousand below only.
    wait_relaying(everything_confirmed)
    endpoint = model("notifications", "WebhookEndpoint")(
        organisation_id=listener.id, url="http://127.0.0.1:9/hook", created_by="test"
    )
    with db_of("notifications").transaction() as session:
        session.add(endpoint)
    wait_relaying(everything_confirmed)
    before = {service: {r["id"] for r in _outbox(service)} for service in PUBLISHERS}

    # 1,000 events from three publishers, in a random order.
    plan = ["members"] * 400 + ["projects"] * 300 + ["announcements"] * 300
    random.shuffle(plan)
    written = [0]

    def write_all():
        for index, publisher in enumerate(plan):
            if publisher == "members":
                org = orgs[index % len(orgs)]
                with db_of("members").transaction() as session:
                    organisations.update(session, STAFF, org.id, {"city": f"Biot {index}"})
            else:
                event_type, data = (
                    ("project.published", _project())
                    if publisher == "projects"
                    else ("announcement.published", _announcement())
                )
                with db_of(publisher).transaction() as session:
                    emit(session, event_type, data)
            written[0] += 1

    writer = threading.Thread(target=write_all)
    writer.start()
    faults = [redis_server.restart_empty, redis_server.restart_empty, redis_server.flush]
    random.shuffle(faults)
    for at, fault in zip(sorted(random.sample(range(50, 950), 3)), faults, strict=True):
        wait_until(lambda at=at: written[0] >= at or not writer.is_alive(), timeout=300)
        fault()
    writer.join(300)
    assert written[0] == 1000

    events = {
        service: [r for r in _outbox(service) if r["id"] not in before[service]]
        for service in PUBLISHERS
    }
    assert sum(len(e) for e in events.values()) == 1000
    owed = {service: set() for service in CONSUMERS}
    for rows in events.values():
        for r in rows:
            for subscriber in catalogue.get(r["type"], r["version"]).subscribers:
                owed[subscriber].add(r["id"])

    def caught_up() -> bool:
        keep_workers_running(workers)
        return all(owed[s] <= processed_ids(s) for s in CONSUMERS) and everything_confirmed()

    wait_relaying(caught_up, timeout=600)

    # Each consumer handled each event once, whatever was sent again.
    for service in CONSUMERS:
        counts = outcome_counts(workers[service])
        twice = [i for i in owed[service] if counts[(i, "handled")] != 1]
        assert not twice, f"{service} handled {len(twice)} events other than once"
    # Effects: the projections have the last word; one inbox item per person and announcement;
    # one webhook message per event for the listening endpoint.
    for service in CONSUMERS:
        for org in orgs:
            last = max(
                (r for r in events["members"] if r["data"]["id"] == str(org.id)),
                key=lambda r: r["occurred_at"],
            )
            assert row(service, "Organisation", org.id).city == last["data"]["city"]
    announcements = {r["id"] for r in events["announcements"]}
    notifications = db_of("notifications")
    with notifications.engine.connect() as connection:
        inbox = model("notifications", "Notification").__table__
        told = Counter(
            connection.execute(
                sa.select(inbox.c.event_id).where(inbox.c.user_id == admin.id)
            ).scalars()
        )
        messages = model("notifications", "WebhookMessage").__table__
        sent = Counter(
            connection.execute(
                sa.select(messages.c.event_id).where(messages.c.endpoint_id == endpoint.id)
            ).scalars()
        )
    assert {i for i in announcements if told[i] == 1} == announcements
    public = {r["id"] for rows in events.values() for r in rows}
    assert set(sent) == public and set(sent.values()) == {1}


def _outbox(service: str) -> list[dict]:
    table = db_of(service).events.outbox
    with db_of(service).engine.connect() as connection:
        return [dict(r) for r in connection.execute(sa.select(table)).mappings()]
