"""members under test: the app from its factory on the run's database, emptied between tests."""

from __future__ import annotations

import pytest

from tests.members import factories
from tests.support.databases import empty


@pytest.fixture
def app(members_app):
    import redis

    from services.members.models import db

    yield members_app
    empty(db)
    # Sign-in and reset limits count per address, and every test client is 127.0.0.1.
    connection = redis.Redis.from_url(members_app.config["REDIS_URL"])
    for key in connection.scan_iter("LIMITS*"):
        connection.delete(key)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make(app):
    """Factories that build members data straight in the database (see factories.py)."""
    with app.app_context():
        yield factories.Factories(app)
