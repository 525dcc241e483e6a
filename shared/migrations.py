"""Alembic, one history per service, driven from each service's `flask` CLI.

`render_as_batch` lets the same migration scripts alter tables on SQLite and PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

import click
from alembic import command, context
from alembic.config import Config
from flask import Flask, current_app

from shared.db import build_engine


def alembic_config(migrations_dir: Path, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def run_migrations(metadata) -> None:
    """The body of every service's `migrations/env.py`."""
    url = context.config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = build_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def upgrade(migrations_dir: Path, url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(migrations_dir, url), revision)


def downgrade(migrations_dir: Path, url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(migrations_dir, url), revision)


def register_cli(app: Flask, migrations_dir: Path) -> None:
    """`flask db-upgrade`, `db-downgrade` and `db-revision` for the service's own database."""

    @app.cli.command("db-upgrade")
    @click.argument("revision", default="head")
    def db_upgrade(revision):
        """Migrate this service's database up to REVISION (default: head)."""
        if current_app.config["DATABASE_URL"].startswith("sqlite:///"):
            Path(current_app.config["DATABASE_URL"][len("sqlite:///") :]).parent.mkdir(
                parents=True, exist_ok=True
            )
        upgrade(migrations_dir, current_app.config["DATABASE_URL"], revision)

    @app.cli.command("db-downgrade")
    @click.argument("revision", default="-1")
    def db_downgrade(revision):
        """Migrate this service's database down to REVISION (default: one step)."""
        downgrade(migrations_dir, current_app.config["DATABASE_URL"], revision)

    @app.cli.command("db-revision")
    @click.option("-m", "--message", required=True)
    def db_revision(message):
        """Write a new migration from the difference between the models and the database."""
        config = alembic_config(migrations_dir, current_app.config["DATABASE_URL"])
        command.revision(config, message=message, autogenerate=True)
