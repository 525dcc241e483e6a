"""Celery tasks on the `projects` queue: the events it handles, the outbox relay, due calls."""

from shared.celery import make_celery
from shared.events.inbox import register_event_tasks

from .domain import projects
from .events import HANDLERS
from .models import db

celery_app = make_celery("projects", "services.projects:create_app")
register_event_tasks(celery_app, db, HANDLERS)


@celery_app.task(name="projects.close_due_calls", time_limit=120, soft_time_limit=100)
def close_due_calls() -> int:
    """Beat: close the calls for partners whose deadline has passed, each with its event."""
    closed = 0
    while True:
        with db.transaction() as session:
            batch = projects.close_due_calls(session)
        closed += batch
        if batch < projects.CLOSE_BATCH:
            return closed
