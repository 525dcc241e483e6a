"""The one beat's schedule names tasks that exist, on the queue of the service that owns them."""

from __future__ import annotations

import importlib

from shared import beat


def test_every_scheduled_task_is_registered_by_its_service_on_its_queue():
    assert beat.PERIODIC_TASKS, "the platform has periodic tasks"
    for name, entry in beat.celery_app.conf.beat_schedule.items():
        service = name.split(".", 1)[0]
        tasks = importlib.import_module(f"services.{service}.tasks")
        assert entry["task"] in tasks.celery_app.tasks, f"{name} is not a task of {service}"
        assert entry["options"]["queue"] == service
        assert entry["schedule"] > 0


def test_a_periodic_run_expires_before_the_next_one_is_due():
    """A backlog after an outage must not replay every missed run at once."""
    schedule = beat.beat_schedule({"members.some_sweep": 60.0})
    assert schedule["members.some_sweep"]["options"]["expires"] <= 60.0
