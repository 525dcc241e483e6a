"""Preferences respected; e-mails received by a real SMTP server, once, in the right language."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from services.notifications.domain import digests, mail
from services.notifications.models import Email, Notification, db
from shared.events import catalogue
from tests.notifications.support import handle, headers
from tests.support.mail_headers import (
    assert_dated_and_identified,
    assert_one_click_unsubscribe,
    raw_headers,
)

BASE = "/api/notifications/v1"


def _example(event_type: str, **changes) -> dict:
    data = copy.deepcopy(catalogue.latest(event_type).example)
    data.update(changes)
    return data


def _apply(owner: str, applicant: str) -> None:
    project = {**_example("project.published")["project"], "organisation_id": owner}
    handle(
        "project.application_submitted",
        _example(
            "project.application_submitted", project=project, applicant_organisation_id=applicant
        ),
    )


def _me(person, org):
    return headers(subject=person, organisation=org, roles=["org_admin"])


def _inbox_items(person) -> list[Notification]:
    with db.transaction() as session:
        query = select(Notification).where(Notification.user_id == uuid.UUID(person))
        return list(session.scalars(query))


def _inbox_count(person) -> int:
    with db.transaction() as session:
        return len(
            list(
                session.scalars(
                    select(Notification.id).where(Notification.user_id == uuid.UUID(person))
                )
            )
        )


def test_preferences_have_defaults_and_critical_ones_cannot_be_switched_off(client, world):
    org = world.organisation()
    person = world.admin(org)
    shown = client.get(f"{BASE}/preferences", headers=_me(person, org)).json
    modes = {c["category"]: c["mode"] for c in shown["categories"]}
    assert modes["projects"] == "email" and modes["announcements"] == "daily"
    assert {c["category"] for c in shown["categories"] if c["critical"]} >= {
        "account",
        "organisation_status",
    }
    refused = client.patch(
        f"{BASE}/preferences",
        json={"categories": {"organisation_status": "off"}},
        headers=_me(person, org),
    )
    assert refused.status_code == 422
    for body in (
        {"categories": {"nonsense": "email"}},
        {"categories": {"projects": "loudly"}},
        {"quiet_hours": {"start": "25:00", "end": "07:00"}},
        {"quiet_hours": {"start": "07:00", "end": "07:00"}},
    ):
        assert (
            client.patch(f"{BASE}/preferences", json=body, headers=_me(person, org)).status_code
            == 422
        )
    changed = client.patch(
        f"{BASE}/preferences",
        json={"categories": {"projects": "off"}, "quiet_hours": {"start": "22:00", "end": "07:00"}},
        headers=_me(person, org),
    ).json
    assert {c["category"]: c["mode"] for c in changed["categories"]}["projects"] == "off"
    assert changed["quiet_hours"] == {"start": "22:00", "end": "07:00"}
    robot = headers(organisation=org, client=True, scopes=["notifications:read"])
    assert client.get(f"{BASE}/preferences", headers=robot).status_code == 403


def test_off_in_app_and_email_are_each_respected(client, world, smtp):
    owner, applicant = world.organisation(), world.organisation()
    silent = world.admin(owner)
    inbox_only = world.admin(owner)
    mailed = world.admin(owner, language="fr", email="claire@sophia.example")
    client.patch(
        f"{BASE}/preferences", json={"categories": {"projects": "off"}}, headers=_me(silent, owner)
    )
    client.patch(
        f"{BASE}/preferences",
        json={"categories": {"projects": "in_app"}},
        headers=_me(inbox_only, owner),
    )
    _apply(owner, applicant)
    assert _inbox_count(silent) == 0
    assert _inbox_count(inbox_only) == 1 and _inbox_count(mailed) == 1
    assert mail.send_due(db) == 1
    assert mail.send_due(db) == 0  # never the same notification twice
    [message] = smtp.wait_for(1)
    assert message["To"] == "claire@sophia.example"
    assert message["Subject"] == ("Nouvelle candidature à IA embarquée pour bâtiments intelligents")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/api/notifications/v1/unsubscribe?token=" in message["List-Unsubscribe"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.startswith("Bonjour ") and "Ne plus recevoir ces e-mails\u202f: http" in text
    assert "Ouvrir la plateforme\u202f: http" in text  # French typography before a colon
    assert "<li><strong>Nouvelle candidature" in html
    project_id = _inbox_items(mailed)[0].link.removeprefix("/projects/")
    assert f"/projects/{project_id}" in text and f"/projects/{project_id}" in html
    assert str(uuid.UUID(project_id)) == project_id


def test_one_click_unsubscribe_stops_that_categorys_emails(client, world, smtp):
    owner, applicant = world.organisation(), world.organisation()
    person = world.admin(owner)
    _apply(owner, applicant)
    mail.send_due(db)
    [message] = smtp.wait_for(1)
    url = message["List-Unsubscribe"].strip("<>")
    path = url[url.index("/api/") :]
    response = client.post(
        path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200 and response.json == {
        "category": "projects",
        "mode": "in_app",
    }
    smtp.clear()
    _apply(owner, applicant)
    assert mail.send_due(db) == 0 and _inbox_count(person) == 2
    tampered = path[:-3] + "xyz"
    assert (
        client.post(
            tampered,
            data="List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        ).status_code
        == 404
    )


def test_quiet_hours_hold_email_until_they_end_in_the_persons_time_zone(client, world, smtp):
    owner, applicant = world.organisation(), world.organisation()
    person = world.admin(owner, timezone="Asia/Shanghai", language="zh")
    now = datetime.now(UTC)
    local = now.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
    start = (local - timedelta(hours=1)).strftime("%H:%M")
    end = (local + timedelta(hours=2)).strftime("%H:%M")
    client.patch(
        f"{BASE}/preferences",
        json={"quiet_hours": {"start": start, "end": end}},
        headers=_me(person, owner),
    )
    _apply(owner, applicant)
    now = datetime.now(UTC)
    assert mail.send_due(db, now=now) == 0
    with db.transaction() as session:
        held = session.scalars(select(Email)).one()
        assert held.status == "pending"
        assert timedelta(hours=1, minutes=58) < held.send_after - now <= timedelta(hours=2)
    later = held.send_after + timedelta(minutes=1)
    assert mail.send_due(db, now=later) == 1
    [message] = smtp.wait_for(1)
    assert message["Subject"].startswith("智能建筑边缘人工智能 收到新的申请")


def test_transient_smtp_errors_are_retried_and_sent_once(client, world, smtp, app):
    owner, applicant = world.organisation(), world.organisation()
    world.admin(owner)
    _apply(owner, applicant)
    port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = 9  # nothing listens: connection refused
    try:
        assert mail.send_due(db) == 0
    finally:
        app.config["SMTP_PORT"] = port
    with db.transaction() as session:
        email = session.scalars(select(Email)).one()
        assert email.status == "pending" and email.attempts == 1
        assert "Connection" in email.error or "Errno" in email.error
        retry_at = email.send_after
    assert mail.send_due(db) == 0  # not yet due
    assert mail.send_due(db, now=retry_at + timedelta(seconds=1)) == 1
    assert mail.send_due(db, now=retry_at + timedelta(hours=1)) == 0
    assert len(smtp.wait_for(1)) == 1


def test_daily_digest_newest_first_each_item_once(client, world, smtp):
    org = world.organisation(country="CN", park="jiangning")
    person = world.person(org, language="zh", timezone="Asia/Shanghai")
    first = _example("announcement.published")["announcement"]
    second = {
        **first,
        "id": str(uuid.uuid4()),
        "title": {"en": "Second", "fr": "Deuxième", "zh": "第二条公告"},
    }
    handle("announcement.published", {"announcement": first})
    handle("announcement.published", {"announcement": second})
    assert mail.send_due(db) == 0  # announcements default to the daily digest
    # 07:30 in Nanjing: too early; 09:00: the digest is written, once.
    early = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)  # 07:30 on the 27th in Shanghai
    morning = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)  # 09:00 on the 27th in Shanghai
    with db.transaction() as session:
        assert digests.prepare(session, now=early) == 0
        assert digests.prepare(session, now=morning) == 1
        assert digests.prepare(session, now=morning + timedelta(hours=1)) == 0
    assert mail.send_due(db, now=morning + timedelta(minutes=1)) == 1
    [message] = smtp.wait_for(1)
    assert message["Subject"] == "您的每日摘要"
    text = message.get_body(("plain",)).get_content()
    assert text.index("第二条公告") < text.index("中法创新合作论坛")
    handle("announcement.published", {"announcement": {**first, "id": str(uuid.uuid4())}})
    next_day = morning + timedelta(days=1)
    with db.transaction() as session:
        assert digests.prepare(session, now=next_day) == 1
        email = session.scalars(
            select(Email).where(Email.digest_key.like("daily:2026-11-28"))
        ).one()
        assert len(email.digest_items) == 1  # only the new item
    assert person


def test_notification_and_digest_emails_carry_date_id_and_a_plain_one_click_unsubscribe(
    app, client, world, smtp
):
    base = app.config["PUBLIC_BASE_URL"]
    owner, applicant = world.organisation(), world.organisation()
    world.admin(owner, email="single@sophia.example")
    _apply(owner, applicant)
    assert mail.send_due(db) == 1
    [single] = smtp.wait_for(1, to="single@sophia.example")
    headers = assert_dated_and_identified(single, base)
    assert_one_click_unsubscribe(headers, base)

    reader = world.organisation(country="CN", park="jiangning")
    world.person(reader, timezone="Asia/Shanghai", email="digest@jiangning.example")
    handle("announcement.published", _example("announcement.published"))
    morning = datetime.now(UTC).replace(hour=1, minute=0) + timedelta(days=1)
    with db.transaction() as session:
        assert digests.prepare(session, now=morning) >= 1
    mail.send_due(db, now=morning + timedelta(minutes=1))
    [digest] = smtp.wait_for(1, to="digest@jiangning.example")
    assert assert_dated_and_identified(digest, base)["message-id"] != headers["message-id"]
    assert_one_click_unsubscribe(raw_headers(digest), base)
