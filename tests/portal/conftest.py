"""The portal against a real members server: members over HTTP in a thread, Redis for sessions."""

from __future__ import annotations

import pytest

from tests.members.factories import PASSWORD, Factories
from tests.portal.support import ThreadedServer, csrf_token, empty_members_database


@pytest.fixture(scope="session")
def members_server(members_app):
    server = ThreadedServer(members_app).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def portal_app(members_server):
    from services.portal import create_app

    return create_app({"TESTING": True, "PORTAL_API_URL": members_server.url})


@pytest.fixture
def app(portal_app, members_app, redis_server):
    redis_server.flush()  # sign-in rate limits and sessions of earlier tests
    with members_app.app_context():
        empty_members_database()
    yield portal_app
    with members_app.app_context():
        empty_members_database()


@pytest.fixture
def make(app, members_app):
    with members_app.app_context():
        yield Factories(members_app)


class Browser:
    """A test client that reads forms like a browser: GET the page, post with its CSRF token."""

    def __init__(self, client):
        self.client = client

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def submit(self, url, data, *, page=None, **kwargs):
        form_page = self.client.get(page or url, **kwargs)
        assert form_page.status_code == 200, form_page.status_code
        token = csrf_token(form_page.get_data(as_text=True))
        return self.client.post(url, data={"csrf_token": token, **data}, **kwargs)

    def sign_in(self, email, password=PASSWORD):
        response = self.submit("/sign-in", {"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response


@pytest.fixture
def browser(app):
    return Browser(app.test_client())
