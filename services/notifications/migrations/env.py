"""Alembic environment of the notifications database."""

from services.notifications.models import db
from shared.migrations import run_migrations

run_migrations(db.metadata)
