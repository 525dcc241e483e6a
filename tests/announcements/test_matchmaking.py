"""Matchmaking on an event: the organiser's settings, sessions and slots, and who may set them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from services.announcements.models import Matchmaking, MeetingSession, db
from tests.announcements.factories import API
from tests.announcements.meeting_setup import DAY, Brokerage, settings_body


def _event(make, organisation, **fields):
    return make.published(
        make.staff(), "event", author_organisation_id=str(organisation.id), **fields
    )


def _put(client, event, person, **overrides):
    return client.put(
        f"{API}/announcements/{event['id']}/matchmaking",
        json=settings_body(**overrides),
        headers=person.headers,
    )


def test_an_organiser_switches_meetings_on_and_gets_sessions_cut_into_slots(make, client):
    organisation = make.organisation()
    event = _event(make, organisation, timezone="Europe/Paris")
    response = _put(client, event, make.admin_of(organisation))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["mode"] == "participants" and body["meeting_minutes"] == 30
    morning, afternoon = body["sessions"]
    assert len(morning["slots"]) == 6 and len(afternoon["slots"]) == 4
    assert morning["in_person"] and not afternoon["in_person"]
    nine = datetime.fromisoformat(f"{DAY}T09:00:00").replace(tzinfo=ZoneInfo("Europe/Paris"))
    first = morning["slots"][0]
    assert datetime.fromisoformat(first["starts_at"]["utc"]) == nine.astimezone(UTC)
    assert first["starts_at"]["local"].startswith(f"{DAY}T09:00:00")
    assert datetime.fromisoformat(morning["slots"][-1]["ends_at"]["utc"]) == (
        nine + timedelta(hours=3)
    ).astimezone(UTC)
    # A reader in Shanghai sees the same slots in their own zone too.
    reader = make.member_of(make.organisation(country="CN", park="jiangning"), "zh")
    shown = client.get(
        f"{API}/announcements/{event['id']}/matchmaking?tz=Asia/Shanghai", headers=reader.headers
    ).get_json()
    assert shown["sessions"][0]["slots"][0]["starts_at"]["reader"] == (
        nine.astimezone(ZoneInfo("Asia/Shanghai")).isoformat()
    )


def test_twenty_minute_meetings_leave_no_partial_slot(make, client):
    organisation = make.organisation()
    event = _event(make, organisation)
    response = _put(client, event, make.staff(), meeting_minutes=20)
    assert response.status_code == 200, response.get_json()
    sessions = response.get_json()["sessions"]
    assert [len(s["slots"]) for s in sessions] == [9, 6]


def test_a_session_across_midnight_in_the_events_zone_keeps_its_slots_in_order(make, client):
    organisation = make.organisation(country="CN", park="jiangning")
    event = _event(make, organisation, timezone="Asia/Shanghai")
    night = [
        {"starts_at": f"{DAY}T23:00:00", "ends_at": f"{DAY + timedelta(days=1)}T01:00:00"},
    ]
    response = _put(client, event, make.staff(), sessions=night)
    assert response.status_code == 200, response.get_json()
    slots = response.get_json()["sessions"][0]["slots"]
    assert len(slots) == 4
    assert [s["starts_at"]["local"][11:16] for s in slots] == ["23:00", "23:30", "00:00", "00:30"]
    assert slots[2]["starts_at"]["local"].startswith(str(DAY + timedelta(days=1)))
    assert slots[0]["starts_at"]["utc"].startswith(f"{DAY}T15:00:00")


def _codes(response) -> dict:
    return {e["pointer"]: e["code"] for e in response.get_json()["errors"]}


def test_settings_that_do_not_hold_together_are_refused_field_by_field(make, client):
    organisation = make.organisation()
    event = _event(make, organisation)
    staff = make.staff()
    now = datetime.now(UTC)
    cases = [
        ({"meeting_minutes": 25}, "/meeting_minutes", "one_of"),
        ({"mode": "lottery"}, "/mode", "one_of"),
        ({"tables": -1}, "/tables", "too_small"),
        ({"max_meetings": 0}, "/max_meetings", "too_small"),
        ({"sessions": []}, "/sessions", None),  # shared.field_errors names it oddly
        (
            {
                "booking_opens_at": now.isoformat(),
                "booking_closes_at": (now - timedelta(days=1)).isoformat(),
            },
            "/booking_closes_at",
            "invalid",
        ),
        (
            {"sessions": [{"starts_at": f"{DAY}T09:00:00", "ends_at": f"{DAY}T09:10:00"}]},
            "/sessions/0/ends_at",
            "invalid",
        ),
        (
            {
                "sessions": [
                    {"starts_at": f"{DAY}T09:00:00", "ends_at": f"{DAY}T11:00:00"},
                    {"starts_at": f"{DAY}T10:00:00", "ends_at": f"{DAY}T12:00:00"},
                ]
            },
            "/sessions/1/starts_at",
            "invalid",
        ),
        ({"tables": 0}, "/tables", "invalid"),
        ({"online": False}, "/online", "invalid"),
    ]
    for overrides, pointer, code in cases:
        response = _put(client, event, staff, **overrides)
        assert response.status_code == 422, (overrides, response.get_json())
        assert response.mimetype == "application/problem+json"
        codes = _codes(response)
        assert pointer in codes, (overrides, response.get_json())
        assert code is None or codes[pointer] == code, (overrides, response.get_json())
    with db.transaction() as session:
        assert session.get(Matchmaking, uuid.UUID(event["id"])) is None


def test_only_staff_and_admins_of_a_verified_organiser_set_meetings_up(make, client):
    organisation = make.organisation()
    event = _event(make, organisation)
    outsiders = [
        (make.member_of(organisation), 403),
        (make.admin_of(make.organisation()), 403),
    ]
    for person, status in outsiders:
        response = _put(client, event, person)
        assert response.status_code == status, response.get_json()
    client_token = make.admin_of(organisation).token(client_id="crm", scope="announcements:read")
    response = client.put(
        f"{API}/announcements/{event['id']}/matchmaking",
        json=settings_body(),
        headers={"Authorization": f"Bearer {client_token}"},
    )
    assert response.status_code == 403
    assert (
        client.put(
            f"{API}/announcements/{event['id']}/matchmaking", json=settings_body()
        ).status_code
        == 401
    )
    for status in ("pending", "suspended"):
        held = make.organisation(status=status)
        held_event = _event(make, held)
        response = _put(client, held_event, make.admin_of(held))
        assert response.status_code == 403
        assert response.get_json()["code"] == f"organisation.{status}"
    news = make.published(make.staff(), "news", author_organisation_id=str(organisation.id))
    response = _put(client, news, make.admin_of(organisation))
    assert response.status_code == 409
    with db.transaction() as session:
        assert session.query(Matchmaking).count() == 0
        assert session.query(MeetingSession).count() == 0


def test_reading_the_settings_needs_the_event_and_meetings_switched_on(make, client):
    organisation = make.organisation()
    event = _event(make, organisation)
    reader = make.member_of(make.organisation())
    url = f"{API}/announcements/{event['id']}/matchmaking"
    response = client.get(url, headers=reader.headers)
    assert response.status_code == 404
    assert response.get_json()["code"] == "matchmaking.not_enabled"
    assert _put(client, event, make.staff()).status_code == 200
    assert client.get(url, headers=reader.headers).status_code == 200
    integrator = make.admin_of(organisation).token(client_id="crm", scope="projects:read")
    response = client.get(url, headers={"Authorization": f"Bearer {integrator}"})
    assert response.status_code == 403
    integrator = make.admin_of(organisation).token(client_id="crm", scope="announcements:read")
    assert client.get(url, headers={"Authorization": f"Bearer {integrator}"}).status_code == 200


def test_sessions_and_meeting_length_stay_once_a_meeting_holds_a_slot(make, client):
    brokerage = Brokerage(make, client)
    first, second = brokerage.join(), brokerage.join()
    meeting = brokerage.requested(first, second)
    # Changing things before anything is booked is fine.
    response = client.put(
        f"{brokerage.url}/matchmaking",
        json=settings_body(max_meetings=8),
        headers=brokerage.organiser.headers,
    )
    assert response.status_code == 200
    assert response.get_json()["sessions"][0]["id"] == brokerage.sessions[0]
    assert brokerage.accept(second, meeting, brokerage.slot(0, 0)).status_code == 200
    response = client.put(
        f"{brokerage.url}/matchmaking",
        json=settings_body(meeting_minutes=15),
        headers=brokerage.organiser.headers,
    )
    assert response.status_code == 409
    assert response.get_json()["code"] == "matchmaking.slots_in_use"
    shown = client.get(f"{brokerage.url}/matchmaking", headers=brokerage.staff.headers)
    assert shown.get_json()["meeting_minutes"] == 30
    # Settings that keep the slots still change.
    response = client.put(
        f"{brokerage.url}/matchmaking",
        json=settings_body(max_meetings=3, tables=9),
        headers=brokerage.organiser.headers,
    )
    assert response.status_code == 200 and response.get_json()["tables"] == 9


def test_two_organisers_switching_meetings_on_at_once_leave_one_setup(make, app):
    import threading

    organisation = make.organisation()
    for _round in range(3):
        event = _event(make, organisation)
        headers = [make.admin_of(organisation).headers, make.staff().headers]
        barrier = threading.Barrier(2)
        codes: list = [None, None]

        def attempt(i, event=event, headers=headers, barrier=barrier, codes=codes):
            racer = app.test_client()
            barrier.wait()
            codes[i] = racer.put(
                f"{API}/announcements/{event['id']}/matchmaking",
                json=settings_body(),
                headers=headers[i],
            ).status_code

        threads = [threading.Thread(target=attempt, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert 200 in codes and set(codes) <= {200, 409}, codes
        with db.transaction() as session:
            sessions = session.query(MeetingSession).filter_by(
                announcement_id=uuid.UUID(event["id"])
            )
            assert sessions.count() == 2
