"""announcements under test: its app on the run's database, emptied between tests.

Tokens are signed with a test key the app trusts through a CallableKeySource; organisations
are written into the projection as members' events would leave them.
"""

from __future__ import annotations

import pytest

from tests.announcements import factories
from tests.support.databases import empty


@pytest.fixture(scope="session")
def announcements_app(migrated):
    from services.announcements import create_app

    return create_app({"TESTING": True}, key_source=factories.KEY_SOURCE)


@pytest.fixture
def app(announcements_app):
    from services.announcements.models import db

    empty(db)
    yield announcements_app
    _check_outbox(db)
    empty(db)


def _check_outbox(db) -> None:
    """Every event a test caused is valid against the catalogue and comes from announcements."""
    from shared.events import catalogue
    from shared.events.outbox import as_json

    with db.engine.connect() as connection:
        rows = connection.execute(db.events.outbox.select()).mappings().all()
    for row in rows:
        entry, _data = catalogue.validate(as_json(dict(row)))
        assert entry.source == "announcements"
        assert entry.subscribers  # notifications for announcements, members for data parts


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make(app, client):
    with app.app_context():
        yield factories.Factories(app, client)


@pytest.fixture
def outbox(app):
    """The events recorded so far, as (type, data) pairs in order."""
    from services.announcements.models import db

    def read(event_type: str | None = None) -> list[dict]:
        with db.engine.connect() as connection:
            rows = connection.execute(
                db.events.outbox.select().order_by(db.events.outbox.c.occurred_at)
            ).mappings()
            return [
                dict(row)["data"] for row in rows if event_type is None or row["type"] == event_type
            ]

    return read


@pytest.fixture
def worker(app):
    """A real announcements worker process, as in production (no eager mode)."""
    from tests.support.workers import Worker

    worker = Worker("announcements").start()
    yield worker
    worker.stop()


@pytest.fixture
def run_periodic():
    """Send a periodic task exactly as the platform's one beat does on each tick."""
    from shared import beat

    def send(name: str) -> None:
        entry = beat.celery_app.conf.beat_schedule[name]
        beat.celery_app.send_task(entry["task"], **entry["options"])

    return send
