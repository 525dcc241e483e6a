"""Celery tasks: events and the outbox relay on `notifications`, webhook batches on `webhooks`."""

from __future__ import annotations

import logging
import math
import time
from datetime import datetime
from functools import cache

import redis
from sqlalchemy import event

from shared.celery import make_celery
from shared.db import utcnow
from shared.events.inbox import register_event_tasks

from . import settings
from .domain import delivery, digests, late_recipients, mail, meetings
from .events import HANDLERS
from .models import db

WEBHOOKS_QUEUE = "webhooks"
# The beat dispatches every 5 s; an attempt due before the next dispatch gets its own wake-up.
WAKE_HORIZON_SECONDS = 6.0
BATCH_BUDGET_SECONDS = 50.0
MAX_PARALLEL_BATCHES = 8

celery_app = make_celery("notifications", "services.notifications:create_app")
celery_app.conf.task_routes = {
    "notifications.deliver_webhooks": {"queue": "webhooks"},
    "notifications.*": {"queue": "notifications"},
}
register_event_tasks(celery_app, db, HANDLERS)


@celery_app.task(name="notifications.deliver_webhooks")
def deliver_webhooks() -> int:
    """Send due webhook batches for a while; what remains waits for the next dispatch."""
    started = time.monotonic()
    sent = 0
    while time.monotonic() - started < BATCH_BUDGET_SECONDS:
        batch = delivery.deliver_due(db)
        sent += batch
        if batch < settings.get("WEBHOOKS_BATCH_SIZE"):
            break
    _wake_when_next_due()
    return sent


@celery_app.task(name="notifications.dispatch_due_webhooks")
def dispatch_due_webhooks() -> int:
    """Periodic: enough delivery batches on the `webhooks` queue for what is due now."""
    with db.transaction() as session:
        due = delivery.due_count(session, utcnow())
    batches = min(math.ceil(due / settings.get("WEBHOOKS_BATCH_SIZE")), MAX_PARALLEL_BATCHES)
    for _ in range(batches):
        deliver_webhooks.apply_async(queue=WEBHOOKS_QUEUE)
    _wake_when_next_due()
    return batches


@cache
def _redis() -> redis.Redis:
    return redis.Redis.from_url(celery_app.conf.broker_url)


def _wake_when_next_due() -> None:
    """Queue a batch for the instant the soonest attempt of the next few seconds falls due.

    A retry (5 s after a first failure by default) then goes out when it is due, not at the
    dispatch tick after it. Every dispatch looks a little further than the next one, so no due
    time is missed; one wake-up per due instant however many runs see it (Redis SET NX); and
    never more than the horizon ahead, so no long countdown waits in the broker.
    """
    try:
        with db.transaction() as session:
            due_at = delivery.next_due_at(session, utcnow(), WAKE_HORIZON_SECONDS)
        if due_at is None:
            return
        key = f"notifications:webhooks:wake:{due_at.timestamp():.3f}"
        if _redis().set(key, 1, nx=True, ex=int(WAKE_HORIZON_SECONDS) + 60):
            deliver_webhooks.apply_async(queue=WEBHOOKS_QUEUE, eta=due_at)
    except Exception:  # the periodic dispatch still finds it, a few seconds late
        logging.getLogger(__name__).warning("could not queue a webhook wake-up", exc_info=True)


@celery_app.task(name="notifications.send_due_emails")
def send_due_emails() -> int:
    """Periodic and after fan-out: the e-mails due now (quiet hours and retries respected)."""
    return mail.send_due(db)


@celery_app.task(name="notifications.send_digests")
def send_digests() -> int:
    """Periodic: write the daily and weekly digests now due in each person's time zone."""
    with db.transaction() as session:
        written = digests.prepare(session)
    if written:
        mail.send_due(db)
    return written


@celery_app.task(name="notifications.send_meeting_reminders")
def send_meeting_reminders(now: str | None = None) -> int:
    """Periodic: a reminder to each person of a meeting starting within 15 minutes of `now`
    (an ISO time; the present when not given), sent once however often this runs."""
    moment = datetime.fromisoformat(now) if now else utcnow()
    with db.transaction() as session:
        written = meetings.remind_due(session, moment)
    if written:
        mail.send_due(db, now=moment)
    return written


@celery_app.task(name="notifications.forget_old_broadcasts")
def forget_old_broadcasts() -> int:
    """Periodic: broadcasts kept for late recipients, once past their retention."""
    with db.transaction() as session:
        return late_recipients.forget_old(session, utcnow())


@event.listens_for(db.sessions, "after_commit")
def _deliver_new_messages(session) -> None:
    """Messages written by an event go out at once, not at the next periodic dispatch."""
    if session.info.pop("emails_due", False):
        try:
            send_due_emails.apply_async()
        except Exception:  # the periodic run picks them up
            logging.getLogger(__name__).warning("could not queue e-mails", exc_info=True)
    if session.info.pop("webhooks_due", False):
        try:
            deliver_webhooks.apply_async(queue=WEBHOOKS_QUEUE)
        except Exception:  # the periodic dispatch picks them up
            logging.getLogger(__name__).warning("could not queue a webhook batch", exc_info=True)
