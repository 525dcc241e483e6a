"""Every service's Alembic history builds its models' schema from empty and takes it down again."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from shared import migrations
from tests.support.servers import make_database_url

SERVICES_ROOT = Path(__file__).resolve().parents[2] / "services"
WITH_MIGRATIONS = sorted(
    path.name for path in SERVICES_ROOT.iterdir() if (path / "migrations" / "env.py").is_file()
)


def test_every_service_with_a_database_has_a_migration_history():
    assert "members" in WITH_MIGRATIONS
    for service in WITH_MIGRATIONS:
        scripts = list((SERVICES_ROOT / service / "migrations" / "versions").glob("*.py"))
        assert scripts, f"{service} has no migration script"


@pytest.fixture
def fresh_url(tmp_path):
    urls = []

    def make(service: str) -> str:
        url, drop = make_database_url(
            f"migr_{service}", os.environ.get("TEST_DATABASE_URL"), tmp_path
        )
        urls.append(drop)
        return url

    yield make
    for drop in urls:
        drop()


@pytest.mark.parametrize("service", WITH_MIGRATIONS)
def test_migrations_upgrade_from_empty_to_the_models_and_downgrade_to_nothing(service, fresh_url):
    url = fresh_url(service)
    directory = SERVICES_ROOT / service / "migrations"
    metadata = importlib.import_module(f"services.{service}.models").db.metadata

    migrations.upgrade(directory, url)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            tables = set(sa.inspect(connection).get_table_names())
            assert set(metadata.tables) <= tables
            drift = compare_metadata(MigrationContext.configure(connection), metadata)
        assert drift == [], f"{service}'s models differ from its migrations: {drift}"

        migrations.downgrade(directory, url)
        with engine.connect() as connection:
            assert set(sa.inspect(connection).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
