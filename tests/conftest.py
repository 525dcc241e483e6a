"""Test session set-up: a private Redis server and one fresh database per service.

Environment variables are set here, before any service module is imported, so that apps built in
the tests and worker processes they start see the same Redis and databases. Set
`TEST_DATABASE_URL` (a PostgreSQL URL) to run the whole suite on PostgreSQL; SQLite otherwise.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.support.servers import RedisServer, make_database_url
from tests.support.smtp import SmtpServer

DB_SERVICES = ("members", "projects", "announcements", "notifications")

_tmp = Path(tempfile.mkdtemp(prefix="platform-tests-"))
os.environ["TEST_LOG_DIR"] = str(_tmp)
_redis = RedisServer()
_redis.start()
atexit.register(_redis.stop)
os.environ["REDIS_URL"] = _redis.url
os.environ["VAR_DIR"] = str(_tmp / "var")
os.environ["LOG_JSON"] = "false"
# A strong key, new for each run (workers inherit it): services refuse weak ones.
os.environ["SECRET_KEY"] = secrets.token_urlsafe(48)
_smtp = SmtpServer()
_smtp.start()
os.environ["SMTP_HOST"] = "127.0.0.1"
os.environ["SMTP_PORT"] = str(_smtp.port)
os.environ["SMTP_SECURITY"] = "none"
_droppers = []
for _service in DB_SERVICES:
    _url, _drop = make_database_url(_service, os.environ.get("TEST_DATABASE_URL"), _tmp)
    os.environ[f"{_service.upper()}_DATABASE_URL"] = _url
    _droppers.append(_drop)


def pytest_sessionfinish(session, exitstatus):
    _smtp.stop()
    _redis.stop()
    for drop in _droppers:
        try:
            drop()
        except Exception as exc:  # a leftover test database is not worth failing the run
            print(f"could not drop a test database: {exc}")
    if not os.environ.get("KEEP_TEST_LOGS"):
        shutil.rmtree(_tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_server() -> RedisServer:
    """The test run's own Redis server (tests may stop and restart it)."""
    return _redis


@pytest.fixture
def smtp() -> SmtpServer:
    """The run's real SMTP server (aiosmtpd), emptied for this test."""
    _smtp.clear()
    return _smtp


@pytest.fixture(scope="session")
def migrated():
    """Every service's database at its newest migration, as `make run` and compose leave it."""
    from shared import migrations

    root = Path(__file__).resolve().parents[1] / "services"
    for service in DB_SERVICES:
        migrations.upgrade(
            root / service / "migrations", os.environ[f"{service.upper()}_DATABASE_URL"]
        )


@pytest.fixture(scope="session")
def members_app(migrated):
    """The members app from its factory, on the run's members database."""
    from services.members import create_app

    return create_app({"TESTING": True})


@pytest.fixture(autouse=True)
def problems_carry_listed_codes():
    """Every problem any API answers in any test carries a `code` its OpenAPI document lists.

    Flask's `request_finished` signal shows each response of every app the test calls
    (in-process or served by a thread); a problem without a listed code fails the test.
    """
    from flask import request_finished

    from shared.errors import PROBLEM_MIMETYPE

    unlisted: list[str] = []

    def check(app, response, **_extra):
        api = app.extensions.get("api")
        if api is None or response.mimetype != PROBLEM_MIMETYPE:
            return
        body = response.get_json(silent=True) or {}
        codes = getattr(api, "error_codes", {})
        field_codes = [e.get("code") for e in body.get("errors") or []]
        if body.get("code") not in codes or None in field_codes:
            unlisted.append(f"{app.name}: {body}")

    request_finished.connect(check)
    try:
        yield
    finally:
        request_finished.disconnect(check)
    assert not unlisted, "problems without a listed code:\n" + "\n".join(unlisted)
