"""Calls for partners close at their deadline, by the real periodic task in a real worker."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from services.projects.models import Project, db
from tests.support.waiting import wait_until
from tests.support.workers import Worker


@pytest.fixture
def worker(app):
    running = Worker("projects").start()
    yield running
    running.stop()


def _closed_at(project_id):
    db.session.remove()
    with db.engine.connect() as connection:
        return (
            connection.execute(
                Project.__table__.select().where(Project.__table__.c.id == uuid.UUID(project_id))
            )
            .one()
            .call_closed_at
        )


def _due(api, owner) -> dict:
    """An open project whose call's deadline has just passed (moved back in its row: the API
    takes future deadlines only)."""
    project = api.opened(owner)
    with db.engine.begin() as connection:
        connection.execute(
            Project.__table__.update()
            .where(Project.__table__.c.id == uuid.UUID(project["id"]))
            .values(call_deadline=datetime.now(UTC) - timedelta(seconds=1))
        )
    return project


def test_the_periodic_task_closes_due_calls_and_says_so(api, make, worker):
    from services.projects.tasks import celery_app

    owner = make.admin(make.organisation())
    later = api.opened(owner)
    due = _due(api, owner)

    # Sent by name to the projects queue, as beat sends it.
    celery_app.send_task("projects.close_due_calls", queue="projects")
    wait_until(lambda: _closed_at(due["id"]) is not None, timeout=30)
    assert _closed_at(later["id"]) is None
    closed = wait_until(lambda: make.events("project.call_closed"))
    assert [e["data"]["project"]["id"] for e in closed] == [due["id"]]
    applicant = make.member(make.organisation())
    response = api.call(
        "POST", f"/projects/{due['id']}/applications", applicant, json={"message": "Late."}
    )
    assert response.status_code == 409
    seen = api.call("GET", f"/projects/{due['id']}", applicant).get_json()
    assert seen["call"]["open"] is False and seen["state"] == "open"

    # Run again: nothing more is closed, no second event. A call falling due after that run,
    # closed by a third run on the same one-process worker, marks when the second one is over.
    celery_app.send_task("projects.close_due_calls", queue="projects")
    marker = _due(api, owner)
    celery_app.send_task("projects.close_due_calls", queue="projects")
    wait_until(lambda: _closed_at(marker["id"]) is not None, timeout=30)
    closed = [e["data"]["project"]["id"] for e in make.events("project.call_closed")]
    assert closed == [due["id"], marker["id"]]


def test_the_task_is_on_the_one_beat_schedule():
    from shared.beat import PERIODIC_TASKS

    assert 0 < PERIODIC_TASKS["projects.close_due_calls"] <= 60
