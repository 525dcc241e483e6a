"""Fixtures of the end-to-end tests: every service's app in this process, real workers."""

from __future__ import annotations

import importlib

import pytest

from tests.members import factories
from tests.support.backbone import CONSUMERS
from tests.support.workers import Worker


@pytest.fixture(scope="module")
def apps(migrated, members_app):
    """Every service's app in this process, so the test reads each database as its service does."""
    built = {"members": members_app}
    for service in CONSUMERS:
        built[service] = importlib.import_module(f"services.{service}").create_app(
            {"TESTING": True}
        )
    return built


# Publishers send an unconfirmed event again after 2 s instead of a minute, so the tests that
# lose messages (a killed worker, a broker restarted empty) see them come back in seconds.
CONFIRM_DEADLINE = {"EVENTS_CONFIRM_DEADLINE": "2"}


@pytest.fixture(scope="module")
def workers(apps, redis_server):
    redis_server.flush()  # no task left over from another module's processes
    started = {
        service: Worker(service, extra_env=CONFIRM_DEADLINE).start()
        for service in (*CONSUMERS, "members")
    }
    yield started
    for worker in started.values():
        worker.stop()


@pytest.fixture
def make(apps):
    with apps["members"].app_context():
        yield factories.Factories(apps["members"])
