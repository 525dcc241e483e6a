"""The whole platform for portal tests: every service's API behind one URL, real workers behind it.

The portal only knows one API base URL (the gateway in production). Here one threaded HTTP server
routes `/api/<service>/v1/...` to each service's app, unchanged, and real Celery worker processes
carry events between the services, so an organisation registered in members shows up in projects'
projection the way it does in production. `settle()` waits until every event written so far has
been consumed by each of its subscribers: a page test calls it before reading what events made.
"""

from __future__ import annotations

import os

import redis
from sqlalchemy import select

from shared.events import catalogue
from tests.portal.support import ThreadedServer
from tests.support.databases import empty
from tests.support.waiting import wait_until
from tests.support.workers import Worker

SERVICES = ("members", "projects", "announcements", "notifications")
CONSUMERS = ("projects", "announcements", "notifications")
# What the notifications app and its workers need to deliver to a sink on this machine.
WEBHOOK_ENV = {
    "WEBHOOKS_ALLOW_PRIVATE_TARGETS": "true",
    "WEBHOOKS_RETRY_SCHEDULE": "0,0.05,0.05,0.05,0.05",
    "WEBHOOKS_RETRY_JITTER": "0",
    "WEBHOOKS_TIMEOUT": "2",
}
WEBHOOK_CONFIG = {
    "WEBHOOKS_ALLOW_PRIVATE_TARGETS": True,
    "WEBHOOKS_RETRY_SCHEDULE": [0, 0.05, 0.05, 0.05, 0.05],
    "WEBHOOKS_RETRY_JITTER": 0.0,
    "WEBHOOKS_TIMEOUT": 2.0,
}


class Router:
    """A gateway in one WSGI callable: `/api/<service>/...` to that service's app, as nginx does."""

    def __init__(self):
        self.apps: dict[str, object] = {}

    def __call__(self, environ, start_response):
        parts = environ.get("PATH_INFO", "").split("/")
        app = self.apps.get(parts[2]) if len(parts) > 2 and parts[1] == "api" else None
        if app is None:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"no such service"]
        return app(environ, start_response)


class Platform:
    """members, projects, announcements and notifications served at `url`, with their workers."""

    def __init__(self, members_app):
        from services.announcements import create_app as announcements
        from services.notifications import create_app as notifications
        from services.projects import create_app as projects

        self.router = Router()
        self.server = ThreadedServer(self.router)
        jwks = {"JWKS_URL": f"{self.url}/api/members/v1/.well-known/jwks.json", "TESTING": True}
        self.apps = {
            "members": members_app,
            "projects": projects(jwks),
            "announcements": announcements(jwks),
            "notifications": notifications({**jwks, **WEBHOOK_CONFIG}),
        }
        self.router.apps.update(self.apps)
        self.workers: list[Worker] = []

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> Platform:
        # Events left queued by other test modules name rows that no longer exist.
        redis.Redis.from_url(os.environ["REDIS_URL"]).flushall()
        self.server.start()
        # members' worker too: it gathers the parts of data exports the others send it.
        for service in (*CONSUMERS, "members"):
            self.workers.append(Worker(service, name=f"{service}-portal@%h").start())
        self.workers.append(
            Worker(
                "notifications",
                queues="webhooks",
                pool="threads",
                concurrency=4,
                name="webhooks-portal@%h",
                extra_env=WEBHOOK_ENV,
            ).start()
        )
        return self

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.server.stop()

    def settle(self, timeout: float = 30.0) -> None:
        """Wait until every event in any outbox is processed or dead-lettered by its subscribers."""
        wait_until(lambda: not self.pending(), timeout=timeout, interval=0.05)

    def pending(self) -> list[tuple[str, str, str]]:
        """(subscriber, event type, event id) still to be consumed."""
        written: list[tuple[str, str, int]] = []
        for service in SERVICES:
            db = self._db(service)
            outbox = db.events.outbox
            with db.engine.connect() as connection:
                rows = connection.execute(select(outbox.c.id, outbox.c.type, outbox.c.version))
                written.extend(rows.all())
        consumed: dict[str, set[str]] = {}
        for service in CONSUMERS:
            db = self._db(service)
            tables = db.events
            with db.engine.connect() as connection:
                done = set(connection.scalars(select(tables.processed_events.c.event_id)))
                done |= set(connection.scalars(select(tables.dead_letters.c.event_id)))
            consumed[service] = done
        missing = []
        for event_id, event_type, version in written:
            for subscriber in catalogue.get(event_type, version).subscribers:
                if subscriber in consumed and event_id not in consumed[subscriber]:
                    missing.append((subscriber, event_type, event_id))
        return missing

    def empty(self) -> None:
        """Every table of every service emptied, members' signing keys kept."""
        for service in SERVICES:
            empty(self._db(service))

    def clear_sessions(self) -> None:
        """Portal sessions and sign-in rate limits of earlier tests, the queues left alone."""
        client = redis.Redis.from_url(os.environ["REDIS_URL"])
        for pattern in ("portal:*", "LIMITS*"):
            keys = list(client.scan_iter(match=pattern, count=500))
            if keys:
                client.delete(*keys)

    @staticmethod
    def _db(service: str):
        module = __import__(f"services.{service}.models", fromlist=["db"])
        return module.db

    def open_project(self, headers: dict, **overrides) -> dict:
        """A project created and opened through the projects API with `headers` (a token)."""
        from tests.projects.factories import project_body

        client = self.apps["projects"].test_client()
        created = client.post(
            "/api/projects/v1/projects", json=project_body(**overrides), headers=headers
        )
        assert created.status_code == 201, created.get_json()
        project = created.get_json()
        opened = client.post(
            f"/api/projects/v1/projects/{project['id']}/transitions",
            json={"to_state": "open"},
            headers=headers,
        )
        assert opened.status_code == 200, opened.get_json()
        return project


def running_platform(members_app):
    """For a package-scoped fixture: the platform while that package's tests run, stopped after,
    so its workers never take the queues of another package's tests."""
    running = Platform(members_app).start()
    try:
        yield running
    finally:
        running.stop()


def factories_on(platform: Platform, members_app):
    """For a test's fixture: members' factories on an emptied platform, emptied again after
    the test once every event it caused is consumed."""
    from tests.members.factories import Factories

    platform.clear_sessions()
    platform.empty()
    with members_app.app_context():
        yield Factories(members_app)
    platform.settle()
    platform.empty()
