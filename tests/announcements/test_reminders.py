"""Reminders: the day before an event, once, for the people who have a place."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from services.announcements.models import Announcement, db
from tests.announcements.factories import API
from tests.support.waiting import wait_until


def _reminded(announcement_id) -> bool:
    with db.transaction() as session:
        return session.get(Announcement, uuid.UUID(announcement_id)).reminder_sent_at is not None


def test_people_registered_are_reminded_once_the_day_before(
    make, client, outbox, worker, run_periodic
):
    staff = make.staff()
    soon = datetime.now(UTC) + timedelta(hours=20)
    tomorrow = make.published(staff, "event", capacity=1, starts_at=soon.isoformat(), ends_at=None)
    next_week = make.published(
        staff, "event", starts_at=(soon + timedelta(days=7)).isoformat(), ends_at=None
    )
    placed, waiting = make.member_of(make.organisation()), make.member_of(make.organisation())
    for event, person in ((tomorrow, placed), (tomorrow, waiting), (next_week, placed)):
        client.post(f"{API}/announcements/{event['id']}/registrations", headers=person.headers)

    run_periodic("announcements.send_event_reminders")
    wait_until(lambda: _reminded(tomorrow["id"]), timeout=30, interval=0.2)
    # A second run, then a marker task behind it on the same queue (a solo worker runs them in
    # order): once the marker's announcement is out, the second run is over.
    marker = make.draft(staff)
    client.post(
        f"{API}/announcements/{marker['id']}/publish",
        json={"publish_at": (datetime.now(UTC) + timedelta(hours=1)).isoformat()},
        headers=staff.headers,
    )
    _fall_due(marker["id"])  # its time moved back in its row: the API schedules in the future
    run_periodic("announcements.send_event_reminders")
    run_periodic("announcements.publish_due")
    wait_until(lambda: outbox("announcement.published")[-1]["announcement"]["id"] == marker["id"])

    reminders = outbox("announcement.event_reminder")
    assert [r["announcement"]["id"] for r in reminders] == [tomorrow["id"]]
    assert reminders[0]["user_ids"] == [str(placed.id)]
    assert not _reminded(next_week["id"])


def _fall_due(announcement_id: str) -> None:
    from services.announcements.models import Announcement, db

    table = Announcement.__table__
    with db.engine.begin() as connection:
        connection.execute(
            table.update()
            .where(table.c.id == uuid.UUID(announcement_id))
            .values(publish_at=datetime.now(UTC) - timedelta(seconds=1))
        )
