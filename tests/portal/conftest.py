"""The portal against the real platform: every service over HTTP, real workers, Redis sessions."""

from __future__ import annotations

import pytest

from tests.members.factories import PASSWORD, Factories
from tests.portal.support import csrf_token
from tests.support.platform import running_platform


@pytest.fixture(scope="package")
def platform(members_app):
    """Every service's API behind one URL, with real workers carrying events between them."""
    yield from running_platform(members_app)


@pytest.fixture(scope="package")
def portal_app(platform):
    from services.portal import create_app

    return create_app({"TESTING": True, "PORTAL_API_URL": platform.url})


@pytest.fixture
def app(portal_app, platform):
    platform.clear_sessions()
    platform.empty()
    yield portal_app
    platform.settle()  # no event of this test is handled after the next one has started
    platform.empty()


class KnownEverywhere(Factories):
    """members' factories, whose organisations also reach every service's projection.

    Outside tests an organisation exists only through members' registration, whose events every
    service keeps; a row written straight into members' table would be unknown to the others,
    and their status rule (`shared.organisation_status`) refuses an organisation they don't know.
    """

    def __init__(self, members_app, platform):
        super().__init__(members_app)
        self.platform = platform

    def organisation(self, **overrides):
        from services.members.domain.snapshots import organisation_snapshot
        from services.members.models import db
        from shared.events import emit

        organisation = super().organisation(**overrides)
        with db.transaction() as session:
            emit(session, "organisation.updated", organisation_snapshot(organisation))
        self.platform.settle()
        return organisation


@pytest.fixture
def make(app, members_app, platform):
    with members_app.app_context():
        yield KnownEverywhere(members_app, platform)


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
