# ruff: noqa: RUF001 - Chinese text uses full-width punctuation
"""A reminder 15 minutes before each accepted meeting with a time: sent once, by the periodic
task on a real worker, with `now` passed instead of waited for."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta

import pytest

from services.notifications.domain import meetings
from services.notifications.models import Notification, db
from shared.beat import PERIODIC_TASKS
from tests.notifications.support import handle
from tests.notifications.test_meeting_notifications import STARTS, _items, _meeting, _pair
from tests.support.waiting import wait_until
from tests.support.workers import Worker

TASK = "notifications.send_meeting_reminders"
START = datetime.fromisoformat(STARTS)


@pytest.fixture
def worker(redis_server):
    """One solo worker: the runs queued here are taken in order."""
    redis_server.flush()
    started = Worker("notifications").start()
    yield started
    started.stop()


def _queue(*moments: datetime) -> None:
    """The periodic task queued once per moment, as beat would, each with its `now`."""
    from services.notifications.tasks import celery_app

    for moment in moments:
        celery_app.send_task(TASK, kwargs={"now": moment.isoformat()}, queue="notifications")


def _reminders(person) -> list[Notification]:
    return [n for n in _items(person) if n.type == meetings.REMINDER]


def _accepted(world, starts_at: datetime, tag="", **changes):
    """An accepted meeting at `starts_at` between two new people; (requester, recipient)."""
    sme, lab, claire, wei = _pair(world, tag)
    when = starts_at.isoformat()
    meeting = _meeting(sme, lab, claire, wei, status="accepted", starts_at=when, **changes)
    handle("meeting.accepted", {"meeting": meeting})
    return claire, wei


def _reminded(person) -> bool:
    return bool(_reminders(person))


def test_the_reminder_task_is_on_the_beat_schedule():
    assert PERIODIC_TASKS[TASK] <= 60


def test_each_person_is_reminded_once_15_minutes_before_in_their_language(world, worker, smtp):
    claire, wei = _accepted(world, START, online=False, table=3)
    stranger = world.admin(world.organisation())
    # Markers: later meetings whose reminders prove that the runs queued before them are done.
    first_marker, _ = _accepted(world, START + timedelta(minutes=30), tag="-first")
    last_marker, _ = _accepted(world, START + timedelta(minutes=60), tag="-last")

    _queue(START - timedelta(minutes=16), START + timedelta(minutes=20))
    wait_until(lambda: _reminded(first_marker), timeout=30)
    assert not _reminded(claire) and not _reminded(wei)  # 16 minutes before: not yet

    due = START - timedelta(minutes=10)
    _queue(due, due, due + timedelta(minutes=1), START + timedelta(minutes=50))
    wait_until(lambda: _reminded(last_marker), timeout=30)
    [for_claire] = _reminders(claire)
    [for_wei] = _reminders(wei)
    assert for_claire.title == "Dans 15 minutes : votre rendez-vous avec Nanjing IoT Lab"
    assert "Où : table 3." in for_claire.body and "09:00 (Europe/Paris)" in for_claire.body
    assert for_wei.title == "15 分钟后：您与 蔚蓝传感 的会面"
    assert _reminders(stranger) == []

    # Each reminder e-mailed once, by the run that wrote it: the marker's came after them.
    smtp.wait_for(1, to="claire-last@azur.example")
    sent = [(m["To"], m["Subject"]) for m in smtp.messages]
    assert sent.count(("claire@azur.example", for_claire.title)) == 1
    assert sent.count(("wei@lab.example", for_wei.title)) == 1


def test_runs_at_the_same_time_write_each_reminder_once(world):
    claire, wei = _accepted(world, START)
    due = START - timedelta(minutes=5)
    gate = threading.Barrier(3)
    written = []

    def run():
        gate.wait()
        with db.transaction() as session:
            written.append(meetings.remind_due(session, due))

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(written) == [0, 0, 2]
    assert len(_reminders(claire)) == 1 and len(_reminders(wei)) == 1
    with db.transaction() as session:
        assert meetings.remind_due(session, due) == 0  # and a re-run


def test_no_reminder_once_started_cancelled_or_without_a_time(world):
    started, _ = _accepted(world, START)
    cancelled_first, _ = _accepted(world, START + timedelta(minutes=5))
    sme, lab, claire, wei = _pair(world)
    untimed = _meeting(sme, lab, claire, wei, status="accepted", starts_at=None, ends_at=None)
    handle("meeting.accepted", {"meeting": untimed})
    requested = _pair(world)
    handle("meeting.requested", {"meeting": _meeting(*requested, status="requested")})
    # The cancellation arrives before the acceptance it follows: the meeting stays cancelled.
    sme2, lab2, a, b = _pair(world)
    late = _meeting(sme2, lab2, a, b, status="accepted")
    handle("meeting.cancelled", {"meeting": {**late, "status": "cancelled"}})
    handle("meeting.accepted", {"meeting": late})

    with db.transaction() as session:
        assert meetings.remind_due(session, START + timedelta(minutes=1)) == 2
    assert _reminded(cancelled_first)  # the one due at that moment
    assert not _reminded(started)  # began a minute before
    for person in (claire, wei, requested[2], requested[3], a, b):
        assert not _reminded(person)

    # The scheduler gives the untimed meeting its time: it is reminded, under a stable id.
    later = (START + timedelta(minutes=10)).isoformat()
    handle("meeting.scheduled", {"meeting": {**untimed, "starts_at": later}})
    with db.transaction() as session:  # the same moment again: only this one is new
        assert meetings.remind_due(session, START + timedelta(minutes=1)) == 2
    expected = str(uuid.uuid5(uuid.UUID(untimed["id"]), meetings.REMINDER))
    assert [r.event_id for r in _reminders(claire)] == [expected]


@pytest.mark.parametrize("deleted_first", [False, True], ids=["meeting-first", "deletion-first"])
def test_a_deleted_person_is_neither_kept_nor_reminded_in_any_order(world, deleted_first):
    from services.notifications.models import Meeting

    sme, lab, claire, wei = _pair(world, "-gone")
    when = (START + timedelta(hours=2)).isoformat()
    meeting = _meeting(sme, lab, claire, wei, status="accepted", starts_at=when)
    events = [("meeting.accepted", {"meeting": meeting}), ("user.deleted", {"id": claire})]
    for event_type, data in reversed(events) if deleted_first else events:
        handle(event_type, data)
    with db.transaction() as session:
        kept = session.get(Meeting, uuid.UUID(meeting["id"])).data["meeting"]
        assert kept["requester_user_id"] is None and kept["recipient_user_id"] == wei
        assert claire not in str(kept)
        meetings.remind_due(session, START + timedelta(hours=2) - timedelta(minutes=10))
    assert _reminded(wei) and not _items(claire)
