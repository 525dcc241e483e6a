"""The inbox: who is told of what, in their language, and each person's own inbox API."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime

from sqlalchemy import event, func, insert, select

from services.notifications.models import Membership, Notification, Organisation, User, db
from shared.events import catalogue
from tests.notifications.support import handle, headers

BASE = "/api/notifications/v1"


def _inbox(user_id) -> list[Notification]:
    with db.transaction() as session:
        return list(
            session.scalars(
                select(Notification)
                .where(Notification.user_id == uuid.UUID(user_id))
                .order_by(Notification.created_at)
            )
        )


def _example(event_type: str, **changes) -> dict:
    data = copy.deepcopy(catalogue.latest(event_type).example)
    data.update(changes)
    return data


def test_an_organisations_admins_hear_it_was_verified_each_in_their_language(world):
    org = world.organisation(status="pending", name="Sophia Sensors", name_zh="索菲亚传感")
    fr_admin = world.admin(org, language="fr")
    zh_admin = world.admin(org, language="zh")
    member = world.person(org)
    other = world.admin(world.organisation())
    data = _example("organisation.verified", id=org, name="Sophia Sensors", name_zh="索菲亚传感")
    handle("organisation.verified", data)
    assert [n.title for n in _inbox(fr_admin)] == ["Sophia Sensors est vérifiée"]
    assert [n.title for n in _inbox(zh_admin)] == ["索菲亚传感 已通过审核"]
    assert _inbox(member) == [] and _inbox(other) == []
    assert _inbox(fr_admin)[0].category == "organisation_status"


def test_an_application_goes_to_the_owners_admins_and_the_decision_to_the_applicant(world):
    owner, applicant = world.organisation(), world.organisation()
    owner_admin, owner_member = world.admin(owner), world.person(owner)
    applicant_admin, applicant_member = (
        world.admin(applicant),
        world.person(applicant, language="zh"),
    )
    project = {**_example("project.published")["project"], "organisation_id": owner}
    handle(
        "project.application_submitted",
        _example(
            "project.application_submitted", project=project, applicant_organisation_id=applicant
        ),
    )
    assert [n.title for n in _inbox(owner_admin)] == [
        "New application to Edge AI for smart buildings"
    ]
    assert _inbox(owner_member) == [] and _inbox(applicant_admin) == []
    handle(
        "project.application_decided",
        _example(
            "project.application_decided", project=project, applicant_organisation_id=applicant
        ),
    )
    assert len(_inbox(applicant_admin)) == 1
    assert _inbox(applicant_member)[0].title == "您对 智能建筑边缘人工智能 的申请：已接受"  # noqa: RUF001
    assert len(_inbox(owner_admin)) == 1
    # Each item leads to the project's page, not to the home page.
    assert _inbox(applicant_member)[0].link == f"/projects/{project['id']}"
    assert _inbox(owner_admin)[0].link == f"/projects/{project['id']}"


def test_an_announcement_reaches_its_audience_only(world):
    french = world.organisation(country="FR")
    chinese = world.organisation(country="CN", park="jiangning")
    pending = world.organisation(country="CN", park="jiangning", status="pending")
    fr_person, cn_person, pending_person = (
        world.person(french, language="fr"),
        world.person(chinese),
        world.person(pending),
    )
    announcement = _example("announcement.published")["announcement"]
    announcement["audience"] = {**announcement["audience"], "scope": "members", "countries": ["CN"]}
    handle("announcement.published", {"announcement": announcement})
    assert [n.title for n in _inbox(cn_person)] == ["China-France Innovation and Cooperation Forum"]
    assert _inbox(fr_person) == [] and _inbox(pending_person) == []
    selected = {**announcement, "id": str(uuid.uuid4())}
    selected["audience"] = {
        **announcement["audience"],
        "scope": "selected",
        "countries": [],
        "organisation_ids": [french],
    }
    handle("announcement.published", {"announcement": selected})
    assert [n.title for n in _inbox(fr_person)] == [
        "Forum franco-chinois d'innovation et de coopération"
    ]
    assert len(_inbox(cn_person)) == 1


def test_an_event_reminder_reaches_the_registered_people(world):
    org = world.organisation()
    registered, not_registered = world.person(org), world.person(org)
    handle(
        "announcement.event_reminder",
        _example("announcement.event_reminder", user_ids=[registered]),
    )
    assert next(n.title for n in _inbox(registered)).startswith("Reminder: ")
    assert _inbox(not_registered) == []


def test_ten_thousand_people_are_told_in_one_bulk_write(world):
    org = world.organisation()
    now = datetime.now(UTC)
    people = [uuid.uuid4() for _ in range(10_000)]
    with db.transaction() as session:
        session.execute(
            insert(User),
            [
                {
                    "id": p,
                    "email": f"p{i}@example.org",
                    "full_name": f"P {i}",
                    "language": ("en", "fr", "zh")[i % 3],
                    "timezone": "UTC",
                    "revision": now,
                }
                for i, p in enumerate(people)
            ],
        )
        session.execute(
            insert(Membership),
            [
                {
                    "organisation_id": uuid.UUID(org),
                    "user_id": p,
                    "role": "org_member",
                    "revision": now,
                    "since": now,
                }
                for p in people
            ],
        )
    announcement = _example("announcement.published")["announcement"]
    inserts = []

    def seen(_conn, _cursor, statement, _params, _context, _many):
        if statement.lstrip().upper().startswith("INSERT INTO NOTIFICATIONS"):
            inserts.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        handle("announcement.published", {"announcement": announcement})
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    with db.transaction() as session:
        assert session.scalar(select(func.count(Notification.id))) == 10_000
        assert session.get(Organisation, uuid.UUID(org)) is not None
        by_language = dict(
            session.execute(
                select(Notification.language, func.count()).group_by(Notification.language)
            ).all()
        )
    assert len(inserts) == 1  # one INSERT ... SELECT, however large the audience (speed: bench)
    assert by_language == {"en": 3334, "fr": 3333, "zh": 3333}


def test_the_inbox_speaks_the_readers_language_of_today(client, world):
    org = world.organisation(name="Sophia Sensors", name_zh="索菲亚传感")
    person = world.admin(org, language="fr")
    handle(
        "organisation.verified",
        _example("organisation.verified", id=org, name="Sophia Sensors", name_zh="索菲亚传感"),
    )
    as_written = headers(subject=person, organisation=org, roles=["org_admin"], lang="fr")
    [item] = client.get(f"{BASE}/inbox", headers=as_written).json["items"]
    assert (item["language"], item["title"]) == ("fr", "Sophia Sensors est vérifiée")
    # The person now reads Chinese (their token says so, or the portal's Accept-Language).
    in_chinese = headers(subject=person, organisation=org, roles=["org_admin"], lang="zh")
    [item] = client.get(f"{BASE}/inbox", headers=in_chinese).json["items"]
    assert (item["language"], item["title"]) == ("zh", "索菲亚传感 已通过审核")
    asked = client.get(f"{BASE}/inbox", headers={**as_written, "Accept-Language": "en-GB"})
    assert asked.json["items"][0]["title"] == "Sophia Sensors is verified"


def _fill(world, count=3):
    org = world.organisation()
    person = world.admin(org)
    for _ in range(count):
        handle("organisation.updated", _example("organisation.updated", id=org, name="X"))
        handle("organisation.verified", _example("organisation.verified", id=org, name="Org"))
    return org, person


def test_the_inbox_api_lists_counts_marks_and_deletes_ones_own_only(client, world):
    org, person = _fill(world)
    mine = headers(subject=person, organisation=org, roles=["org_admin"])
    stranger = headers(subject=uuid.uuid4(), organisation=org, roles=["org_member"])
    first = client.get(f"{BASE}/inbox?limit=2", headers=mine)
    assert first.status_code == 200 and len(first.json["items"]) == 2
    second = client.get(f"{BASE}/inbox?limit=2&cursor={first.json['next']}", headers=mine)
    assert len(second.json["items"]) == 1 and second.json["next"] is None
    ids = [n["id"] for n in first.json["items"] + second.json["items"]]
    assert len(set(ids)) == 3
    assert client.get(f"{BASE}/inbox", headers=stranger).json["items"] == []

    count = client.get(f"{BASE}/inbox/unread-count", headers=mine)
    assert count.json == {"unread": 3}
    etag = count.headers["ETag"]
    again = client.get(f"{BASE}/inbox/unread-count", headers={**mine, "If-None-Match": etag})
    assert again.status_code == 304

    assert client.post(f"{BASE}/inbox/{ids[0]}/read", headers=stranger).status_code == 404
    assert client.delete(f"{BASE}/inbox/{ids[0]}", headers=stranger).status_code == 404
    read = client.post(f"{BASE}/inbox/{ids[0]}/read", headers=mine)
    assert read.status_code == 200 and read.json["read_at"] is not None
    changed = client.get(f"{BASE}/inbox/unread-count", headers={**mine, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.json == {"unread": 2}
    unread = client.get(f"{BASE}/inbox?unread=true", headers=mine).json["items"]
    assert ids[0] not in [n["id"] for n in unread]
    assert client.post(f"{BASE}/inbox/read-all", headers=mine).json == {"marked": 2}
    assert client.delete(f"{BASE}/inbox/{ids[1]}", headers=mine).status_code == 204
    assert len(client.get(f"{BASE}/inbox", headers=mine).json["items"]) == 2
    assert client.get(f"{BASE}/inbox/unread-count", headers=mine).json == {"unread": 0}


def test_the_inbox_refuses_bad_input_and_clients(client, world):
    org, person = _fill(world, count=1)
    mine = headers(subject=person, organisation=org)
    assert client.get(f"{BASE}/inbox?limit=0", headers=mine).status_code == 422
    assert client.get(f"{BASE}/inbox?cursor=garbage", headers=mine).status_code == 422
    assert client.post(f"{BASE}/inbox/not-a-uuid/read", headers=mine).status_code == 404
    assert client.get(f"{BASE}/inbox").status_code == 401
    robot = headers(organisation=org, client=True, scopes=["notifications:read"])
    assert client.get(f"{BASE}/inbox", headers=robot).status_code == 403


def test_suspension_partnership_and_registration_reach_the_right_people(world):
    org, partner = world.organisation(), world.organisation()
    admin, member = world.admin(org), world.person(org)
    partner_people = [world.admin(partner), world.person(partner)]
    handle("organisation.suspended", _example("organisation.suspended", id=org))
    assert [n.category for n in _inbox(admin)] == ["organisation_status"]
    assert _inbox(member) == []
    project = {**_example("project.published")["project"], "organisation_id": org}
    accepted = _example(
        "project.application_decided",
        project=project,
        applicant_organisation_id=partner,
        decision="accepted",
    )
    handle("project.application_decided", accepted)
    # The acceptance makes the applicant a partner: one item says both, not one for each event.
    handle(
        "project.partner_added",
        _example("project.partner_added", project=project, partner_organisation_id=partner),
    )
    assert all(len(_inbox(p)) == 1 for p in partner_people)
    assert len(_inbox(admin)) == 1
    handle(
        "announcement.registration_changed",
        _example("announcement.registration_changed", user_id=member, status="promoted"),
    )
    assert _inbox(member)[0].title.endswith("registration confirmed from the waiting list")
    # Types without people to tell write nothing to anyone.
    handle("project.published", _example("project.published", project=project))
    assert len(_inbox(admin)) == 1


def test_a_deleted_account_leaves_no_inbox_behind(world):
    org = world.organisation()
    admin = world.admin(org)
    handle("organisation.suspended", _example("organisation.suspended", id=org))
    assert len(_inbox(admin)) == 1
    handle("user.deleted", {"id": admin})
    assert _inbox(admin) == []
    with db.transaction() as session:
        assert session.get(User, uuid.UUID(admin)) is None


def test_the_latest_and_the_unread_count_in_one_read(client, world):
    org, person = _fill(world)
    mine = headers(subject=person, organisation=org, roles=["org_admin"])
    latest = client.get(f"{BASE}/inbox/latest?limit=2", headers=mine)
    assert latest.status_code == 200
    page = client.get(f"{BASE}/inbox?limit=2", headers=mine).json
    assert latest.json == {"items": page["items"], "unread": 3}
    client.post(f"{BASE}/inbox/{page['items'][0]['id']}/read", headers=mine)
    assert client.get(f"{BASE}/inbox/latest", headers=mine).json["unread"] == 2
    stranger = headers(subject=uuid.uuid4(), organisation=org, roles=["org_member"])
    assert client.get(f"{BASE}/inbox/latest", headers=stranger).json == {"items": [], "unread": 0}
    assert client.get(f"{BASE}/inbox/latest?limit=0", headers=mine).status_code == 422
    assert client.get(f"{BASE}/inbox/latest").status_code == 401
    robot = headers(organisation=org, client=True, scopes=["notifications:read"])
    assert client.get(f"{BASE}/inbox/latest", headers=robot).status_code == 403
