"""Celery tasks on the `announcements` queue: the events it handles and the outbox relay."""

from shared.celery import make_celery
from shared.events.inbox import register_event_tasks

from . import create_app
from .events import HANDLERS
from .models import db

celery_app = make_celery("announcements", create_app)
register_event_tasks(celery_app, db, HANDLERS)
