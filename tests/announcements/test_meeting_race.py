"""Nothing double-booked under concurrency, on the database the run uses (SQLite by default,
PostgreSQL with TEST_DATABASE_URL): two acceptances racing for one person's slot, one wins."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy.exc import IntegrityError

from services.announcements.models import MeetingBooking, MeetingRequest, db
from tests.announcements.meeting_setup import Brokerage


def test_two_acceptances_racing_for_one_persons_slot_one_wins_one_is_told(make, app):
    client = app.test_client()
    brokerage = Brokerage(make, client, tables=10)
    for round_ in range(4):
        popular = brokerage.join()
        rivals = [brokerage.join(), brokerage.join()]
        meetings = [brokerage.requested(popular, rival) for rival in rivals]
        headers = [rival.person.headers for rival in rivals]  # signed before the race
        slot = brokerage.slot(0, round_)
        barrier = threading.Barrier(2)
        results: list = [None, None]

        def attempt(
            i, meetings=meetings, headers=headers, barrier=barrier, slot=slot, results=results
        ):
            racer = app.test_client()
            barrier.wait()
            response = racer.post(
                f"{brokerage.url}/meetings/{meetings[i]['id']}/accept",
                json={"slot_id": slot},
                headers=headers[i],
            )
            results[i] = (response.status_code, response.get_json())

        threads = [threading.Thread(target=attempt, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(code for code, _ in results) == [200, 409], results
        loser = next(body for code, body in results if code == 409)
        assert loser["code"] == "meeting.slot_taken"
        with db.transaction() as session:
            booked = session.query(MeetingBooking).filter_by(
                participant_id=uuid.UUID(popular.id), slot_id=slot
            )
            assert booked.count() == 1
            states = sorted(
                session.get(MeetingRequest, uuid.UUID(m["id"])).status for m in meetings
            )
            assert states == ["accepted", "requested"]


def test_the_database_refuses_a_second_booking_of_one_participant_in_one_slot(make, client):
    """The guarantee is the unique key, not the application's checks: a direct INSERT fails."""
    brokerage = Brokerage(make, client)
    popular, first, second = brokerage.join(), brokerage.join(), brokerage.join()
    meeting = brokerage.requested(popular, first)
    other = brokerage.requested(popular, second)
    assert brokerage.accept(first, meeting, brokerage.slot(0, 0)).status_code == 200
    with pytest.raises(IntegrityError), db.transaction() as session:
        session.add(
            MeetingBooking(
                participant_id=uuid.UUID(popular.id),
                slot_id=brokerage.slot(0, 0),
                meeting_id=uuid.UUID(other["id"]),
            )
        )
        session.flush()
    with pytest.raises(IntegrityError), db.transaction() as session:
        taken = session.get(MeetingRequest, uuid.UUID(other["id"]))
        taken.slot_id, taken.table_number = brokerage.slot(0, 0), 1
        session.flush()
