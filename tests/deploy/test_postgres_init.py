"""deploy/postgres/init-databases.sh, run against a real PostgreSQL as the image would run it."""

from __future__ import annotations

import os
import subprocess
import uuid
from urllib.parse import urlsplit

import pytest

from tests.deploy.support import DEPLOY, require_binary

SCRIPT = DEPLOY / "postgres" / "init-databases.sh"


@pytest.fixture
def server() -> dict[str, str]:
    """libpq settings for the PostgreSQL of TEST_DATABASE_URL (set on CI by .ci/run)."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        message = "set TEST_DATABASE_URL to a PostgreSQL URL to run the init script"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    require_binary("psql", "/usr/bin/psql")
    parts = urlsplit(url)
    return {
        "PGHOST": parts.hostname or "127.0.0.1",
        "PGPORT": str(parts.port or 5432),
        "PGPASSWORD": parts.password or "",
        "POSTGRES_USER": parts.username or "postgres",
    }


def psql(server: dict[str, str], sql: str) -> str:
    result = subprocess.run(
        ["psql", "-XAtq", "-U", server["POSTGRES_USER"], "-d", "postgres", "-c", sql],
        env={**os.environ, **server},
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return result.stdout


def run_script(server: dict[str, str], databases: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["sh", str(SCRIPT)],
        env={**os.environ, **server, "PLATFORM_DATABASES": databases},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_init_script_creates_each_database_once_and_can_run_again(server):
    prefix = f"deploytest_{uuid.uuid4().hex[:8]}"
    names = [f"{prefix}_members", f"{prefix}_projects"]
    try:
        for _ in range(2):
            result = run_script(server, " ".join(names))
            assert result.returncode == 0, result.stderr
        query = f"SELECT datname FROM pg_database WHERE datname LIKE '{prefix}%'"  # noqa: S608
        found = psql(server, query)
        assert sorted(found.split()) == sorted(names)
    finally:
        for name in names:
            psql(server, f'DROP DATABASE IF EXISTS "{name}"')


def test_init_script_refuses_a_database_name_that_is_not_a_plain_identifier():
    result = run_script({"POSTGRES_USER": "nobody"}, 'members "; DROP')
    assert result.returncode != 0
    assert "refusing" in result.stderr
