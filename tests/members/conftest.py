"""members under test: the app from its factory on the run's database, emptied between tests."""

from __future__ import annotations

import pytest

from tests.members import factories
from tests.support.databases import empty


@pytest.fixture
def app(members_app):
    from services.members.models import db

    yield members_app
    empty(db)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make(app):
    """Factories that build members data straight in the database (see factories.py)."""
    with app.app_context():
        yield factories.Factories(app)
