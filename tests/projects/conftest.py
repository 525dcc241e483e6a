"""projects under test: the app from its factory on the run's database, emptied between tests."""

from __future__ import annotations

import pytest

from tests.projects import factories
from tests.support.databases import empty


@pytest.fixture(scope="session")
def projects_app(migrated):
    from services.projects import create_app

    return create_app({"TESTING": True}, key_source=factories.KEY_SOURCE)


@pytest.fixture
def app(projects_app):
    from services.projects.models import db

    yield projects_app
    empty(db)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make(app):
    with app.app_context():
        yield factories.Factories(app)


class Api:
    """Calls to /api/projects/v1 as a given person, answers checked by the test."""

    PREFIX = "/api/projects/v1"

    def __init__(self, client, make):
        self.client = client
        self.make = make

    def call(self, method: str, path: str, person=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if person is not None:
            headers.update(self.make.headers(person))
        return self.client.open(self.PREFIX + path, method=method, headers=headers, **kwargs)

    def create(self, person, **overrides) -> dict:
        response = self.call("POST", "/projects", person, json=factories.project_body(**overrides))
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def move(self, person, project_id, to_state: str):
        return self.call(
            "POST", f"/projects/{project_id}/transitions", person, json={"to_state": to_state}
        )

    def opened(self, admin, **overrides) -> dict:
        project = self.create(admin, **overrides)
        response = self.move(admin, project["id"], "open")
        assert response.status_code == 200, response.get_json()
        return response.get_json()


@pytest.fixture
def api(client, make):
    return Api(client, make)
