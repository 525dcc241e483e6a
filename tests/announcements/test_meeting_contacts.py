"""Contact outside events: an organisation asks another for a meeting at one of three times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from services.announcements.models import MeetingRequest, db
from tests.announcements.factories import API

URL = f"{API}/contacts"


def _times(days=10, count=3) -> list[str]:
    # 08:00 UTC is 09:00 or 10:00 in Paris and 16:00 in Shanghai.
    base = (datetime.now(UTC) + timedelta(days=days)).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    return [(base + timedelta(days=i)).isoformat() for i in range(count)]


def _pair(make):
    french = make.organisation(country="FR", park="sophia_antipolis", name="PME Azur")
    chinese = make.organisation(country="CN", park="jiangning", name="南京实验室")
    return french, chinese, make.member_of(french, "fr"), make.member_of(chinese, "zh")


def _ask(client, person, recipient, **fields):
    body = {
        "recipient_organisation_id": str(recipient.id),
        "message": "Nous cherchons un laboratoire partenaire.",
        "proposed_times": _times(),
        **fields,
    }
    return client.post(URL, json=body, headers=person.headers)


def _count() -> int:
    with db.transaction() as session:
        return session.query(MeetingRequest).count()


def test_an_organisation_proposes_three_times_and_the_other_accepts_one(make, client, outbox):
    _french, chinese, sme, lab = _pair(make)
    response = _ask(client, sme, chinese)
    assert response.status_code == 201, response.get_json()
    contact = response.get_json()
    assert contact["requester_timezone"] == "Europe/Paris"
    assert contact["recipient_timezone"] == "Asia/Shanghai"
    first = contact["proposed_times"][0]["starts_at"]
    assert first["recipient"][11:16] == "16:00" and first["requester"][11:16] in ("09:00", "10:00")
    assert first["reader"] == first["requester"]  # a French reader: Paris
    received = client.get(f"{URL}?direction=received", headers=lab.headers).get_json()
    assert [c["id"] for c in received] == [contact["id"]]
    assert received[0]["proposed_times"][0]["starts_at"]["reader"] == first["recipient"]

    chosen = contact["proposed_times"][1]["starts_at"]["utc"]
    accepted = client.post(
        f"{URL}/{contact['id']}/accept", json={"starts_at": chosen}, headers=lab.headers
    )
    assert accepted.status_code == 200, accepted.get_json()
    assert accepted.get_json()["status"] == "accepted"
    assert accepted.get_json()["starts_at"]["utc"] == chosen
    ics = client.get(f"{URL}/{contact['id']}/ics", headers=sme.headers)
    (vevent,) = [c for c in Calendar.from_ical(ics.data).walk() if c.name == "VEVENT"]
    assert vevent.decoded("dtstart") == datetime.fromisoformat(chosen)
    assert str(vevent["summary"]) == "B2B: 南京实验室"
    events = [e["meeting"] for e in outbox("meeting.accepted")]
    assert events[0]["announcement_id"] is None and events[0]["starts_at"] == chosen
    assert "message" not in events[0] and "reason" not in events[0]
    # Organisations asked and were asked: no person named, no event zone.
    assert events[0]["requester_user_id"] is None and events[0]["recipient_user_id"] is None
    assert events[0]["timezone"] is None


def test_contact_requests_are_checked_field_by_field(make, client):
    french, chinese, sme, _lab = _pair(make)
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    cases = [
        ({"proposed_times": _times(count=4)}, "/proposed_times"),
        ({"proposed_times": []}, "/proposed_times"),
        ({"proposed_times": [past]}, "/proposed_times/0"),
        ({"proposed_times": ["2030-01-01T09:00:00"]}, "/proposed_times/0"),
        ({"proposed_times": [_times()[0], _times()[0]]}, "/proposed_times"),
        ({"message": ""}, "/message"),
        ({"minutes": 25}, "/minutes"),
    ]
    for fields, pointer in cases:
        response = _ask(client, sme, chinese, **fields)
        assert response.status_code == 422, (fields, response.get_json())
        pointers = [e["pointer"] for e in response.get_json()["errors"]]
        assert pointer in pointers, (fields, pointers)
    pending = make.organisation(status="pending")
    assert _ask(client, sme, pending).status_code == 404
    response = _ask(client, sme, french)
    assert response.status_code == 409
    assert response.get_json()["code"] == "meeting.same_organisation"
    assert _count() == 0


def test_one_open_request_between_two_organisations(make, client):
    _french, chinese, sme, lab = _pair(make)
    contact = _ask(client, sme, chinese).get_json()
    colleague = make.admin_of(_french)
    response = _ask(client, colleague, chinese)
    assert response.status_code == 409 and response.get_json()["code"] == (
        "meeting.already_requested"
    )
    declined = client.post(
        f"{URL}/{contact['id']}/decline", json={"note": "Pas maintenant."}, headers=lab.headers
    )
    assert declined.status_code == 200 and declined.get_json()["note"] == "Pas maintenant."
    assert _ask(client, colleague, chinese).status_code == 201


def test_only_the_two_organisations_see_and_decide(make, client):
    _french, chinese, sme, lab = _pair(make)
    contact = _ask(client, sme, chinese).get_json()
    intruder = make.admin_of(make.organisation())
    detail = f"{URL}/{contact['id']}"
    assert client.get(detail, headers=intruder.headers).status_code == 404
    assert client.get(URL, headers=intruder.headers).get_json() == []
    times = contact["proposed_times"][0]["starts_at"]["utc"]
    for action, body in (("accept", {"starts_at": times}), ("decline", {}), ("cancel", {})):
        response = client.post(f"{detail}/{action}", json=body, headers=intruder.headers)
        assert response.status_code == 404, action
    response = client.post(f"{detail}/accept", json={"starts_at": times}, headers=sme.headers)
    assert response.status_code == 403
    response = client.post(
        f"{detail}/accept", json={"starts_at": _times(days=40)[0]}, headers=lab.headers
    )
    assert response.status_code == 422
    robot = make.admin_of(chinese).token(client_id="crm", scope="announcements:read")
    response = client.post(
        f"{detail}/accept",
        json={"starts_at": times},
        headers={"Authorization": f"Bearer {robot}"},
    )
    assert response.status_code == 403
    assert client.get(detail, headers={"Authorization": f"Bearer {robot}"}).status_code == 200
    pending_org = make.organisation(status="pending")
    response = _ask(client, make.admin_of(pending_org), chinese)
    assert response.status_code == 403
    assert response.get_json()["code"] == "organisation.pending"
    assert client.get(f"{detail}/ics", headers=lab.headers).status_code == 409
    with db.transaction() as session:
        assert session.query(MeetingRequest).one().status == "requested"
    cancelled = client.post(f"{detail}/cancel", json={}, headers=lab.headers)
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    again = client.post(f"{detail}/cancel", json={}, headers=sme.headers)
    assert again.status_code == 409
