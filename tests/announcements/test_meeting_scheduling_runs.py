"""Starting the organiser's scheduler and reading its runs: who may, and what is checked.

The run itself (the Celery task calling the solver) is tested once the solver is in the tree.
"""

from __future__ import annotations

import uuid

from services.announcements.models import ScheduleRun, db
from tests.announcements.meeting_setup import Brokerage


def _runs() -> list[ScheduleRun]:
    with db.transaction() as session:
        return session.query(ScheduleRun).all()


def test_an_organiser_starts_a_run_and_reads_it(make, client):
    brokerage = Brokerage(make, client, mode="organiser")
    response = client.post(
        f"{brokerage.url}/matchmaking/runs",
        json={"time_limit": 5, "keep_published": False},
        headers=brokerage.organiser.headers,
    )
    assert response.status_code == 202, response.get_json()
    run = response.get_json()
    assert run["status"] in ("queued", "running", "done", "failed")
    assert run["keep_published"] is False and run["publish"] is True and run["time_limit"] == 5
    shown = client.get(
        f"{brokerage.url}/matchmaking/runs/{run['id']}", headers=brokerage.staff.headers
    )
    assert shown.status_code == 200 and shown.get_json()["id"] == run["id"]


def test_only_organisers_start_or_read_runs_and_inputs_are_checked(make, client):
    brokerage = Brokerage(make, client, mode="organiser")
    participant = brokerage.join()
    url = f"{brokerage.url}/matchmaking/runs"
    for person in (participant.person, make.admin_of(make.organisation())):
        assert client.post(url, json={}, headers=person.headers).status_code == 403
    assert client.post(url, json={}).status_code == 401
    for body in ({"time_limit": 0}, {"time_limit": 301}, {"publish": "maybe"}, {"solver": "x"}):
        response = client.post(url, json=body, headers=brokerage.organiser.headers)
        assert response.status_code == 422, body
    assert _runs() == []
    run = client.post(url, json={}, headers=brokerage.organiser.headers).get_json()
    detail = f"{url}/{run['id']}"
    assert client.get(detail, headers=participant.person.headers).status_code == 403
    assert client.get(f"{url}/{uuid.uuid4()}", headers=brokerage.staff.headers).status_code == 404
    elsewhere = Brokerage(make, client)
    response = client.get(
        f"{elsewhere.url}/matchmaking/runs/{run['id']}", headers=elsewhere.staff.headers
    )
    assert response.status_code == 404


def test_a_run_in_progress_blocks_another(make, client):
    brokerage = Brokerage(make, client, mode="organiser")
    url = f"{brokerage.url}/matchmaking/runs"
    run = client.post(url, json={}, headers=brokerage.organiser.headers).get_json()
    with db.transaction() as session:
        session.get(ScheduleRun, uuid.UUID(run["id"])).status = "running"
    response = client.post(url, json={}, headers=brokerage.organiser.headers)
    assert response.status_code == 409
    assert response.get_json()["code"] == "schedule.running"
    assert len(_runs()) == 1


def test_organisers_read_the_accepted_meetings_for_the_schedule_grid(make, client):
    brokerage = Brokerage(make, client, mode="organiser")
    a, b, c = brokerage.join(), brokerage.join(), brokerage.join()
    accepted = brokerage.requested(a, b)
    assert brokerage.accept(b, accepted).status_code == 200
    brokerage.requested(a, c)  # still open: not on the schedule
    url = f"{brokerage.url}/matchmaking/schedule"
    for organiser in (brokerage.organiser, brokerage.staff):
        response = client.get(url, headers=organiser.headers)
        assert response.status_code == 200, response.get_json()
        (shown,) = response.get_json()
        assert shown["id"] == accepted["id"] and shown["slot_id"] is None
        assert shown["requester_organisation_id"] == str(a.organisation.id)
        assert "reason" not in shown and "note" not in shown
    for person in (a.person, make.admin_of(make.organisation())):
        assert client.get(url, headers=person.headers).status_code == 403
    assert client.get(url).status_code == 401
