"""notifications under test: its app on the run's database, real tokens, real HTTP sinks."""

from __future__ import annotations

import os

import pytest

from tests.support.databases import empty

# Worker processes started by these tests read the same settings from the environment.
os.environ["WEBHOOKS_ALLOW_PRIVATE_TARGETS"] = "true"
os.environ["WEBHOOKS_RETRY_SCHEDULE"] = "0,0.05,0.05,0.05,0.05"
os.environ["WEBHOOKS_RETRY_JITTER"] = "0"
os.environ["WEBHOOKS_THROTTLED_MIN_DELAY"] = "0.5"
os.environ["WEBHOOKS_TIMEOUT"] = "2"

from tests.notifications import support

TEST_CONFIG = {
    "TESTING": True,
    "WEBHOOKS_ALLOW_PRIVATE_TARGETS": True,
    "WEBHOOKS_RETRY_SCHEDULE": [0, 0.05, 0.05, 0.05, 0.05],
    "WEBHOOKS_RETRY_JITTER": 0.0,
    "WEBHOOKS_THROTTLED_MIN_DELAY": 0.5,
    "WEBHOOKS_TIMEOUT": 2.0,
}


@pytest.fixture(scope="session")
def notifications_app(migrated):
    from services.notifications import create_app

    return create_app(TEST_CONFIG, key_source=support.KEY_SOURCE)


@pytest.fixture
def app(notifications_app):
    from services.notifications.models import db

    saved = dict(notifications_app.config)
    notifications_app.config.update(TEST_CONFIG)
    # A clean slate: end-to-end packages before this one leave endpoints and due messages that
    # would fill a delivery batch ahead of this test's.
    empty(db)
    with notifications_app.app_context():
        yield notifications_app
    notifications_app.config.clear()
    notifications_app.config.update(saved)
    empty(db)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def world(app):
    """Organisations and people, fed through notifications' own event handlers."""
    return support.World()


@pytest.fixture
def sink():
    server = support.Sink()
    yield server
    server.stop()
