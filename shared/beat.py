"""The platform's one beat scheduler: every service's periodic tasks, sent by name to its queue.

Beat imports no service (tasks are sent by name, as events are), so the schedule lives here, in
the shared library, beside the event catalogue. Exactly one beat process runs per platform.
"""

from __future__ import annotations

from shared.celery import make_celery

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


celery_app = make_celery("beat")
celery_app.conf.beat_schedule = beat_schedule()
