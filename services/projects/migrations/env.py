"""Alembic environment of the projects database."""

from services.projects.models import db
from shared.migrations import run_migrations

run_migrations(db.metadata)
