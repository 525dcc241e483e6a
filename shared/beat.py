"""The platform's one beat scheduler: every service's periodic tasks, sent by name to its queue.

Beat imports no service (tasks are sent by name, as events are), so the schedule lives here, in
the shared library, beside the event catalogue. Exactly one beat process runs per platform.
"""

from __future__ import annotations

import logging

from celery.beat import PersistentScheduler

from shared.celery import make_celery

log = logging.getLogger(__name__)

# How often each service's outbox relay publishes what the fast path could not.
RELAY_EVERY = 10.0

# task name -> seconds between runs; the queue is the task name's service prefix.
PERIODIC_TASKS: dict[str, float] = {
    "members.relay_outbox": RELAY_EVERY,
    "projects.relay_outbox": RELAY_EVERY,
    "announcements.relay_outbox": RELAY_EVERY,
    "notifications.relay_outbox": RELAY_EVERY,
    "notifications.dispatch_due_webhooks": 5.0,
    "notifications.send_due_emails": 60.0,
    "notifications.send_digests": 900.0,
    "notifications.send_meeting_reminders": 60.0,
    "notifications.forget_old_broadcasts": 3600.0,
    "members.send_unsent_account_emails": 300.0,
    "announcements.publish_due": 30.0,
    "announcements.send_event_reminders": 300.0,
    "projects.close_due_calls": 60.0,
}


def beat_schedule(tasks: dict[str, float] | None = None) -> dict:
    """Celery's `beat_schedule` for `tasks`, each routed to its own service's queue."""
    return {
        name: {
            "task": name,
            "schedule": every,
            "options": {"queue": name.split(".", 1)[0], "expires": every},
        }
        for name, every in (PERIODIC_TASKS if tasks is None else tasks).items()
    }


class QuietScheduler(PersistentScheduler):
    """Celery's scheduler, saying once that the broker is away and once that it is back,
    instead of a traceback for every task at every tick of an outage."""

    broker_away = False

    def apply_entry(self, entry, producer=None):
        log.info("Scheduler: Sending due task %s (%s)", entry.name, entry.task)
        try:
            self.apply_async(entry, producer=producer, advance=False)
        except Exception as exc:
            if not self.broker_away:
                self.broker_away = True
                log.warning(
                    "beat cannot reach the broker (%s: %s); periodic tasks are skipped until "
                    "it is back",
                    exc.__class__.__name__,
                    exc,
                )
            return
        if self.broker_away:
            self.broker_away = False
            log.warning("beat reaches the broker again; periodic tasks are sent")


celery_app = make_celery("beat")
celery_app.conf.beat_schedule = beat_schedule()
celery_app.conf.beat_scheduler = "shared.beat:QuietScheduler"
