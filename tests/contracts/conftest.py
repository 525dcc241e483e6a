"""What the contract tests share: the four API apps on the run's databases, and a person.

The apps come from their factories (SQLite, or PostgreSQL with TEST_DATABASE_URL); the person is
an admin of a verified organisation, known to every service through members' own events, with a
members token every service verifies with members' keys.
"""

from __future__ import annotations

import pytest

from tests.support.databases import empty
from tests.support.envelopes import members_envelope

SERVICES = ("members", "projects", "announcements", "notifications")


@pytest.fixture(scope="module")
def apps(members_app):
    from services.announcements import create_app as announcements
    from services.members.domain.keys import local_key_source
    from services.notifications import create_app as notifications
    from services.projects import create_app as projects

    keys = local_key_source()
    config = {"TESTING": True}
    built = {
        "members": members_app,
        "projects": projects(config, key_source=keys),
        "announcements": announcements(config, key_source=keys),
        "notifications": notifications(config, key_source=keys),
    }
    yield built
    for name, app in built.items():
        with app.app_context():
            empty(database_of(name))


def database_of(service: str):
    module = __import__(f"services.{service}.models", fromlist=["db"])
    return module.db


def _consumer(service: str):
    from shared.events.inbox import Consumer

    events = __import__(f"services.{service}.events", fromlist=["HANDLERS"])
    return Consumer(database_of(service), events.HANDLERS)


@pytest.fixture(scope="module")
def person(apps):
    """An admin of a verified organisation, known to every service, and their token."""
    from shared.events import catalogue
    from tests.members.factories import Factories

    with apps["members"].app_context():
        make = Factories(apps["members"])
        organisation = make.organisation()
        admin = make.admin(organisation)
        token = make.token(admin)
        snapshot = {
            **catalogue.latest("organisation.verified").example,
            "id": str(organisation.id),
            "status": "verified",
        }
        member = {
            **catalogue.latest("member.joined").example,
            "organisation_id": str(organisation.id),
            "user_id": str(admin.id),
            "email": admin.email,
            "role": "org_admin",
        }
    for service in SERVICES[1:]:
        with apps[service].app_context():
            consumer = _consumer(service)
            for event_type, data in (
                ("organisation.verified", snapshot),
                ("member.joined", member),
            ):
                if service in catalogue.latest(event_type).subscribers:
                    consumer.handle(members_envelope(event_type, data))
    return {
        "organisation_id": str(organisation.id),
        "user_id": str(admin.id),
        "headers": {"Authorization": f"Bearer {token}"},
    }
