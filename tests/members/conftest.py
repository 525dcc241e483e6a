"""members under test: the app from its factory on the run's database, emptied between tests."""

from __future__ import annotations

import pytest

from tests.members import factories


@pytest.fixture
def app(members_app):
    from services.members.models import db

    yield members_app
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            if table.name != "signing_keys":
                connection.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make(app):
    """Factories that build members data straight in the database (see factories.py)."""
    with app.app_context():
        yield factories.Factories(app)
