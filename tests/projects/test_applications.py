"""Applications: one pending per organisation, never to one's own project, decided by admins."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from services.projects.models import Application, Partner, db


def _count(model) -> int:
    with db.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(model)).scalar_one()


def _apply(api, person, project_id, message="We would like to join."):
    return api.call(
        "POST", f"/projects/{project_id}/applications", person, json={"message": message}
    )


def test_an_application_accepted_makes_a_partner_and_reveals_a_discreet_owner(api, make):
    owner_org = make.organisation(name="Jiangning Robotics", country="CN")
    owner = make.admin(owner_org)
    project = api.opened(owner, anonymous=True)
    applicant_org = make.organisation(name="Sophia Lidar")
    applicant = make.member(applicant_org)
    response = _apply(api, applicant, project["id"])
    assert response.status_code == 201, response.get_json()
    application = response.get_json()
    assert application["status"] == "pending"
    seen = api.call("GET", f"/projects/{project['id']}", applicant).get_json()
    assert seen["owner"]["anonymous"] is True and "name" not in seen["owner"]
    decided = api.call(
        "POST",
        f"/applications/{application['id']}/decision",
        owner,
        json={"decision": "accepted", "reason": "Your lidar fits.", "role": "lead"},
    )
    assert decided.status_code == 200, decided.get_json()
    assert decided.get_json()["status"] == "accepted"
    seen = api.call("GET", f"/projects/{project['id']}", applicant).get_json()
    assert seen["owner"]["name"] == "Jiangning Robotics"
    assert [(p["organisation_id"], p["role"]) for p in seen["partners"]] == [
        (str(applicant_org), "lead")
    ]
    added = make.events("project.partner_added")[0]["data"]
    assert added["partner_organisation_id"] == str(applicant_org) and added["role"] == "lead"
    hide_again = api.call("PATCH", f"/projects/{project['id']}", owner, json={"anonymous": True})
    assert hide_again.status_code == 409


def test_a_rejection_carries_its_reason_and_makes_no_partner(api, make):
    owner = make.admin(make.organisation())
    project = api.opened(owner)
    application = _apply(api, make.member(make.organisation()), project["id"]).get_json()
    decided = api.call(
        "POST",
        f"/applications/{application['id']}/decision",
        owner,
        json={"decision": "rejected", "reason": "We need a lab in China."},
    )
    assert decided.get_json()["reason"] == "We need a lab in China."
    assert _count(Partner) == 0
    event = make.events("project.application_decided")[0]["data"]
    assert (event["decision"], event["reason"]) == ("rejected", "We need a lab in China.")
    again = api.call(
        "POST", f"/applications/{application['id']}/decision", owner, json={"decision": "accepted"}
    )
    assert again.status_code == 409


def test_an_organisation_cannot_apply_to_its_own_project(api, make):
    org = make.organisation()
    project = api.opened(make.admin(org))
    response = _apply(api, make.member(org), project["id"])
    assert response.status_code == 409
    assert response.get_json()["code"] == "application.own_project"
    assert _count(Application) == 0


def test_a_second_pending_application_is_refused_until_the_first_is_withdrawn(api, make):
    project = api.opened(make.admin(make.organisation()))
    org = make.organisation()
    first, colleague = make.member(org), make.member(org)
    created = _apply(api, first, project["id"]).get_json()
    second = _apply(api, colleague, project["id"])
    assert second.status_code == 409
    assert second.get_json()["code"] == "application.already_pending"
    assert _count(Application) == 1
    withdrawn = api.call("POST", f"/applications/{created['id']}/withdrawal", colleague)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    assert api.call("POST", f"/applications/{created['id']}/withdrawal", first).status_code == 409
    assert _apply(api, colleague, project["id"]).status_code == 201


def test_a_decision_by_a_non_admin_is_refused_and_changes_nothing(api, make):
    owner_org = make.organisation()
    project = api.opened(make.admin(owner_org))
    applicant = make.admin(make.organisation())
    application = _apply(api, applicant, project["id"]).get_json()
    body = {"decision": "accepted"}
    path = f"/applications/{application['id']}/decision"
    assert api.call("POST", path, make.member(owner_org), json=body).status_code == 403
    assert api.call("POST", path, applicant, json=body).status_code == 403
    outsider = api.call("POST", path, make.admin(make.organisation()), json=body)
    assert outsider.status_code == 404
    assert api.call("GET", f"/applications/{application['id']}", applicant).get_json()[
        "status"
    ] == ("pending")
    assert _count(Partner) == 0
    assert make.events("project.application_decided") == []


def test_only_the_applicant_withdraws(api, make):
    owner = make.admin(make.organisation())
    project = api.opened(owner)
    application = _apply(api, make.member(make.organisation()), project["id"]).get_json()
    path = f"/applications/{application['id']}/withdrawal"
    assert api.call("POST", path, owner).status_code == 403
    assert api.call("POST", path, make.member(make.organisation())).status_code == 404


def test_suspended_organisations_cannot_apply_nor_anyone_to_a_closed_call(api, make):
    owner = make.admin(make.organisation())
    project = api.opened(owner)
    suspended = make.member(make.organisation(status="suspended"))
    assert _apply(api, suspended, project["id"]).status_code == 403
    draft = api.create(owner)
    assert _apply(api, make.member(make.organisation()), draft["id"]).status_code == 404
    assert api.move(owner, project["id"], "active").status_code == 200
    closed = _apply(api, make.member(make.organisation()), project["id"])
    assert closed.status_code == 409 and closed.get_json()["code"] == "application.call_closed"
    assert _count(Application) == 0


def test_applications_are_listed_for_the_owner_and_each_applicant_sees_its_own(api, make):
    owner = make.admin(make.organisation())
    project = api.opened(owner)
    one, two = make.member(make.organisation()), make.member(make.organisation())
    _apply(api, one, project["id"], "one")
    _apply(api, two, project["id"], "two")
    path = f"/projects/{project['id']}/applications"
    assert sorted(a["message"] for a in api.call("GET", path, owner).get_json()) == ["one", "two"]
    assert [a["message"] for a in api.call("GET", path, one).get_json()] == ["one"]


def test_bad_application_input_is_a_problem(api, make):
    project = api.opened(make.admin(make.organisation()))
    member = make.member(make.organisation())
    path = f"/projects/{project['id']}/applications"
    for body in ({}, {"message": ""}, {"message": "x" * 5001}, {"message": "hi", "x": 1}):
        response = api.call("POST", path, member, json=body)
        assert response.status_code == 422
        assert response.mimetype == "application/problem+json"
    bad = api.call("POST", "/applications/not-a-uuid/decision", member, json={})
    assert bad.status_code == 404
    assert _count(Application) == 0


def test_the_database_itself_holds_one_pending_application_per_organisation(api, make):
    """Two requests racing past the domain's check still cannot leave two pending rows."""
    project = api.opened(make.admin(make.organisation()))
    org = make.organisation()
    _apply(api, make.member(org), project["id"])
    row = {"project_id": uuid.UUID(project["id"]), "organisation_id": org, "message": "Again"}
    with pytest.raises(IntegrityError), db.engine.begin() as connection:
        connection.execute(insert(Application).values(**row, status="pending"))
    with db.engine.begin() as connection:  # a decided one beside it is fine
        connection.execute(insert(Application).values(**row, status="rejected"))
    assert _count(Application) == 2


def test_an_organisation_follows_the_applications_it_sent_newest_first(api, make):
    applicant_org = make.organisation(name="Sophia Lidar")
    applicant = make.member(applicant_org)
    owner = make.admin(make.organisation(country="CN"))
    first = api.opened(owner, title={"en": "Smart port sensors", "zh": "智慧港口传感器"})
    second = api.opened(owner)
    sent = [_apply(api, applicant, p["id"]).get_json() for p in (first, second)]
    decided = api.call(
        "POST",
        f"/applications/{sent[0]['id']}/decision",
        owner,
        json={"decision": "rejected", "reason": "The call is answered."},
    )
    assert decided.status_code == 200, decided.get_json()
    # Another organisation's application never shows.
    _apply(api, make.member(make.organisation()), first["id"])
    path = f"/organisations/{applicant_org}/applications"

    listing = api.call("GET", f"{path}?lang=zh", applicant)
    assert listing.status_code == 200, listing.get_json()
    items = listing.get_json()["items"]
    assert [i["id"] for i in items] == [sent[1]["id"], sent[0]["id"]]
    assert items[1]["status"] == "rejected" and items[1]["reason"] == "The call is answered."
    assert items[1]["project"] == {"id": first["id"], "title": "智慧港口传感器", "state": "open"}

    pending = api.call("GET", f"{path}?status=pending", applicant).get_json()
    assert [i["id"] for i in pending["items"]] == [sent[1]["id"]]
    one = api.call("GET", f"{path}?limit=1", applicant)
    assert [i["id"] for i in one.get_json()["items"]] == [sent[1]["id"]]
    assert 'rel="next"' in one.headers["Link"]
    following = api.call("GET", f"{path}?limit=1&cursor={one.get_json()['next']}", applicant)
    assert [i["id"] for i in following.get_json()["items"]] == [sent[0]["id"]]
    assert following.get_json()["next"] is None
    staff_view = api.call("GET", path, make.staff()).get_json()
    assert len(staff_view["items"]) == 2


def test_an_organisations_applications_are_its_own_members_business(api, make):
    applicant_org = make.organisation()
    path = f"/organisations/{applicant_org}/applications"
    for outsider in (make.admin(make.organisation()), make.member(make.organisation())):
        refused = api.call("GET", path, outsider)
        assert refused.status_code == 403
        assert refused.mimetype == "application/problem+json"
    assert api.call("GET", path).status_code == 401
    for bad in ("?status=maybe", "?limit=0", "?cursor=not-a-cursor", "?lang=de"):
        response = api.call("GET", path + bad, make.member(applicant_org))
        assert response.status_code in (400, 422), bad
        assert response.mimetype == "application/problem+json"
