"""Demo announcements: news, events ahead and a call, published through the domain, once."""

from __future__ import annotations

import logging
import re
import threading
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from services.announcements import demo
from services.announcements.models import Announcement, Membership, User, db
from services.members import demo as members_demo
from shared.events import catalogue
from shared.events.outbox import as_json
from tests.support.waiting import wait_until

API = "/api/announcements/v1"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _members_demo_arrives(make) -> dict[str, object]:
    """members' demo organisations and people in the projections, as their events (
    `organisation.*`, `member.joined`) would leave them."""
    ids = {}
    for spec in [*members_demo.ORGANISATIONS, members_demo.PENDING]:
        fields = {k: v for k, v in spec["organisation"].items() if k != "registration_number"}
        if spec is members_demo.PENDING:
            fields["status"] = "pending"
        ids[fields["name"]] = make.organisation(**fields).id
    admins = [
        {**spec["admin"], "organisation": spec["organisation"]["name"], "role": "org_admin"}
        for spec in [*members_demo.ORGANISATIONS, members_demo.PENDING]
    ]
    colleagues = [{**p, "role": "org_member"} for p in members_demo.colleagues()]
    now = datetime.now(UTC)
    with db.transaction() as session:
        for person in [*admins, *colleagues]:
            user = User(
                id=uuid.uuid4(),
                revision=now,
                **{k: person[k] for k in ("email", "full_name", "language", "timezone")},
            )
            session.add(user)
            session.add(
                Membership(
                    organisation_id=ids[person["organisation"]],
                    user_id=user.id,
                    role=person["role"],
                    revision=now,
                    since=now,
                )
            )
    return ids


def _all() -> list[Announcement]:
    with db.transaction() as session:
        return list(session.scalars(select(Announcement).order_by(Announcement.published_at)))


def _outbox() -> list[dict]:
    with db.engine.connect() as connection:
        return [dict(r) for r in connection.execute(db.events.outbox.select()).mappings()]


def test_demo_announcements_are_published_once_however_often_it_runs(make):
    _members_demo_arrives(make)
    assert demo.seed_demo(timeout=5) == len(demo.items(date.today()))
    counts = (len(_all()), len(_outbox()))
    assert demo.seed_demo(timeout=5) == 0
    assert (len(_all()), len(_outbox())) == counts


def test_every_demo_announcement_is_published_with_a_valid_event(make):
    _members_demo_arrives(make)
    demo.seed_demo(timeout=5)
    published = _all()
    assert {a.status for a in published} == {"published"}
    rows = _outbox()
    announced = [r for r in rows if r["type"].startswith("announcement.published")]
    assert len(announced) == len(published)
    for row in rows:
        catalogue.validate(as_json(row))


def test_news_events_and_a_call_come_from_the_parks_and_a_moderated_member(make):
    ids = _members_demo_arrives(make)
    demo.seed_demo(timeout=5)
    published = _all()
    by_kind = {kind: [a for a in published if a.kind == kind] for kind in ("news", "event", "call")}
    assert (len(by_kind["news"]), len(by_kind["event"]), len(by_kind["call"])) == (3, 4, 1)
    authors = {a.title["en"]: a.author_organisation_id for a in by_kind["news"]}
    assert set(authors.values()) == {
        ids["Fondation Sophia Antipolis"],
        ids["Jiangning Development Zone"],
        ids["Lérins Connect"],
    }
    newest = published[-1]  # the member's news, approved by staff, tops the home page
    assert newest.author_organisation_id == ids["Lérins Connect"] and newest.created_by is None
    now = datetime.now(UTC)
    events = by_kind["event"]
    assert all(e.starts_at > now and e.ends_at > e.starts_at for e in events)
    assert {e.timezone for e in events} == {"Europe/Paris", "Asia/Shanghai"}
    assert {e.audience_scope for e in events} == {"public", "members"}
    assert all(e.place or e.online_url for e in events)


def test_demo_texts_are_written_in_english_french_and_chinese(make):
    _members_demo_arrives(make)
    demo.seed_demo(timeout=5)
    for announcement in _all():
        for field in (announcement.title, announcement.summary, announcement.body):
            assert set(field) == {"en", "fr", "zh"}, announcement.title["en"]
            assert CHINESE.search(field["zh"]) and not CHINESE.search(field["en"])
        assert set(announcement.body_html) == {"en", "fr", "zh"}


def test_dates_follow_today_news_just_past_deadlines_and_events_ahead(make):
    _members_demo_arrives(make)
    today = date.today()
    demo.seed_demo(timeout=5, today=today)
    published = {a.title["en"]: a for a in _all()}
    news = published["Lérins Connect and Jiangning Smart Sensing start their field pilots"]
    installed = demo.long_date(today - timedelta(days=9))
    assert all(installed[lang] in news.body[lang] for lang in ("en", "fr", "zh"))
    (call,) = [a for a in published.values() if a.kind == "call"]
    closes = demo.long_date(today + timedelta(days=75))
    assert all(closes[lang] in call.summary[lang] for lang in ("en", "fr", "zh"))
    online = published["Online matchmaking: biotech, IoT and virtual reality"]
    starts = online.starts_at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert (starts.hour, starts.minute, online.online_url is not None) == (16, 0, True)
    in_paris = f"{online.starts_at.astimezone(ZoneInfo('Europe/Paris')):%H:%M}"
    assert in_paris in online.body["en"]


def test_anonymous_visitors_read_the_public_demo_news_and_not_the_members_event(client, make):
    _members_demo_arrives(make)
    demo.seed_demo(timeout=5)
    news = client.get(f"{API}/announcements?kind=news").get_json()["items"]
    assert news[0]["title"]["en"] == (
        "Lérins Connect and Jiangning Smart Sensing start their field pilots"
    )
    events = client.get(f"{API}/announcements?kind=event").get_json()["items"]
    assert "Jiangning delegation visits Sophia Antipolis" not in {
        item["title"]["en"] for item in events
    }
    assert len(events) == 3  # the delegation's visit is for members


def test_seeding_waits_until_members_organisations_arrive(app, make, caplog):
    caplog.set_level(logging.INFO, logger="shared.demo_data")
    added = []

    def seed():
        with app.app_context():
            added.append(demo.seed_demo(timeout=60))

    seeding = threading.Thread(target=seed)
    seeding.start()
    try:
        # Once the seed has looked and said what it waits for, the organisations arrive.
        wait_until(lambda: "waits for members' demo organisations" in caplog.text, timeout=30)
        _members_demo_arrives(make)
    finally:
        seeding.join()
    assert added == [len(demo.items(date.today()))]


def test_the_command_says_which_organisations_are_missing_and_what_to_do(app, make):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--timeout", "0.2"])
    assert result.exit_code == 1
    assert "Lérins Connect" in result.output and "announcements worker" in result.output
    assert _all() == []


def test_the_command_reports_what_it_published(app, make):
    _members_demo_arrives(make)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo", "--timeout", "5"])
    assert first.exit_code == 0, first.output
    assert f"{len(demo.items(date.today()))} announcement(s) published" in first.output
    assert "0 announcement(s) published" in runner.invoke(args=["seed-demo"]).output
