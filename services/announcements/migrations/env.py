"""Alembic environment of the announcements database."""

from services.announcements.models import db
from shared.migrations import run_migrations

run_migrations(db.metadata)
