"""Events end to end: a committed members write to the projects worker's committed effect.

Beside each figure, the same measurement of a no-op Celery task on the same broker in the same
run (`bench/noop_tasks.py`): the round trip of one task on an idle system, and how fast one
worker instance drains a burst queued before it (so the figure is the consumer's, not how fast
this process publishes). Both workers are one process each, solo pool. Redis is a
private redis-server; the databases are throwaway (SQLite, or `BENCH_DATABASE_URL`).
"""

from __future__ import annotations

import os
import socket
import statistics
import time
import uuid
from datetime import UTC, datetime

import redis

from bench import databases
from bench.organisations import fill
from bench.workers import celery_worker

AIM_THROUGHPUT = 0.5
AIM_P50_MS = 10.0
POLL = 0.0002
# While a burst drains: a few milliseconds of precision over seconds, at a negligible cost.
BURST_POLL = 0.005
STAFF_ID = str(uuid.UUID(int=1))


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)]
    return statistics.median(ordered) * 1000, p99 * 1000


class Members:
    """members in this process: its app, and organisation updates through the domain."""

    def __init__(self):
        from services.members import create_app
        from services.members.domain import organisations
        from services.members.models import db
        from shared.auth import PLATFORM_ADMIN, Caller

        self.app = create_app()
        self.db = db
        self.domain = organisations
        self.staff = Caller(STAFF_ID, "user", None, frozenset({PLATFORM_ADMIN}))
        self.commit_seconds = 0.0

    def write(self, changes: dict[uuid.UUID, str]) -> float:
        """Set each organisation's website in one transaction; when the commit started."""
        session = self.db.session()
        try:
            for org_id, website in changes.items():
                self.domain.update(session, self.staff, org_id, {"website": website})
            started = time.perf_counter()
            session.commit()  # the outbox fast path publishes right after the commit
            self.commit_seconds = time.perf_counter() - started
            return started
        except BaseException:
            session.rollback()
            raise
        finally:
            self.db.session.remove()


class Projection:
    """The projects service's copy of organisations, read from its own database."""

    def __init__(self, url: str):
        from sqlalchemy import bindparam, func, select

        from services.projects.models import Organisation
        from shared.db import build_engine

        self.engine = build_engine(url)
        table = Organisation.__table__
        self._website = select(table.c.website).where(table.c.id == bindparam("id"))
        self._count = select(func.count()).where(table.c.website.like(bindparam("pattern")))

    def seed(self, rows: list[dict]) -> None:
        """The projection as an earlier sync left it, so the burst updates rows, as in life."""
        from sqlalchemy import insert

        from services.projects.models import Organisation
        from shared.projections import ORGANISATION_FIELDS

        old = datetime(2000, 1, 1, tzinfo=UTC)
        values = [
            {"id": row["id"], "revision": old, **{f: row[f] for f in ORGANISATION_FIELDS}}
            for row in rows
        ]
        with self.engine.begin() as connection:
            connection.execute(insert(Organisation.__table__), values)

    def wait_for(
        self, org_id: uuid.UUID, website: str, timeout: float = 30, poll: float = POLL
    ) -> float:
        """Poll until the row shows `website`; when it was first seen."""
        deadline = time.perf_counter() + timeout
        with self.engine.connect() as connection:
            while True:
                seen = connection.execute(self._website, {"id": org_id}).scalar()
                connection.rollback()
                now = time.perf_counter()
                if seen == website:
                    return now
                if now > deadline:
                    raise TimeoutError(f"projects never showed {website} for {org_id}")
                time.sleep(poll)

    def wait_for_count(self, pattern: str, count: int, timeout: float = 300) -> float:
        deadline = time.perf_counter() + timeout
        with self.engine.connect() as connection:
            while True:
                seen = connection.execute(self._count, {"pattern": pattern}).scalar()
                connection.rollback()
                now = time.perf_counter()
                if seen >= count:
                    return now
                if now > deadline:
                    raise TimeoutError(f"projects showed {seen} of {count} after {timeout}s")
                time.sleep(0.01)


def _event_latency(members: Members, projection: Projection, org_id, count: int) -> list[float]:
    samples = []
    for i in range(count):
        website = f"https://latency-{i}.example"
        started = members.write({org_id: website})
        samples.append(projection.wait_for(org_id, website) - started)
        time.sleep(0.02)  # idle between writes
    return samples


class Paused:
    """A worker told to stop taking tasks from its queue, so a burst can pile up before it."""

    def __init__(self, celery_app, queue: str):
        self.control = celery_app.control
        self.queue = queue
        self.worker = [f"{queue}-bench@{socket.gethostname()}"]
        self.broker = redis.Redis.from_url(os.environ["REDIS_URL"])

    def __enter__(self):
        replies = self.control.cancel_consumer(self.queue, destination=self.worker, reply=True)
        assert replies, f"the {self.queue} worker did not answer"
        return self

    def __exit__(self, *_exc):
        self.control.add_consumer(self.queue, destination=self.worker, reply=True)

    def resume(self, count: int) -> float:
        """Let the worker take the burst; when it took the first task of it."""
        assert self.broker.llen(self.queue) >= count, "the burst is not all queued"
        self.control.add_consumer(self.queue, destination=self.worker, reply=True)
        while self.broker.llen(self.queue) >= count:
            time.sleep(POLL)
        return time.perf_counter()


def _event_burst(celery_app, members: Members, projection: Projection, ids: list) -> float:
    """Events per second: the burst committed and queued first, then drained by the worker.

    As for the no-op tasks, the end is when the last event's effect shows (one solo worker takes
    them in order), watched by one indexed read every few milliseconds; then a count checks that
    every other one is there too, waiting on if one is not.
    """
    with Paused(celery_app, "projects") as paused:
        members.write({org_id: f"https://burst.example/{i}" for i, org_id in enumerate(ids)})
        started = paused.resume(len(ids))
    projection.wait_for(ids[-1], f"https://burst.example/{len(ids) - 1}", 300, BURST_POLL)
    return len(ids) / (projection.wait_for_count("https://burst.example/%", len(ids)) - started)


def _recovery(redis, members: Members, projection: Projection, ids: list, tmp) -> float:
    """Seconds from Redis back, empty, to the projection holding all of a pending burst.

    The burst is committed and sent while no projects worker runs; Redis then loses everything.
    From the moment it answers again: the worker starts, the members relay runs once (as beat
    would at its next tick) and sends every delivery left unconfirmed, the worker applies them.
    """
    from shared.events import publisher

    pattern = "https://recovered.example/{}"
    members.write({org_id: pattern.format(i) for i, org_id in enumerate(ids)})
    redis.restart_empty()
    started = time.perf_counter()
    with celery_worker("services.projects.tasks:celery_app", "projects", tmp / "projects.log"):
        publisher.relay(members.db)
        done = projection.wait_for_count(pattern.format("%"), len(ids), timeout=600)
    return done - started


def _noop_latency(noop, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        noop.apply_async().get(timeout=30)
        samples.append(time.perf_counter() - started)
        time.sleep(0.02)
    return samples


def _noop_burst(celery_app, noop, queue: str, count: int) -> float:
    """Tasks per second: `count` queued first, then drained; done when the last one's is."""
    with Paused(celery_app, queue) as paused:
        with celery_app.connection_for_write() as connection:
            for _ in range(count - 1):
                noop.apply_async(ignore_result=True, connection=connection)
            last = noop.apply_async(connection=connection)
        started = paused.resume(count)
    last.get(timeout=300)  # one solo worker takes them in order: the last is done last
    return count / (time.perf_counter() - started)


def _line(label: str, value: str, beside: str, verdict: str = "") -> None:
    print(f"{label:<40} {value:>22}   beside no-op task: {beside}{verdict}", flush=True)


def main() -> None:
    from tests.support.servers import RedisServer

    burst = 500 if databases.quick() else 5000
    rounds = 50 if databases.quick() else 300
    print(f"== events: members write -> projects projection (burst of {burst:,}) ==", flush=True)
    redis = RedisServer()
    redis.start()
    try:
        with (
            databases.temporary_dir("bench-events-") as tmp,
            databases.service_database("members", tmp) as members_url,
            databases.service_database("projects", tmp) as projects_url,
        ):
            os.environ.update(
                REDIS_URL=redis.url,
                MEMBERS_DATABASE_URL=members_url,
                PROJECTS_DATABASE_URL=projects_url,
                VAR_DIR=str(tmp / "var"),
                LOG_LEVEL="WARNING",
            )
            _run(tmp, burst, rounds, redis)
    finally:
        redis.stop()


def _run(tmp, burst: int, rounds: int, redis) -> None:
    from bench.noop_tasks import QUEUE, celery_app, noop

    members = Members()
    with members.app.app_context():
        rows = fill(members.db.engine, burst, seed=3)
    ids = [row["id"] for row in rows]
    projection = Projection(os.environ["PROJECTS_DATABASE_URL"])
    projection.seed(rows)
    with celery_worker("bench.noop_tasks:celery_app", QUEUE, tmp / "noop.log"):
        noop.apply_async().get(timeout=60)  # ready
        noop_p50, noop_p99 = _percentiles(_noop_latency(noop, rounds))
        noop_rate = _noop_burst(celery_app, noop, QUEUE, burst)
    with (
        members.app.app_context(),
        celery_worker("services.projects.tasks:celery_app", "projects", tmp / "projects.log"),
    ):
        members.write({ids[0]: "https://ready.example"})
        projection.wait_for(ids[0], "https://ready.example", timeout=60)
        p50, p99 = _percentiles(_event_latency(members, projection, ids[0], rounds))
        rate = _event_burst(celery_app, members, projection, ids)
        published = members.commit_seconds
    with members.app.app_context():
        recovered = _recovery(redis, members, projection, ids, tmp)
    _line("event latency p50", f"{p50:.1f} ms", f"{noop_p50:.1f} ms round trip", _aim_p50(p50))
    _line("event latency p99", f"{p99:.1f} ms", f"{noop_p99:.1f} ms round trip")
    ratio = rate / noop_rate
    verdict = "met" if ratio >= AIM_THROUGHPUT else "NOT met"
    _line(
        f"burst of {burst:,} events",
        f"{rate:.0f} events/s",
        f"{noop_rate:.0f} tasks/s = {ratio:.0%}",
        f"  (aim {AIM_THROUGHPUT:.0%}: {verdict})",
    )
    from shared.beat import RELAY_EVERY

    print(
        f"{'caught up after Redis restarted empty':<40} {recovered:>20.1f} s   "
        f"{burst:,} events pending, lost with the broker; plus up to the relay interval "
        f"({RELAY_EVERY:.0f} s) for beat's next relay",
        flush=True,
    )
    print(
        f"(queued before the worker took any: committing and publishing the burst took "
        f"{published:.1f} s, {burst / published:.0f} events/s, each to every subscriber)",
        flush=True,
    )


def _aim_p50(p50: float) -> str:
    return f"  (aim < {AIM_P50_MS:.0f} ms: {'met' if p50 < AIM_P50_MS else 'NOT met'})"


if __name__ == "__main__":
    main()
