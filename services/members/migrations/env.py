"""Alembic environment of the members database."""

from services.members.models import db
from shared.migrations import run_migrations

run_migrations(db.metadata)
