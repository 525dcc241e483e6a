"""Every event projects emits is valid for the catalogue and carries what the contract names."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from services.projects.domain import projects
from services.projects.models import Application, Project, StateChange, db
from shared.events import catalogue
from tests.projects.factories import deliver

ALL_TYPES = {
    "project.published",
    "project.updated",
    "project.state_changed",
    "project.call_closed",
    "project.application_submitted",
    "project.application_decided",
    "project.partner_added",
}


def _envelope(row: dict) -> dict:
    return {**row, "occurred_at": row["occurred_at"].isoformat()}


def test_a_whole_project_life_emits_every_type_each_valid_for_the_catalogue(api, make):
    owner_org = make.organisation(country="CN", park="jiangning")
    owner = make.admin(owner_org)
    project = api.opened(owner, anonymous=True)
    api.call("PATCH", f"/projects/{project['id']}", owner, json={"keywords": ["radar"]})
    applicant_org = make.organisation()
    applicant = make.admin(applicant_org)
    application = api.call(
        "POST", f"/projects/{project['id']}/applications", applicant, json={"message": "Hello"}
    ).get_json()
    api.call(
        "POST",
        f"/applications/{application['id']}/decision",
        owner,
        json={"decision": "accepted", "reason": "Welcome."},
    )
    # A second project whose call the sweep closes (its deadline moved into the past).
    other = api.opened(owner)
    with db.transaction() as session:
        past = datetime.now(UTC) - timedelta(seconds=1)
        session.get(Project, uuid.UUID(other["id"])).call_deadline = past
    with db.transaction() as session:
        assert projects.close_due_calls(session) == 1
    assert api.move(owner, project["id"], "active").status_code == 200

    rows = make.events()
    assert {row["type"] for row in rows} == ALL_TYPES
    for row in rows:
        entry, data = catalogue.validate(_envelope(row))
        assert row["source"] == "projects"
        assert "notifications" in entry.subscribers
        block = row["data"]["project"]
        assert block["organisation_id"] == str(owner_org)  # the owner, even when discreet
        assert str(owner_org) in {str(o) for o in entry.concerns(data)}
        if row["type"].startswith("project.application_"):
            assert entry.public(data) is False  # between the owner and the applicant
            assert row["data"]["applicant_organisation_id"] in {
                str(o) for o in entry.concerns(data)
            }
        else:
            assert entry.public(data) is (block["visibility"] == "public")
    submitted = next(r for r in rows if r["type"] == "project.application_submitted")["data"]
    assert submitted["applicant_organisation_id"] == str(applicant_org)
    assert submitted["message"] == "Hello"
    published = next(r for r in rows if r["type"] == "project.published")["data"]["project"]
    assert published["anonymous"] is True and published["state"] == "open"
    changes = [r["data"] for r in rows if r["type"] == "project.state_changed"]
    assert changes[-1]["changed_by"] == str(owner.id)
    assert (changes[-1]["from_state"], changes[-1]["to_state"]) == ("open", "active")


def test_a_deleted_person_is_forgotten_but_what_they_did_stays(api, make):
    org = make.organisation()
    admin = make.admin(org)
    project = api.opened(admin)
    applicant = make.member(make.organisation())
    api.call("POST", f"/projects/{project['id']}/applications", applicant, json={"message": "x"})
    deliver("user.deleted", {"id": str(admin.id)})
    deliver("user.deleted", {"id": str(applicant.id)})
    with db.engine.connect() as connection:
        assert connection.execute(select(Project.created_by)).scalars().all() == [None]
        assert set(connection.execute(select(StateChange.changed_by)).scalars()) == {None}
        assert connection.execute(select(Application.submitted_by)).scalars().all() == [None]
        assert connection.execute(
            select(StateChange.to_state).order_by(StateChange.id)
        ).scalars().all() == [
            "draft",
            "open",
        ]
