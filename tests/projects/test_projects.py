"""Projects: creation by a verified organisation, reading by audience, edits by the owner only."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from services.projects.models import Project, db

PROBLEM = "application/problem+json"


def test_a_member_creates_a_draft_with_sanitised_markdown_and_reads_it_back(api, make):
    org = make.organisation(name="Sophia Sensors")
    member = make.member(org)
    project = api.create(member)
    assert project["state"] == "draft"
    assert project["owner"]["name"] == "Sophia Sensors"
    assert project["description"]["en"].startswith("# Goal")  # the source is kept
    html = project["description_html"]["en"]
    assert "<h1>Goal</h1>" in html and "<strong>lidar</strong>" in html
    assert "<script>" not in html
    assert project["partner_sought"] == {
        "countries": ["CN"],
        "kinds": ["research_lab"],
        "skills": ["embedded AI"],
    }
    assert project["budget"] == {"min": 200000, "max": 500000, "currency": "EUR"}
    assert project["allowed_transitions"] == ["open", "cancelled"]
    again = api.call("GET", f"/projects/{project['id']}", member)
    assert again.status_code == 200
    assert again.get_json()["title"] == project["title"]


def test_a_draft_is_seen_by_its_owner_only(api, make):
    project = api.create(make.member(make.organisation()))
    stranger = make.member(make.organisation())
    response = api.call("GET", f"/projects/{project['id']}", stranger)
    assert response.status_code == 404
    assert response.mimetype == PROBLEM


def test_members_only_projects_are_for_members_of_verified_organisations(api, make):
    owner = make.admin(make.organisation())
    project = api.opened(owner, visibility="members")
    verified = make.member(make.organisation())
    pending = make.member(make.organisation(status="pending"))
    assert api.call("GET", f"/projects/{project['id']}", verified).status_code == 200
    assert api.call("GET", f"/projects/{project['id']}", pending).status_code == 404
    public = api.opened(owner, visibility="public")
    assert api.call("GET", f"/projects/{public['id']}", pending).status_code == 200
    assert api.call("GET", f"/projects/{project['id']}").status_code == 404  # signed out


def test_anonymous_readers_see_published_public_projects_only(api, make):
    owner = make.admin(make.organisation())
    public = api.opened(owner, visibility="public", anonymous=True)
    members_only = api.opened(owner, visibility="members")
    draft = api.create(owner)
    read = api.call("GET", f"/projects/{public['id']}")
    assert read.status_code == 200
    owner_shown = read.get_json()["owner"]
    assert (
        owner_shown["anonymous"] is True and "name" not in owner_shown and "id" not in owner_shown
    )
    for hidden in (members_only, draft):
        response = api.call("GET", f"/projects/{hidden['id']}")
        assert response.status_code == 404 and response.mimetype == PROBLEM
    listed = api.call("GET", "/projects").get_json()["items"]
    assert [item["id"] for item in listed] == [public["id"]]
    assert api.call("GET", "/projects", query_string={"state": "draft"}).get_json()["items"] == []
    assert "name" not in listed[0]["owner"]


def test_a_discreet_owner_shows_country_kind_and_size_only(api, make):
    org = make.organisation(name="Secret Lab", country="CN", kind="research_lab", size="medium")
    owner = make.admin(org)
    project = api.opened(owner, anonymous=True)
    seen = api.call("GET", f"/projects/{project['id']}", make.member(make.organisation()))
    assert seen.get_json()["owner"] == {
        "anonymous": True,
        "country": "CN",
        "kind": "research_lab",
        "size": "medium",
    }
    own = api.call("GET", f"/projects/{project['id']}", owner).get_json()
    assert own["owner"]["name"] == "Secret Lab"
    assert own["owner"]["discreet"] is True  # its own members see their choice
    shown = api.opened(owner)
    assert (
        api.call("GET", f"/projects/{shown['id']}", owner).get_json()["owner"]["discreet"] is False
    )
    stranger_view = api.call("GET", f"/projects/{shown['id']}", make.member(make.organisation()))
    assert "discreet" not in stranger_view.get_json()["owner"]


def test_another_organisations_edit_is_refused_and_nothing_changes(api, make):
    owner = make.admin(make.organisation())
    project = api.opened(owner)
    intruder = make.admin(make.organisation())
    before = api.call("GET", f"/projects/{project['id']}", owner).get_json()
    events_before = len(make.events())
    response = api.call(
        "PATCH", f"/projects/{project['id']}", intruder, json={"title": {"en": "Hijacked"}}
    )
    assert response.status_code == 403
    assert response.mimetype == PROBLEM
    moved = api.move(intruder, project["id"], "cancelled")
    assert moved.status_code == 403
    after = api.call("GET", f"/projects/{project['id']}", owner).get_json()
    assert after == before
    assert len(make.events()) == events_before


def test_the_owners_member_edits_and_the_edit_is_announced(api, make):
    owner = make.admin(make.organisation())
    project = api.opened(owner)
    member = make.member(uuid_of(project, owner))
    response = api.call(
        "PATCH",
        f"/projects/{project['id']}",
        member,
        json={"summary": {"fr": "Fusion de capteurs."}, "description": {"en": "*new*"}},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["summary"] == {"fr": "Fusion de capteurs."}
    assert body["description_html"]["en"] == "<p><em>new</em></p>\n"
    assert [e["type"] for e in make.events("project.updated")] == ["project.updated"]
    for bad in (
        {"title": {}},
        {"budget_max": 1},
        {"kind": None},
        {"ends_on": "2026-01-01"},
        {"call_deadline": None},
    ):
        refused = api.call("PATCH", f"/projects/{project['id']}", member, json=bad)
        assert refused.status_code == 422, (bad, refused.get_json())
        assert refused.mimetype == PROBLEM
    assert api.call("GET", f"/projects/{project['id']}", member).get_json() == body
    assert len(make.events("project.updated")) == 1


def uuid_of(project: dict, owner) -> object:
    assert project["owner"]["id"] == str(owner.organisation_id)
    return owner.organisation_id


def test_a_suspended_or_unknown_organisation_cannot_create_and_writes_nothing(api, make):
    member = make.member(make.organisation(status="suspended"))
    response = api.call("POST", "/projects", member, json=_body())
    assert (response.status_code, response.mimetype) == (403, PROBLEM)
    assert response.get_json()["code"] == "organisation.suspended"
    unknown = make.member(uuid.uuid4())
    response = api.call("POST", "/projects", unknown, json=_body())
    assert response.get_json()["code"] == "organisation.unknown"
    with db.engine.connect() as connection:
        assert connection.execute(select(Project.id)).all() == []


def test_a_pending_organisation_writes_drafts_but_does_not_publish_them(api, make):
    admin = make.admin(make.organisation(status="pending"))
    draft = api.create(admin)
    assert draft["state"] == "draft"
    response = api.move(admin, draft["id"], "open")
    assert (response.status_code, response.get_json()["code"]) == (403, "organisation.pending")
    assert api.call("GET", f"/projects/{draft['id']}", admin).get_json()["state"] == "draft"


def _body(**overrides):
    from tests.projects.factories import project_body

    return project_body(**overrides)


def test_bad_input_is_a_problem_and_writes_nothing(api, make):
    member = make.member(make.organisation())
    cases = [
        {"kind": "joint_venture"},
        {"sectors": ["cooking"]},
        {"title": {"de": "Titel"}},
        {"title": {"en": "x" * 201}},
        {"seeks_countries": ["XX"]},
        {"budget_min": 10, "budget_max": 5},
        {"budget_min": 10, "budget_currency": None},
        {"starts_on": "2028-01-01", "ends_on": "2027-01-01"},
        {"call_deadline": "2020-01-01T00:00:00+00:00"},
        {"attachments": [{"title": "x", "url": "javascript:alert(1)"}]},
        {"visibility": "secret"},
        {"unexpected": True},
    ]
    for override in cases:
        response = api.call("POST", "/projects", member, json=_body(**override))
        assert response.status_code == 422, (override, response.get_json())
        assert response.mimetype == PROBLEM
    missing = api.call("POST", "/projects", member, json={"kind": "rd_partnership"})
    assert missing.status_code == 422
    not_json = api.call("POST", "/projects", member, data="kind=x", content_type="text/plain")
    assert not_json.status_code == 415 and not_json.mimetype == PROBLEM
    assert api.call("GET", "/projects/not-a-uuid", member).status_code == 404
    assert api.call("GET", "/projects", member, query_string={"limit": 0}).status_code == 422
    assert api.call("GET", "/projects", member, query_string={"cursor": "bad"}).status_code == 422
    unsigned = api.call("POST", "/projects", json=_body())
    assert unsigned.status_code == 401 and unsigned.mimetype == PROBLEM
    with db.engine.connect() as connection:
        assert connection.execute(select(Project.id)).all() == []
    assert make.events() == []
