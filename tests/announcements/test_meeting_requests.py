"""Meeting requests at an event: ask, accept into a slot, decline, cancel; limits and window."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from services.announcements.models import MeetingBooking, MeetingRequest, Organisation, db
from tests.announcements.meeting_setup import Brokerage


def _rows() -> tuple[int, int]:
    with db.transaction() as session:
        return session.query(MeetingRequest).count(), session.query(MeetingBooking).count()


def _post(brokerage, meeting, action, party, **body):
    return brokerage.client.post(
        f"{brokerage.url}/meetings/{meeting['id']}/{action}",
        json=body,
        headers=party.person.headers,
    )


def test_a_request_accepted_into_a_common_slot_gets_a_table(make, client, outbox):
    brokerage = Brokerage(make, client)
    asker, asked = brokerage.join(), brokerage.join()
    meeting = brokerage.requested(asker, asked)
    assert meeting["status"] == "requested" and meeting["online"] is False
    assert meeting["reason"] == "Let us talk about sensors."
    accepted = brokerage.accept(asked, meeting, brokerage.slot(0, 2))
    assert accepted.status_code == 200, accepted.get_json()
    body = accepted.get_json()
    assert body["status"] == "accepted" and body["table_number"] == 1
    assert body["slot_id"] == brokerage.slot(0, 2)
    assert body["starts_at"].startswith(
        brokerage.settings["sessions"][0]["slots"][2]["starts_at"]["utc"][:19]
    )
    # Another pair in the same slot gets the next table.
    third, fourth = brokerage.join(), brokerage.join()
    other = brokerage.requested(third, fourth)
    assert brokerage.accept(fourth, other, brokerage.slot(0, 2)).get_json()["table_number"] == 2
    events = outbox("meeting.accepted")
    assert [e["meeting"]["id"] for e in events] == [meeting["id"], other["id"]]
    assert events[0]["meeting"]["table"] == 1 and events[0]["meeting"]["starts_at"]
    requested = outbox("meeting.requested")[0]["meeting"]
    assert "reason" not in requested and requested["status"] == "requested"
    # The two people, for notifications to tell them, and the event's zone.
    assert requested["requester_user_id"] == str(asker.person.id)
    assert requested["recipient_user_id"] == str(asked.person.id)
    assert requested["timezone"] == "Europe/Paris"
    listing = client.get(
        f"{brokerage.url}/meetings?direction=received", headers=asked.person.headers
    )
    assert [m["id"] for m in listing.get_json()] == [meeting["id"]]
    sent = client.get(f"{brokerage.url}/meetings?direction=sent", headers=asked.person.headers)
    assert sent.get_json() == []


def test_one_open_request_per_pair_and_none_within_one_organisation(make, client):
    brokerage = Brokerage(make, client)
    organisation = make.organisation()
    first, second = brokerage.join(organisation), brokerage.join()
    colleague = brokerage.join(organisation)
    brokerage.requested(first, second)
    for asker, asked in ((first, second), (second, first)):
        response = brokerage.ask(asker, asked)
        assert response.status_code == 409
        assert response.get_json()["code"] == "meeting.already_requested"
    response = brokerage.ask(first, colleague)
    assert response.status_code == 409
    assert response.get_json()["code"] == "meeting.same_organisation"
    assert _rows() == (1, 0)


def test_requests_are_refused_field_by_field_and_outside_the_event(make, client):
    brokerage = Brokerage(make, client)
    elsewhere = Brokerage(make, client)
    asker, outsider = brokerage.join(), elsewhere.join()
    response = brokerage.ask(asker, outsider)
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/recipient_id"
    response = client.post(
        f"{brokerage.url}/meetings",
        json={"recipient_id": "nope", "reason": ""},
        headers=asker.person.headers,
    )
    assert response.status_code == 422
    pointers = {e["pointer"] for e in response.get_json()["errors"]}
    assert pointers == {"/recipient_id", "/reason"}
    # Someone who does not take part cannot ask.
    stranger = make.member_of(make.organisation())
    brokerage.register(stranger)
    response = client.post(
        f"{brokerage.url}/meetings",
        json={"recipient_id": asker.id, "reason": "Hello"},
        headers=stranger.headers,
    )
    assert response.status_code == 404
    assert _rows() == (0, 0)


def test_requests_wait_for_the_booking_window(make, client):
    now = datetime.now(UTC)
    for opens, closes in (
        (now + timedelta(days=1), now + timedelta(days=2)),
        (now - timedelta(days=2), now - timedelta(days=1)),
    ):
        brokerage = Brokerage(
            make, client, booking_opens_at=opens.isoformat(), booking_closes_at=closes.isoformat()
        )
        asker, asked = brokerage.join(), brokerage.join()
        response = brokerage.ask(asker, asked)
        assert response.status_code == 409
        assert response.get_json()["code"] == "meeting.booking_closed"
    assert _rows() == (0, 0)


def test_the_most_meetings_per_participant_is_enforced(make, client):
    brokerage = Brokerage(make, client, max_meetings=1)
    busy, first, second = brokerage.join(), brokerage.join(), brokerage.join()
    meeting = brokerage.requested(first, busy)
    waiting = brokerage.requested(second, busy)
    assert brokerage.accept(busy, meeting, brokerage.slot(0, 0)).status_code == 200
    response = brokerage.accept(busy, waiting, brokerage.slot(0, 1))
    assert response.status_code == 409
    assert response.get_json()["code"] == "meeting.limit_reached"
    response = brokerage.ask(busy, brokerage.join())
    assert response.status_code == 409 and response.get_json()["code"] == "meeting.limit_reached"
    # Cancelling frees room for another meeting.
    assert _post(brokerage, meeting, "cancel", first).status_code == 200
    assert brokerage.accept(busy, waiting, brokerage.slot(0, 1)).status_code == 200


def test_accepting_needs_a_slot_both_attend_in_the_meetings_format_and_hours(make, client):
    brokerage = Brokerage(make, client)
    morning = brokerage.join(attendance="in_person", session_ids=[brokerage.sessions[0]])
    both = brokerage.join()
    afternoon = brokerage.join(attendance="online", session_ids=[brokerage.sessions[1]])
    meeting = brokerage.requested(both, morning)
    response = brokerage.accept(morning, meeting, None)
    assert response.status_code == 422 and response.get_json()["errors"][0]["pointer"] == "/slot_id"
    response = brokerage.accept(morning, meeting, brokerage.slot(1, 0))
    assert response.status_code == 409
    assert response.get_json()["code"] == "meeting.slot_not_common"
    # An in-person meeting in an online-only session is refused even when both attend it.
    partner = brokerage.join()
    inperson = brokerage.requested(both, partner, online=False)
    response = brokerage.accept(partner, inperson, brokerage.slot(1, 0))
    assert response.status_code == 409
    assert response.get_json()["code"] == "meeting.slot_not_common"
    # Online between Paris (08:00-18:00) and Shanghai (09:00-12:00): 14:00 Paris is 20:00 or
    # 21:00 in Shanghai, outside the Chinese side's hours.
    shanghai = brokerage.join(
        attendance="online",
        session_ids=[brokerage.sessions[1]],
        working_hours_start="09:00",
        working_hours_end="12:00",
        timezone="Asia/Shanghai",
    )
    online = brokerage.requested(afternoon, shanghai)
    assert online["online"] is True
    response = brokerage.accept(shanghai, online, brokerage.slot(1, 0))
    assert response.status_code == 409
    assert response.get_json()["code"] == "meeting.outside_working_hours"
    ok = brokerage.accept(both, brokerage.requested(afternoon, both), brokerage.slot(1, 0))
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json()["table_number"] is None and ok.get_json()["online"] is True
    response = brokerage.ask(morning, afternoon)
    assert response.status_code == 409
    assert response.get_json()["code"] == "meeting.no_common_format"


def test_nobody_is_booked_twice_in_a_slot_and_tables_run_out(make, client):
    brokerage = Brokerage(make, client, tables=1)
    busy, first, second = brokerage.join(), brokerage.join(), brokerage.join()
    one = brokerage.requested(first, busy)
    two = brokerage.requested(second, busy)
    assert brokerage.accept(busy, one, brokerage.slot(0, 0)).status_code == 200
    response = brokerage.accept(busy, two, brokerage.slot(0, 0))
    assert response.status_code == 409
    assert response.get_json()["code"] == "meeting.slot_taken"
    third, fourth = brokerage.join(), brokerage.join()
    three = brokerage.requested(third, fourth, online=False)
    response = brokerage.accept(fourth, three, brokerage.slot(0, 0))
    assert response.status_code == 409 and response.get_json()["code"] == "meeting.no_table"
    assert _rows() == (3, 2)
    with db.transaction() as session:
        assert session.get(MeetingRequest, uuid.UUID(two["id"])).status == "requested"


def test_decline_with_a_note_and_cancel_by_either_party(make, client, outbox):
    brokerage = Brokerage(make, client)
    asker, asked, stranger = brokerage.join(), brokerage.join(), brokerage.join()
    meeting = brokerage.requested(asker, asked)
    assert _post(brokerage, meeting, "decline", asker).status_code == 403
    assert _post(brokerage, meeting, "accept", asker).status_code == 403
    assert _post(brokerage, meeting, "decline", stranger).status_code == 404
    assert (
        client.get(
            f"{brokerage.url}/meetings/{meeting['id']}", headers=stranger.person.headers
        ).status_code
        == 404
    )
    declined = _post(brokerage, meeting, "decline", asked, note="Not our field.")
    assert declined.status_code == 200
    assert declined.get_json()["status"] == "declined" and declined.get_json()["note"] == (
        "Not our field."
    )
    again = brokerage.accept(asked, meeting, brokerage.slot(0, 0))
    assert again.status_code == 409 and again.get_json()["code"] == "meeting.not_open"
    # A new request may follow a declined one; cancelling an accepted meeting frees its slot.
    second = brokerage.requested(asker, asked)
    assert brokerage.accept(asked, second, brokerage.slot(0, 0)).status_code == 200
    assert _post(brokerage, second, "cancel", stranger).status_code == 404
    cancelled = _post(brokerage, second, "cancel", asker, note="Flight cancelled.")
    assert cancelled.status_code == 200 and cancelled.get_json()["slot_id"] is None
    assert _post(brokerage, second, "cancel", asked).status_code == 409
    third = brokerage.requested(asked, asker)
    assert brokerage.accept(asker, third, brokerage.slot(0, 0)).status_code == 200
    assert [e["meeting"]["status"] for e in outbox("meeting.cancelled")] == ["cancelled"]
    assert [e["meeting"]["status"] for e in outbox("meeting.declined")] == ["declined"]
    organiser_view = client.get(
        f"{brokerage.url}/meetings/{third['id']}", headers=brokerage.organiser.headers
    )
    assert organiser_view.status_code == 200


def test_in_organiser_mode_acceptance_leaves_the_time_to_the_scheduler(make, client):
    brokerage = Brokerage(make, client, mode="organiser")
    asker, asked = brokerage.join(), brokerage.join()
    meeting = brokerage.requested(asker, asked)
    response = brokerage.accept(asked, meeting, brokerage.slot(0, 0))
    assert response.status_code == 422
    accepted = brokerage.accept(asked, meeting)
    assert accepted.status_code == 200
    assert accepted.get_json()["slot_id"] is None and accepted.get_json()["starts_at"] is None
    assert _rows() == (1, 0)


def test_organisations_no_longer_verified_and_integrators_change_nothing(make, client):
    brokerage = Brokerage(make, client)
    asker, asked = brokerage.join(), brokerage.join()
    meeting = brokerage.requested(asker, asked)
    robot = make.admin_of(asked.organisation).token(client_id="crm", scope="announcements:read")
    response = client.post(
        f"{brokerage.url}/meetings/{meeting['id']}/accept",
        json={"slot_id": brokerage.slot(0, 0)},
        headers={"Authorization": f"Bearer {robot}"},
    )
    assert response.status_code == 403
    for status in ("pending", "suspended"):
        with db.transaction() as session:
            session.get(Organisation, asked.organisation.id).status = status
        response = brokerage.accept(asked, meeting, brokerage.slot(0, 0))
        assert response.status_code == 403
        assert response.get_json()["code"] == f"organisation.{status}"
        response = brokerage.ask(asked, brokerage.join())
        assert response.status_code == 403
    with db.transaction() as session:
        assert session.get(MeetingRequest, uuid.UUID(meeting["id"])).status == "requested"
    assert _rows() == (1, 0)


def test_the_events_break_between_meetings_is_kept_when_participants_pick_slots(make, client):
    brokerage = Brokerage(make, client, gap_slots=1)
    busy, first, second = brokerage.join(), brokerage.join(), brokerage.join()
    one = brokerage.requested(first, busy)
    two = brokerage.requested(second, busy)
    assert brokerage.accept(busy, one, brokerage.slot(0, 2)).status_code == 200
    for index in (1, 3):
        response = brokerage.accept(busy, two, brokerage.slot(0, index))
        assert response.status_code == 409
        assert response.get_json()["code"] == "meeting.no_break"
    assert brokerage.accept(busy, two, brokerage.slot(0, 4)).status_code == 200
