"""The organisation's dashboard panels in one read: what the separate reads give, together."""

from __future__ import annotations

from tests.projects.test_matchmaking import _org, _seeking

PATH = "/organisations/{}/dashboard"


def _separately(api, person, organisation_id, project_id, limit=5):
    drafts = api.call(
        "GET",
        "/projects",
        person,
        query_string={"organisation_id": organisation_id, "state": "draft", "limit": limit},
    ).get_json()["items"]
    published = api.call(
        "GET", "/projects", person, query_string={"organisation_id": organisation_id}
    ).get_json()["items"]
    mine = sorted(drafts + published, key=lambda p: p["created_at"], reverse=True)[:limit]
    fitting = api.call(
        "GET",
        f"/organisations/{organisation_id}/recommended-projects",
        person,
        query_string={"limit": limit},
    ).get_json()
    partners = api.call(
        "GET",
        f"/projects/{project_id}/recommended-partners",
        person,
        query_string={"limit": limit},
    ).get_json()
    return mine, fitting, partners


def test_the_panels_are_what_the_separate_reads_give(api, make):
    lab = _org(make, "Sophia Lab", kind="research_lab", sectors=("iot", "ai_data"))
    admin = make.admin(lab)
    cn = make.admin(_org(make, "Nanjing Sensors", country="CN"))
    api.opened(cn, title={"en": "Their call"}, **_seeking(seeks_kinds=["research_lab"]))
    _org(make, "Jiangning Lab", country="CN", kind="research_lab", sectors=("iot",))
    older = api.opened(admin, title={"en": "Older call"}, **_seeking(seeks_countries=["CN"]))
    seeking = api.opened(admin, title={"en": "Newest call"}, **_seeking(seeks_countries=["CN"]))
    api.create(admin, title={"en": "A draft"})
    response = api.call("GET", PATH.format(lab), admin)
    assert response.status_code == 200, response.get_json()
    panels = response.get_json()
    mine, fitting, partners = _separately(api, admin, lab, seeking["id"])
    assert panels["projects"] == mine
    assert [p["title"] for p in panels["projects"]] == ["A draft", "Newest call", "Older call"]
    assert panels["seeking"]["id"] == seeking["id"] != older["id"]
    assert panels["recommended_projects"] == fitting
    assert [r["project"]["title"] for r in fitting] == ["Their call"]
    assert panels["recommended_partners"] == partners
    assert [r["organisation"]["name"] for r in partners] == ["Jiangning Lab", "Nanjing Sensors"]


def test_a_pending_organisation_sees_its_drafts_and_no_members_only_calls(api, make):
    pending = _org(make, "Pending Lab", sectors=("iot",), status="pending")
    cn = make.admin(_org(make, "Nanjing Sensors", country="CN"))
    api.opened(cn, title={"en": "Members call"}, **_seeking())
    person = make.admin(pending)
    assert (
        api.call("GET", f"/organisations/{pending}/recommended-projects", person).status_code == 403
    )
    panels = api.call("GET", PATH.format(pending), person).get_json()
    assert panels == {
        "projects": [],
        "recommended_projects": [],
        "seeking": None,
        "recommended_partners": [],
    }


def test_only_the_organisations_people_read_its_panels(api, make):
    lab = _org(make, "Sophia Lab")
    outsider = make.member(_org(make, "Outsider"))
    refused = api.call("GET", PATH.format(lab), outsider)
    assert refused.status_code == 403
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert refused.get_json()["code"] == "access.other_organisation"
    assert api.call("GET", PATH.format(lab)).status_code == 401
    bad = api.call("GET", PATH.format(lab), make.member(lab), query_string={"limit": 0})
    assert bad.status_code == 422
    assert api.call("GET", PATH.format(lab), make.staff()).status_code == 200
