"""Registration for events: capacity, waiting list, cancelling, the organiser's list."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime

from services.announcements.events import HANDLERS
from services.announcements.models import db
from shared.projections import USER_FIELDS
from tests.announcements.factories import API
from tests.support.envelopes import members_envelope


def _register(client, event, person):
    return client.post(f"{API}/announcements/{event['id']}/registrations", headers=person.headers)


def test_places_then_waiting_list_then_promotion_when_a_place_frees(make, client, outbox):
    organisation = make.organisation()
    staff = make.staff()
    event = make.published(staff, "event", capacity=2, author_organisation_id=str(organisation.id))
    people = [make.member_of(make.organisation()) for _ in range(4)]
    statuses = [_register(client, event, p).get_json()["status"] for p in people]
    assert statuses == ["registered", "registered", "waiting", "waiting"]
    assert _register(client, event, people[0]).status_code == 409

    # Someone else cannot cancel a person's place: `me` is always the caller.
    intruder = make.admin_of(make.organisation())
    response = client.delete(
        f"{API}/announcements/{event['id']}/registrations/me", headers=intruder.headers
    )
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"

    cancelled = client.delete(
        f"{API}/announcements/{event['id']}/registrations/me", headers=people[1].headers
    )
    assert cancelled.get_json()["status"] == "cancelled"
    mine = client.get(
        f"{API}/announcements/{event['id']}/registrations/me", headers=people[2].headers
    )
    assert mine.get_json()["status"] == "registered"

    # The organiser (an admin of the author organisation) sees the list, in order.
    organiser = make.admin_of(organisation)
    listing = client.get(
        f"{API}/announcements/{event['id']}/registrations", headers=organiser.headers
    ).get_json()
    assert [r["user_id"] for r in listing["registered"]] == [str(people[0].id), str(people[2].id)]
    assert [r["user_id"] for r in listing["waiting"]] == [str(people[3].id)]
    # Nobody else does.
    for outsider in (people[0], make.admin_of(make.organisation())):
        response = client.get(
            f"{API}/announcements/{event['id']}/registrations", headers=outsider.headers
        )
        assert response.status_code in (403, 404)

    changes = [(d["user_id"], d["status"]) for d in outbox("announcement.registration_changed")]
    assert changes[-2:] == [(str(people[1].id), "cancelled"), (str(people[2].id), "promoted")]


def test_registration_needs_a_published_event_the_person_may_see(make, client):
    staff = make.staff()
    news = make.published(staff)
    assert _register(client, news, make.member_of(make.organisation())).status_code == 409
    draft = make.draft(staff, "event")
    assert _register(client, draft, make.member_of(make.organisation())).status_code == 404
    hidden = make.published(staff, "event", audience={"scope": "selected", "countries": ["DE"]})
    assert _register(client, hidden, make.member_of(make.organisation())).status_code == 404
    response = client.post(
        f"{API}/announcements/{uuid.uuid4()}/registrations", headers=staff.headers
    )
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    response = client.post(f"{API}/announcements/{news['id']}/registrations")
    assert response.status_code == 401


def test_two_people_asking_at_once_for_the_last_place_one_gets_it_one_waits(make, app):
    staff = make.staff()
    for _round in range(5):
        event = make.published(staff, "event", capacity=2)
        first = make.member_of(make.organisation())
        assert _register(app.test_client(), event, first).get_json()["status"] == "registered"
        rivals = [make.member_of(make.organisation()) for _ in range(2)]
        headers = [r.headers for r in rivals]  # signed before the race
        barrier = threading.Barrier(2)
        results: list = [None, None]

        def attempt(i, event=event, headers=headers, barrier=barrier, results=results):
            client = app.test_client()
            barrier.wait()
            response = client.post(
                f"{API}/announcements/{event['id']}/registrations", headers=headers[i]
            )
            results[i] = (response.status_code, response.get_json())

        threads = [threading.Thread(target=attempt, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert [code for code, _ in results] == [201, 201], results
        assert sorted(body["status"] for _, body in results) == ["registered", "waiting"]
        listing = (
            app.test_client()
            .get(f"{API}/announcements/{event['id']}/registrations", headers=staff.headers)
            .get_json()
        )
        assert len(listing["registered"]) == 2 and len(listing["waiting"]) == 1


def test_a_deleted_account_leaves_its_place_to_the_first_waiting(make, client):
    staff = make.staff()
    event = make.published(staff, "event", capacity=1)
    leaving, waiting = make.member_of(make.organisation()), make.member_of(make.organisation())
    _register(client, event, leaving)
    _register(client, event, waiting)
    envelope = {"id": str(uuid.uuid4()), "occurred_at": datetime.now(UTC)}
    with db.transaction() as session:
        HANDLERS["user.deleted"](session, {"id": leaving.id}, envelope)
    listing = client.get(
        f"{API}/announcements/{event['id']}/registrations", headers=staff.headers
    ).get_json()
    assert [r["user_id"] for r in listing["registered"]] == [str(waiting.id)]
    assert str(leaving.id) not in str(listing)


def test_raising_the_capacity_moves_the_waiting_list_up(make, client, outbox):
    staff = make.staff()
    event = make.published(staff, "event", capacity=1)
    people = [make.member_of(make.organisation()) for _ in range(3)]
    for person in people:
        _register(client, event, person)
    response = client.patch(
        f"{API}/announcements/{event['id']}", json={"capacity": 2}, headers=staff.headers
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["registrations"] == {"registered": 2, "waiting": 1}
    promoted = [
        d["user_id"]
        for d in outbox("announcement.registration_changed")
        if d["status"] == "promoted"
    ]
    assert promoted == [str(people[1].id)]


def _event(event_type: str, data: dict, occurred_at: datetime | None = None) -> None:
    """A members event handled as the worker does: through the consumer and its inbox."""
    from services.announcements.tasks import celery_app

    envelope = members_envelope(event_type, data, occurred_at)
    assert celery_app.consumer.handle(envelope) == "handled"


def _person(person, organisation, full_name: str) -> dict:
    return {
        "organisation_id": str(organisation.id),
        "user_id": str(person.id),
        "role": "org_member",
        "email": f"{person.id}@example.cn",
        "full_name": full_name,
        "language": "zh",
        "timezone": "Asia/Shanghai",
    }


def test_the_organisers_list_names_people_as_members_last_told_and_forgets_the_deleted(
    make, client
):
    staff = make.staff()
    event = make.published(staff, "event", capacity=5)
    lab = make.organisation(name="Jiangning Smart Sensing", country="CN")
    wang, unknown = make.member_of(lab), make.member_of(lab)
    _event("member.joined", _person(wang, lab, "王小明"))
    for person in (wang, unknown):
        assert _register(client, event, person).status_code == 201

    def names() -> dict:
        listing = client.get(
            f"{API}/announcements/{event['id']}/registrations", headers=staff.headers
        ).get_json()
        return {r["user_id"]: r["full_name"] for r in listing["registered"]}

    # Nobody has told announcements the second person's name yet.
    assert names() == {str(wang.id): "王小明", str(unknown.id): None}
    joined = _person(wang, lab, "Wang Xiaoming")
    renamed = {"id": joined["user_id"], **{k: joined[k] for k in USER_FIELDS}}
    _event("user.updated", renamed)
    assert names()[str(wang.id)] == "Wang Xiaoming"

    _event("user.deleted", {"id": str(wang.id)})
    assert str(wang.id) not in names()
    # A late event about the deleted person cannot bring their name back.
    _event("user.updated", renamed, occurred_at=datetime(2030, 1, 1, tzinfo=UTC))
    with db.transaction() as session:
        from services.announcements.models import User

        assert session.get(User, wang.id) is None
