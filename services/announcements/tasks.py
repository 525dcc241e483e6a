"""Celery tasks on the `announcements` queue: events it handles, the relay, its periodic work."""

from shared.celery import make_celery
from shared.events.inbox import register_event_tasks

from .domain import announcements, reminders, scheduling
from .events import HANDLERS
from .models import db

celery_app = make_celery("announcements", "services.announcements:create_app")
register_event_tasks(celery_app, db, HANDLERS)


@celery_app.task(name="announcements.publish_due", time_limit=120, soft_time_limit=100)
def publish_due() -> int:
    """Beat: publish scheduled announcements whose `publish_at` has come."""
    with db.transaction() as session:
        return announcements.publish_due(session)


@celery_app.task(name="announcements.send_event_reminders", time_limit=120, soft_time_limit=100)
def send_event_reminders() -> int:
    """Beat: remind the people registered for events starting within a day (once per event)."""
    with db.transaction() as session:
        return reminders.send_due(session)


@celery_app.task(name="announcements.schedule_meetings", time_limit=600, soft_time_limit=540)
def schedule_meetings(run_id: str) -> None:
    """Fit an event's accepted meetings into slots and tables, as the organiser's run asked."""
    scheduling.solve(run_id)
