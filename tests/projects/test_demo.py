"""Demo projects: owned by members' demo organisations, in every state, seeded once."""

from __future__ import annotations

import logging
import re
import threading
import uuid
from datetime import UTC, date, datetime

from sqlalchemy import select

from services.members import demo as members_demo
from services.projects import demo
from services.projects.models import Application, Milestone, Partner, Project, db
from shared.events import catalogue
from tests.projects.factories import deliver
from tests.support.waiting import wait_until

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _members_demo_arrives() -> None:
    """members' demo organisations reach the projection as their events would bring them."""
    for spec in [*members_demo.ORGANISATIONS, members_demo.PENDING]:
        data = {k: v for k, v in spec["organisation"].items() if k != "registration_number"}
        data |= {"id": str(uuid.uuid4()), "name_zh": data.get("name_zh"), "status": "pending"}
        deliver("organisation.registered", data)
        if spec is not members_demo.PENDING:
            deliver("organisation.verified", {**data, "status": "verified", "reason": None})


def _projects() -> list[Project]:
    with db.transaction() as session:
        return list(session.scalars(select(Project).order_by(Project.created_at)))


def _count(model) -> int:
    with db.transaction() as session:
        return len(session.scalars(select(model)).all())


def test_demo_projects_are_seeded_once_however_often_it_runs(make):
    _members_demo_arrives()
    assert demo.seed_demo(timeout=5) == len(demo.PROJECTS)
    counts = [len(make.events()), *(_count(m) for m in (Project, Application, Milestone))]
    assert demo.seed_demo(timeout=5) == 0
    assert [len(make.events()), *(_count(m) for m in (Project, Application, Milestone))] == counts


def test_every_demo_event_is_valid_for_the_catalogue_and_tells_a_real_story(make):
    _members_demo_arrives()
    demo.seed_demo(timeout=5)
    rows = make.events()
    for row in rows:
        catalogue.validate({**row, "occurred_at": row["occurred_at"].isoformat()})
        assert row["source"] == "projects"
    types = {row["type"] for row in rows}
    assert {
        "project.published",
        "project.state_changed",
        "project.call_closed",
        "project.application_submitted",
        "project.application_decided",
        "project.partner_added",
    } <= types
    published = [r for r in rows if r["type"] == "project.published"]
    assert len(published) == len(demo.PROJECTS)  # every demo project was opened once


def test_the_demo_shows_open_active_completed_discreet_and_members_only_projects(make):
    _members_demo_arrives()
    demo.seed_demo(timeout=5)
    projects = _projects()
    assert {p.state for p in projects} == {"open", "active", "completed"}
    now = datetime.now(UTC)
    open_ones = [p for p in projects if p.state == "open"]
    assert all(p.call_open and p.call_deadline > now for p in open_ones)
    assert any(p.anonymous for p in open_ones)
    assert any(p.visibility == "members" for p in open_ones)
    with db.transaction() as session:
        for project in projects:
            partners = session.scalars(select(Partner).where(Partner.project_id == project.id))
            milestones = session.scalars(
                select(Milestone).where(Milestone.project_id == project.id)
            ).all()
            if project.state in ("active", "completed"):
                assert list(partners) and milestones, project.title["en"]
                assert not project.anonymous
            if project.state == "completed":
                assert all(m.progress == 100 and m.due_on < date.today() for m in milestones)
        pending = session.scalars(select(Application).where(Application.status == "pending"))
        assert len(pending.all()) >= 2  # calls that are still being answered


def test_demo_texts_are_written_in_english_french_and_chinese(make):
    _members_demo_arrives()
    demo.seed_demo(timeout=5)
    for project in _projects():
        for field in (project.title, project.summary, project.description):
            assert set(field) == {"en", "fr", "zh"}, project.title
            assert CHINESE.search(field["zh"]) and not CHINESE.search(field["en"])
        assert set(project.description_html) == {"en", "fr", "zh"}
    with db.transaction() as session:
        for milestone in session.scalars(select(Milestone)):
            assert set(milestone.title) == {"en", "fr", "zh"}


def test_anonymous_visitors_see_public_demo_projects_with_discreet_owners_hidden(client, make):
    _members_demo_arrives()
    demo.seed_demo(timeout=5)
    items = client.get("/api/projects/v1/projects?limit=50&lang=fr").get_json()["items"]
    titles = {item["title"] for item in items}
    expected = {spec["body"]["title"]["fr"] for spec in demo.PROJECTS}
    members_only = {
        spec["body"]["title"]["fr"]
        for spec in demo.PROJECTS
        if spec["body"]["visibility"] != "public"
    }
    assert titles == expected - members_only
    discreet = [item for item in items if item["owner"].get("anonymous")]
    assert discreet and all("name" not in item["owner"] for item in discreet)


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
        _members_demo_arrives()
    finally:
        seeding.join()
    assert added == [len(demo.PROJECTS)]


def test_the_command_says_which_organisations_are_missing_and_what_to_do(app, make):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo", "--timeout", "0.2"])
    assert result.exit_code == 1
    assert "Azur Génomique" in result.output and "projects worker" in result.output
    assert _count(Project) == 0


def test_the_command_reports_what_it_added(app, make):
    _members_demo_arrives()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo", "--timeout", "5"])
    assert first.exit_code == 0, first.output
    assert f"{len(demo.PROJECTS)} project(s) added" in first.output
    assert "0 project(s) added" in runner.invoke(args=["seed-demo"]).output
