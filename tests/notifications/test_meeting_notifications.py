# ruff: noqa: RUF001 - Chinese text uses full-width punctuation
"""Meeting events told to the right people, in their language and zone; webhooks see no people."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from services.notifications.domain import mail
from services.notifications.models import Notification, WebhookMessage, db
from shared.events import catalogue
from tests.notifications.support import handle, headers, verified_quietly

BASE = "/api/notifications/v1"
# Monday 26 October 2026, 08:00 UTC: Paris is back on winter time (UTC+1) since the 25th.
STARTS = "2026-10-26T08:00:00+00:00"


def _meeting(requester_org, recipient_org, requester=None, recipient=None, **changes) -> dict:
    meeting = copy.deepcopy(catalogue.latest("meeting.requested").example["meeting"])
    meeting.update(
        id=str(uuid.uuid4()),
        requester_organisation_id=requester_org,
        recipient_organisation_id=recipient_org,
        requester_user_id=requester,
        recipient_user_id=recipient,
        starts_at=STARTS,
        ends_at="2026-10-26T08:20:00+00:00",
        timezone="Asia/Shanghai",
    )
    meeting.update(changes)
    return meeting


def _items(person) -> list[Notification]:
    with db.transaction() as session:
        query = select(Notification).where(Notification.user_id == uuid.UUID(person))
        return list(session.scalars(query))


def _pair(world, tag=""):
    """A French SME's person (in French, Paris) and a Nanjing lab's (in Chinese, Shanghai)."""
    sme = world.organisation(name="Azur Capteurs", name_zh="蔚蓝传感")
    lab = world.organisation(name="Nanjing IoT Lab", name_zh="南京物联网实验室", country="CN")
    claire = world.person(sme, language="fr", email=f"claire{tag}@azur.example")
    wei = world.person(lab, language="zh", timezone="Asia/Shanghai", email=f"wei{tag}@lab.example")
    return sme, lab, claire, wei


def test_a_request_at_an_event_tells_the_two_people_each_in_their_language_and_zone(world, smtp):
    sme, lab, claire, wei = _pair(world)
    colleague = world.admin(sme)
    stranger = world.admin(world.organisation())
    handle("meeting.requested", {"meeting": _meeting(sme, lab, claire, wei, status="requested")})

    [for_claire] = _items(claire)
    assert for_claire.title == "Azur Capteurs demande un rendez-vous"
    assert "Demandé par Azur Capteurs." in for_claire.body
    # Her zone first, then the event's.
    assert "2026-10-26 09:00 (Europe/Paris) / 2026-10-26 16:00 (Asia/Shanghai)" in for_claire.body
    assert "Où : en ligne." in for_claire.body
    [for_wei] = _items(wei)
    assert for_wei.title == "蔚蓝传感 请求会面"
    assert "2026-10-26 16:00 (Asia/Shanghai)" in for_wei.body
    assert "(Europe/Paris)" not in for_wei.body  # the event's zone is already his
    assert for_wei.link.startswith("/announcements/")
    assert _items(colleague) == [] and _items(stranger) == []

    assert mail.send_due(db) == 2
    messages = {m["To"]: m for m in smtp.wait_for(2)}
    assert messages["claire@azur.example"]["Subject"] == "Azur Capteurs demande un rendez-vous"
    assert messages["wei@lab.example"]["Subject"] == "蔚蓝传感 请求会面"
    assert "Bonjour" in messages["claire@azur.example"].get_body(("plain",)).get_content()
    assert mail.send_due(db) == 0


def test_a_scheduled_meeting_says_its_table_and_an_unscheduled_one_that_time_is_to_be_set(world):
    sme, lab, claire, wei = _pair(world)
    world.person(sme, language="en")
    scheduled = _meeting(sme, lab, claire, wei, status="accepted", online=False, table=7)
    handle("meeting.scheduled", {"meeting": scheduled})
    [item] = _items(wei)
    assert item.title == "会面已安排：蔚蓝传感" and "地点：7 号桌。" in item.body
    assert item.texts["en"][0] == "Meeting scheduled: Azur Capteurs"
    assert "Where: table 7." in item.texts["en"][1]

    unscheduled = _meeting(sme, lab, claire, wei, status="accepted", starts_at=None, ends_at=None)
    handle("meeting.accepted", {"meeting": unscheduled})
    newest = max(_items(claire), key=lambda n: n.id)
    assert newest.title == "Rendez-vous accepté : Azur Capteurs"
    assert "Horaire à fixer." in newest.body


def test_a_contact_outside_events_tells_the_admins_of_both_organisations_only(world, smtp):
    sme = world.organisation(name="Azur Capteurs", name_zh=None)  # no Chinese name: as written
    lab = world.organisation(name="Nanjing IoT Lab", country="CN")
    sme_admin, lab_admin = world.admin(sme), world.admin(lab, language="zh")
    sme_member, lab_member = world.person(sme), world.person(lab)
    outsider = world.admin(world.organisation())
    contact = _meeting(sme, lab, status="requested", announcement_id=None, timezone=None)
    handle("meeting.requested", {"meeting": contact})
    assert [i.title for i in _items(sme_admin)] == ["Azur Capteurs asks for a meeting"]
    assert [i.title for i in _items(lab_admin)] == ["Azur Capteurs 请求会面"]
    assert _items(lab_admin)[0].link == "/meetings"
    for nobody in (sme_member, lab_member, outsider):
        assert _items(nobody) == []
    handle("meeting.declined", {"meeting": {**contact, "status": "declined"}})
    assert sorted(i.title for i in _items(sme_admin)) == [
        "Azur Capteurs asks for a meeting",
        "Meeting declined: Azur Capteurs",
    ]


def test_an_event_meeting_whose_people_are_not_named_goes_to_the_admins(world):
    sme, lab, claire, wei = _pair(world)
    admin = world.admin(lab)
    handle("meeting.cancelled", {"meeting": _meeting(sme, lab, status="cancelled")})
    assert [i.title for i in _items(admin)] == ["Meeting cancelled: Azur Capteurs"]
    assert _items(claire) == [] and _items(wei) == []


def test_a_published_agenda_reaches_every_participants_people_and_nobody_else(world):
    sme, lab, claire, wei = _pair(world)
    colleague = world.person(lab, language="en")
    outsider = world.admin(world.organisation())
    data = copy.deepcopy(catalogue.latest("meetings.agenda_published").example)
    data.update(organisation_ids=[sme, lab], meetings=12)
    handle("meetings.agenda_published", data)
    [item] = _items(colleague)
    assert item.title == "Your meeting agenda is published" and "12 meetings" in item.body
    assert [i.title for i in _items(claire)] == ["Votre agenda de rendez-vous est publié"]
    assert len(_items(wei)) == 1 and _items(outsider) == []


def test_a_person_who_switched_events_off_hears_nothing(client, world):
    sme, lab, claire, wei = _pair(world)
    answer = client.patch(
        f"{BASE}/preferences",
        json={"categories": {"events": "off"}},
        headers=headers(subject=wei, organisation=lab),
    )
    assert answer.status_code == 200
    handle("meeting.requested", {"meeting": _meeting(sme, lab, claire, wei, status="requested")})
    assert _items(wei) == [] and len(_items(claire)) == 1


def test_webhooks_of_the_two_organisations_get_the_meeting_without_its_people(client, world):
    sme, lab, claire, wei = _pair(world)
    other = world.organisation()
    endpoints = {}
    for org in (sme, lab, other):
        verified_quietly(org)
        answer = client.post(
            f"{BASE}/organisations/{org}/webhooks",
            json={"url": "http://127.0.0.1:9/x"},
            headers=headers(organisation=org, roles=["org_admin"]),
        )
        assert answer.status_code == 201
        endpoints[org] = uuid.UUID(answer.json["id"])
    meeting = _meeting(sme, lab, claire, wei, status="requested")
    handle("meeting.requested", {"meeting": meeting})
    with db.transaction() as session:
        rows = session.execute(select(WebhookMessage.endpoint_id, WebhookMessage.payload)).all()
    received = {endpoint: payload for endpoint, payload in rows}
    assert set(received) == {endpoints[sme], endpoints[lab]}
    for payload in received.values():
        body = payload if isinstance(payload, dict) else json.loads(payload)
        sent = body["data"]["meeting"]
        assert sent["id"] == meeting["id"] and sent["timezone"] == "Asia/Shanghai"
        assert "requester_user_id" not in sent and "recipient_user_id" not in sent
        assert claire not in json.dumps(body) and wei not in json.dumps(body)


def test_a_person_who_reaches_the_projections_after_the_meeting_event_still_hears_of_it(world):
    from tests.notifications.test_late_recipients import deliver, membership

    sme, lab, claire, _ = _pair(world)
    late = membership({"id": lab}, role="org_member", full_name="Li Wei")
    late["language"] = "zh"
    moment = datetime.now(UTC)
    meeting = _meeting(sme, lab, claire, late["user_id"], status="requested")
    deliver("meeting.requested", {"meeting": meeting}, moment)
    assert _items(late["user_id"]) == [] and len(_items(claire)) == 1
    deliver("member.joined", late, moment - timedelta(minutes=1))  # joined before, known after
    [item] = _items(late["user_id"])
    assert item.title == "蔚蓝传感 请求会面"
    deliver("member.joined", late, moment - timedelta(minutes=1))  # again: nothing more
    assert len(_items(late["user_id"])) == 1 and len(_items(claire)) == 1
