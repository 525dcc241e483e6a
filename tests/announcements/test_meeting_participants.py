"""Participants: registered attendees of verified organisations opt in with a profile."""

from __future__ import annotations

from services.announcements.models import Participant, db
from tests.announcements.meeting_setup import Brokerage


def _count() -> int:
    with db.transaction() as session:
        return session.query(Participant).count()


def test_a_registered_attendee_opts_in_with_a_profile_and_reads_it_back(make, client):
    brokerage = Brokerage(make, client)
    organisation = make.organisation(country="CN", park="jiangning")
    party = brokerage.join(
        organisation,
        "zh",
        offers={"zh": "生物传感器", "en": "Biosensors"},
        seeks={"fr": "Partenaires de distribution en Europe"},
        sectors=["biotech_health"],
        languages=["zh", "en"],
        attendance="online",
        session_ids=[brokerage.sessions[1]],
        working_hours_start="09:00",
        working_hours_end="18:00",
        timezone="Asia/Shanghai",
    )
    profile = party.participant
    assert profile["organisation"]["id"] == str(organisation.id)
    assert profile["offers"] == {"zh": "生物传感器", "en": "Biosensors"}
    assert (
        profile["calendar_url"].startswith("http")
        and "/meeting-calendars/" in (profile["calendar_url"])
    )
    mine = client.get(
        f"{brokerage.url}/matchmaking/participants/me", headers=party.person.headers
    ).get_json()
    assert mine["id"] == profile["id"] and mine["calendar_url"] is None
    assert mine["timezone"] == "Asia/Shanghai" and mine["session_ids"] == [brokerage.sessions[1]]

    changed = client.patch(
        f"{brokerage.url}/matchmaking/participants/me",
        json={"working_hours_start": "08:30", "languages": ["zh"]},
        headers=party.person.headers,
    )
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["working_hours_start"] == "08:30"
    assert changed.get_json()["offers"] == {"zh": "生物传感器", "en": "Biosensors"}


def test_only_people_registered_for_the_event_take_part_once(make, client):
    brokerage = Brokerage(make, client)
    person = make.member_of(make.organisation())
    url = f"{brokerage.url}/matchmaking/participants"
    response = client.post(url, json=brokerage.profile(), headers=person.headers)
    assert response.status_code == 409
    assert response.get_json()["code"] == "participant.not_registered"
    brokerage.register(person)
    assert client.post(url, json=brokerage.profile(), headers=person.headers).status_code == 201
    again = client.post(url, json=brokerage.profile(), headers=person.headers)
    assert again.status_code == 409
    assert again.get_json()["code"] == "participant.already_joined"
    assert _count() == 1


def test_organisations_not_verified_and_integrator_clients_do_not_take_part(make, client):
    brokerage = Brokerage(make, client)
    url = f"{brokerage.url}/matchmaking/participants"
    for status in ("pending", "suspended"):
        organisation = make.organisation(status=status)
        person = make.member_of(organisation)
        if status == "pending":  # pending organisations register for public events
            brokerage.register(person)
        response = client.post(url, json=brokerage.profile(), headers=person.headers)
        assert response.status_code == 403, response.get_json()
        assert response.get_json()["code"] == f"organisation.{status}"
    robot = make.admin_of(make.organisation()).token(client_id="crm", scope="announcements:read")
    response = client.post(
        url, json=brokerage.profile(), headers={"Authorization": f"Bearer {robot}"}
    )
    assert response.status_code == 403
    assert client.post(url, json=brokerage.profile()).status_code == 401
    assert _count() == 0


def test_an_event_without_meetings_takes_no_participants(make, client):
    staff = make.staff()
    event = make.published(staff, "event")
    person = make.member_of(make.organisation())
    from tests.announcements.factories import API

    client.post(f"{API}/announcements/{event['id']}/registrations", headers=person.headers)
    response = client.post(
        f"{API}/announcements/{event['id']}/matchmaking/participants",
        json={"attendance": "in_person", "session_ids": [event["id"]]},
        headers=person.headers,
    )
    assert response.status_code == 404
    assert response.get_json()["code"] == "matchmaking.not_enabled"


def test_profiles_that_do_not_fit_the_event_are_refused_field_by_field(make, client):
    brokerage = Brokerage(make, client)
    person = make.member_of(make.organisation())
    brokerage.register(person)
    url = f"{brokerage.url}/matchmaking/participants"
    cases = [
        ({"session_ids": [brokerage.event["id"]]}, "/session_ids/0", "invalid"),
        ({"session_ids": []}, "/session_ids", None),
        ({"attendance": "by_post"}, "/attendance", "one_of"),
        ({"working_hours_start": None}, "/working_hours_start", "required"),
        ({"working_hours_end": "25:00"}, "/working_hours_end", "invalid"),
        ({"timezone": "Mars/Olympus"}, "/timezone", "invalid"),
        ({"offers": {"de": "Sensoren"}}, "/offers", "invalid"),
        ({"sectors": ["alchemy"]}, "/sectors/0", "one_of"),
        ({"countries_sought": ["france"]}, "/countries_sought/0", "invalid"),
        ({"project_ids": ["not-a-uuid"]}, "/project_ids/0", "invalid_uuid"),
        ({"working_hours_end": "08:00"}, "/working_hours_end", "invalid"),
        (
            {"attendance": "in_person", "session_ids": [brokerage.sessions[1]]},
            "/session_ids",
            "invalid",
        ),
    ]
    for fields, pointer, code in cases:
        response = client.post(url, json=brokerage.profile(**fields), headers=person.headers)
        assert response.status_code == 422, (fields, response.get_json())
        errors = {e["pointer"]: e["code"] for e in response.get_json()["errors"]}
        assert pointer in errors, (fields, errors)
        assert code is None or errors[pointer] == code, (fields, errors)
    assert _count() == 0


def test_online_attendance_needs_an_event_that_offers_it(make, client):
    brokerage = Brokerage(
        make,
        client,
        online=False,
        sessions=[{"starts_at": "2030-01-10T09:00:00", "ends_at": "2030-01-10T12:00:00"}],
    )
    person = make.member_of(make.organisation())
    brokerage.register(person)
    response = client.post(
        f"{brokerage.url}/matchmaking/participants",
        json=brokerage.profile(attendance="online"),
        headers=person.headers,
    )
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/attendance"


def test_a_profile_is_changed_only_by_its_own_person(make, client):
    brokerage = Brokerage(make, client)
    party = brokerage.join()
    stranger = make.admin_of(make.organisation())
    response = client.patch(
        f"{brokerage.url}/matchmaking/participants/me",
        json={"languages": ["de"]},
        headers=stranger.headers,
    )
    assert response.status_code == 404
    refused = client.patch(
        f"{brokerage.url}/matchmaking/participants/me",
        json={"session_ids": ["6f1c0f6e-3c39-4a7e-9d55-1b8c2f1f6a10"]},
        headers=party.person.headers,
    )
    assert refused.status_code == 422
    mine = client.get(
        f"{brokerage.url}/matchmaking/participants/me", headers=party.person.headers
    ).get_json()
    assert mine["languages"] == [] and mine["session_ids"] == brokerage.sessions


def test_a_deleted_account_leaves_no_participation_and_its_meetings_are_called_off(
    make, client, outbox
):
    import uuid
    from datetime import UTC, datetime

    from services.announcements.events import HANDLERS
    from services.announcements.models import MeetingBooking, MeetingRequest

    brokerage = Brokerage(make, client)
    leaving, staying, other = brokerage.join(), brokerage.join(), brokerage.join()
    meeting = brokerage.requested(leaving, staying)
    assert brokerage.accept(staying, meeting, brokerage.slot(0, 0)).status_code == 200
    declined = brokerage.requested(other, leaving)
    client.post(
        f"{brokerage.url}/meetings/{declined['id']}/decline",
        json={},
        headers=leaving.person.headers,
    )
    envelope = {"id": str(uuid.uuid4()), "occurred_at": datetime.now(UTC)}
    with db.transaction() as session:
        HANDLERS["user.deleted"](session, {"id": leaving.person.id}, envelope)
    with db.transaction() as session:
        assert session.query(Participant).filter_by(user_id=leaving.person.id).count() == 0
        assert session.query(MeetingBooking).count() == 0
        kept = session.get(MeetingRequest, uuid.UUID(meeting["id"]))
        assert kept.status == "cancelled" and kept.requested_by is None
        assert session.get(MeetingRequest, uuid.UUID(declined["id"])).decided_by is None
    assert [e["meeting"]["id"] for e in outbox("meeting.cancelled")] == [meeting["id"]]
    agenda = client.get(f"{brokerage.url}/matchmaking/agenda", headers=staying.person.headers)
    assert agenda.status_code == 200 and agenda.get_json()["meetings"] == []
    # The slot is free again for the one who stays.
    again = brokerage.requested(other, staying)
    assert brokerage.accept(staying, again, brokerage.slot(0, 0)).status_code == 200
