"""The life cycle: only the allowed moves, by the owner's admins or staff, each recorded."""

from __future__ import annotations

import pytest

from services.projects.domain.vocabulary import STATES, TRANSITIONS

ALLOWED = [(a, b) for a in STATES for b in TRANSITIONS[a]]
REFUSED = [(a, b) for a in STATES for b in STATES if b != "draft" and b not in TRANSITIONS[a]]
# The shortest way to each state from a fresh draft.
PATH = {
    "draft": [],
    "open": ["open"],
    "active": ["open", "active"],
    "completed": ["open", "active", "completed"],
    "cancelled": ["cancelled"],
}


def _project_in(api, admin, state: str) -> dict:
    project = api.create(admin)
    for step in PATH[state]:
        response = api.move(admin, project["id"], step)
        assert response.status_code == 200, response.get_json()
        project = response.get_json()
    return project


@pytest.mark.parametrize(("from_state", "to_state"), ALLOWED)
def test_each_allowed_transition_is_made_and_recorded(api, make, from_state, to_state):
    admin = make.admin(make.organisation())
    project = _project_in(api, admin, from_state)
    response = api.move(admin, project["id"], to_state)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["state"] == to_state
    history = api.call("GET", f"/projects/{project['id']}/history", admin).get_json()
    last = history[-1]
    assert (last["from_state"], last["to_state"]) == (from_state, to_state)
    assert last["changed_by"] == str(admin.id)
    assert last["by_platform_admin"] is False
    assert [h["to_state"] for h in history] == ["draft", *PATH[from_state], to_state]
    changed = make.events("project.state_changed")[-1]["data"]
    assert (changed["from_state"], changed["to_state"]) == (from_state, to_state)


@pytest.mark.parametrize(("from_state", "to_state"), REFUSED)
def test_each_other_transition_is_refused_and_changes_nothing(api, make, from_state, to_state):
    admin = make.admin(make.organisation())
    project = _project_in(api, admin, from_state)
    history = api.call("GET", f"/projects/{project['id']}/history", admin).get_json()
    events = len(make.events())
    response = api.move(admin, project["id"], to_state)
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "project.transition_not_allowed"
    after = api.call("GET", f"/projects/{project['id']}", admin).get_json()
    assert after["state"] == from_state
    assert api.call("GET", f"/projects/{project['id']}/history", admin).get_json() == history
    assert len(make.events()) == events


def test_draft_is_never_a_target(api, make):
    admin = make.admin(make.organisation())
    project = _project_in(api, admin, "open")
    assert api.move(admin, project["id"], "draft").status_code == 422


def test_a_plain_member_cannot_change_the_state(api, make):
    org = make.organisation()
    project = api.create(make.admin(org))
    response = api.move(make.member(org), project["id"], "open")
    assert response.status_code == 403
    assert api.call("GET", f"/projects/{project['id']}", make.member(org)).get_json()["state"] == (
        "draft"
    )


def test_opening_needs_a_call_deadline_and_an_organisation_in_good_standing(api, make):
    org = make.organisation()
    admin = make.admin(org)
    no_call = api.create(admin, call_deadline=None)
    response = api.move(admin, no_call["id"], "open")
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/call_deadline"
    project = api.create(admin)
    make.suspend(org)
    assert api.move(admin, project["id"], "open").status_code == 403
    assert make.events("project.published") == []


def test_platform_staff_may_move_any_project_and_it_is_recorded(api, make):
    admin = make.admin(make.organisation())
    project = _project_in(api, admin, "open")
    staff = make.staff()
    response = api.move(staff, project["id"], "cancelled")
    assert response.status_code == 200
    last = api.call("GET", f"/projects/{project['id']}/history", admin).get_json()[-1]
    assert last["by_platform_admin"] is True and last["changed_by"] == str(staff.id)


def test_what_platform_staff_do_in_an_owners_stead_is_on_record(api, make):
    admin = make.admin(make.organisation())
    project = _project_in(api, admin, "open")
    applicant = make.member(make.organisation())
    application = api.call(
        "POST", f"/projects/{project['id']}/applications", applicant, json={"message": "Hi"}
    ).get_json()
    api.call("PATCH", f"/projects/{project['id']}", admin, json={"keywords": ["owner"]})
    staff = make.staff()
    edited = api.call("PATCH", f"/projects/{project['id']}", staff, json={"keywords": ["x"]})
    assert edited.status_code == 200
    decided = api.call(
        "POST",
        f"/applications/{application['id']}/decision",
        staff,
        json={"decision": "rejected", "reason": "Duplicate."},
    )
    assert decided.status_code == 200
    assert api.move(staff, project["id"], "active").status_code == 200
    path = f"/projects/{project['id']}/staff-actions"
    actions = api.call("GET", path, staff).get_json()
    assert [(a["action"], a["user_id"]) for a in actions] == [
        ("update", str(staff.id)),
        ("decide", str(staff.id)),
        ("transition", str(staff.id)),
    ]
    assert actions[0]["detail"] == {"fields": ["keywords"]}
    assert actions[2]["detail"] == {"from_state": "open", "to_state": "active"}
    assert api.call("GET", path, admin).status_code == 403


def test_an_active_project_follows_its_milestones(api, make):
    org = make.organisation()
    admin, member = make.admin(org), make.member(org)
    draft = api.create(admin)
    path = f"/projects/{draft['id']}/milestones"
    milestone = {"title": {"en": "Prototype"}, "starts_on": "2027-01-01", "due_on": "2027-06-30"}
    assert api.call("POST", path, member, json=milestone).status_code == 409
    project = _project_in(api, admin, "active")
    path = f"/projects/{project['id']}/milestones"
    created = api.call("POST", path, member, json=milestone)
    assert created.status_code == 201, created.get_json()
    mid = created.get_json()["id"]
    stranger = make.admin(make.organisation())
    assert api.call("PATCH", f"{path}/{mid}", stranger, json={"progress": 90}).status_code == 403
    assert api.call("POST", path, stranger, json=milestone).status_code == 403
    bad = api.call("PATCH", f"{path}/{mid}", member, json={"progress": 101})
    assert bad.status_code == 422
    backwards = api.call("PATCH", f"{path}/{mid}", member, json={"due_on": "2026-01-01"})
    assert backwards.status_code == 422
    done = api.call("PATCH", f"{path}/{mid}", member, json={"progress": 40})
    assert done.status_code == 200 and done.get_json()["progress"] == 40
    shown = api.call("GET", f"/projects/{project['id']}", member).get_json()["milestones"]
    assert [(m["progress"], m["due_on"]) for m in shown] == [(40, "2027-06-30")]
