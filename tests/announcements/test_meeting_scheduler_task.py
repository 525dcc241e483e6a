"""The organiser's scheduler run by a real announcements worker with the real solver."""

from __future__ import annotations

from services.announcements.models import MeetingRequest, ScheduleRun, db
from tests.announcements.meeting_setup import Brokerage
from tests.support.waiting import wait_until


def _run(client, brokerage, **body) -> dict:
    response = client.post(
        f"{brokerage.url}/matchmaking/runs", json=body, headers=brokerage.organiser.headers
    )
    assert response.status_code == 202, response.get_json()
    run_id = response.get_json()["id"]

    def finished():
        shown = client.get(
            f"{brokerage.url}/matchmaking/runs/{run_id}", headers=brokerage.staff.headers
        ).get_json()
        return shown if shown["status"] in ("done", "failed") else None

    return wait_until(finished, timeout=60)


def test_the_scheduler_fits_accepted_meetings_and_says_why_others_do_not_fit(
    make, client, worker, outbox
):
    brokerage = Brokerage(make, client, mode="organiser", tables=1)
    # In person, morning only: three meetings of one person fit the six morning slots.
    hub = brokerage.join(attendance="in_person", session_ids=[brokerage.sessions[0]])
    guests = [
        brokerage.join(attendance="in_person", session_ids=[brokerage.sessions[0]])
        for _ in range(3)
    ]
    # Online in the afternoon (14:00-16:00 Paris): Shanghai's 09:00-12:00 never overlaps it.
    paris = brokerage.join(attendance="online", session_ids=[brokerage.sessions[1]])
    shanghai = brokerage.join(
        attendance="online",
        session_ids=[brokerage.sessions[1]],
        working_hours_start="09:00",
        working_hours_end="12:00",
        timezone="Asia/Shanghai",
    )
    fits = []
    for guest in guests:
        meeting = brokerage.requested(guest, hub)
        assert brokerage.accept(hub, meeting).status_code == 200
        fits.append(meeting["id"])
    never = brokerage.requested(paris, shanghai)
    assert brokerage.accept(shanghai, never).status_code == 200
    # In person, but both attend only the online session: no slot where they can sit together.
    afternoon = [brokerage.join(session_ids=[brokerage.sessions[1]]) for _ in range(2)]
    seated = brokerage.requested(*afternoon, online=False)
    assert brokerage.accept(afternoon[1], seated).status_code == 200

    run = _run(client, brokerage, time_limit=10)
    assert run["status"] == "done", run
    assert run["scheduled"] == 3 and run["bound"] == 3
    assert run["unscheduled"] == {
        never["id"]: "no_common_working_hours",
        seated["id"]: "no_common_session",
    }
    assert run["solver"] in ("cp-sat", "greedy") and run["gap"] == 0.0
    with db.transaction() as session:
        placed = [session.get(MeetingRequest, __import__("uuid").UUID(m)) for m in fits]
        assert len({m.slot_id for m in placed}) == 3 and {m.table_number for m in placed} == {1}
        assert all(m.published for m in placed)
    agenda = client.get(f"{brokerage.url}/matchmaking/agenda", headers=hub.person.headers)
    assert len(agenda.get_json()["meetings"]) == 3
    assert len(outbox("meeting.scheduled")) == 3
    published = outbox("meetings.agenda_published")
    assert published[-1]["meetings"] == 3

    # Rescheduling keeps published meetings where they are.
    before = {m: _slot(m) for m in fits}
    again = _run(client, brokerage, time_limit=10)
    assert again["status"] == "done" and {m: _slot(m) for m in fits} == before
    with db.transaction() as session:
        assert session.query(ScheduleRun).count() == 2


def _slot(meeting_id):
    import uuid

    with db.transaction() as session:
        meeting = session.get(MeetingRequest, uuid.UUID(meeting_id))
        return meeting.slot_id, meeting.table_number
