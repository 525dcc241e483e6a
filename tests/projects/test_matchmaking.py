"""Matchmaking on crafted sets whose right ranking is known in advance."""

from __future__ import annotations


def _org(make, name, country="FR", kind="company", sectors=("iot",), text="", status="verified"):
    park = "jiangning" if country == "CN" else "sophia_antipolis"
    return make.organisation(
        name=name,
        country=country,
        park=park,
        kind=kind,
        sectors=list(sectors),
        description={"en": text or f"{name}."},
        status=status,
    )


def _seeking(**overrides) -> dict:
    values = {
        "sectors": ["iot", "ai_data"],
        "seeks_countries": [],
        "seeks_kinds": [],
        "keywords": [],
        "seeks_skills": [],
    }
    return values | overrides


def test_partners_for_a_chinese_project_are_ranked_by_fit(api, make):
    owner = make.admin(_org(make, "Jiangning Vision", country="CN"))
    project = api.opened(
        owner,
        **_seeking(
            seeks_countries=["FR"],
            seeks_kinds=["research_lab"],
            keywords=["lidar"],
            seeks_skills=["embedded AI"],
        ),
    )
    both = ("iot", "ai_data")
    _org(make, "Best Lab", kind="research_lab", sectors=both, text="Lidar perception.")
    _org(make, "German Lab", "DE", "research_lab", both, "Lidar and embedded AI chips.")
    _org(make, "French Company", sectors=("iot",))
    _org(make, "Chinese Lab", "CN", "research_lab", ("iot",))
    _org(make, "Pending Lab", kind="research_lab", sectors=both, text="Lidar.", status="pending")
    _org(make, "Suspended Lab", kind="research_lab", sectors=both, status="suspended")
    _org(make, "Unrelated", "US", sectors=("energy",))
    response = api.call("GET", f"/projects/{project['id']}/recommended-partners", owner)
    assert response.status_code == 200, response.get_json()
    ranked = response.get_json()
    assert [r["organisation"]["name"] for r in ranked] == [
        "Best Lab",  # 2 sectors 6 + France sought 2 + lab 2 + lidar 1 + FR-CN 2 = 13
        "German Lab",  # 6 + lab 2 + lidar, embedded AI 2 = 10
        "French Company",  # 3 + France sought 2 + FR-CN 2 = 7
        "Chinese Lab",  # 3 + lab 2 = 5
    ]
    assert [r["score"] for r in ranked] == [13, 10, 7, 5]
    best = " ".join(ranked[0]["reasons"])
    assert "Internet of things, AI and data" in best
    assert "France and China" in best or "China and France" in best
    assert "lidar" in best
    assert "seeks this kind of organisation: Research laboratory" in best
    assert "seeks a partner in France." in " ".join(ranked[2]["reasons"])  # a name, not "FR"
    in_chinese = api.call(
        "GET",
        f"/projects/{project['id']}/recommended-partners",
        owner,
        query_string={"lang": "zh"},
    ).get_json()
    assert [r["score"] for r in in_chinese] == [13, 10, 7, 5]
    assert "物联网" in in_chinese[0]["reasons"][0]
    assert any("法国" in reason and "中国" in reason for reason in in_chinese[0]["reasons"])


def test_projects_for_a_french_lab_are_ranked_by_fit(api, make):
    lab_org = _org(
        make,
        "Sophia Perception Lab",
        kind="research_lab",
        sectors=("iot", "ai_data"),
        text="We build lidar perception with embedded AI.",
    )
    cn = make.admin(_org(make, "Nanjing Sensors", country="CN"))
    de = make.admin(_org(make, "Berlin Sensors", country="DE"))
    perfect = {"seeks_countries": ["FR"], "seeks_kinds": ["research_lab"], "keywords": ["lidar"]}
    api.opened(cn, title={"en": "P1"}, **_seeking(**perfect))
    api.opened(de, title={"en": "P2"}, **_seeking(**perfect))
    api.opened(cn, title={"en": "P3"}, **_seeking(sectors=["iot"]))
    api.opened(de, title={"en": "P4"}, **_seeking(sectors=["iot"]))
    api.opened(cn, title={"en": "P5"}, **_seeking(sectors=["energy"]))
    api.opened(make.admin(lab_org), title={"en": "Own"}, **_seeking(**perfect))
    closed = api.opened(cn, title={"en": "Closed"}, **_seeking(**perfect))
    assert api.move(cn, closed["id"], "active").status_code == 200
    gone_org = _org(make, "Gone Company", country="CN")
    api.opened(make.admin(gone_org), title={"en": "Suspended owner"}, **_seeking(**perfect))
    make.suspend(gone_org)

    member = make.member(lab_org)
    response = api.call("GET", f"/organisations/{lab_org}/recommended-projects", member)
    assert response.status_code == 200, response.get_json()
    ranked = response.get_json()
    assert [r["project"]["title"] for r in ranked] == ["P1", "P2", "P3", "P4"]
    assert [r["score"] for r in ranked] == [13, 11, 5, 3]
    assert any("China" in reason for reason in ranked[2]["reasons"])
    assert not any("China" in reason for reason in ranked[3]["reasons"])
    limited = api.call(
        "GET", f"/organisations/{lab_org}/recommended-projects", member, query_string={"limit": 1}
    )
    assert [r["project"]["title"] for r in limited.get_json()] == ["P1"]


def test_recommendations_are_for_the_organisations_own_people(api, make):
    org = _org(make, "Someone")
    owner = make.admin(_org(make, "Owner", country="CN"))
    project = api.opened(owner)
    outsider = make.member(_org(make, "Outsider"))
    path = f"/organisations/{org}/recommended-projects"
    assert api.call("GET", path, outsider).status_code == 403
    partners = f"/projects/{project['id']}/recommended-partners"
    assert api.call("GET", partners, outsider).status_code == 403
    assert api.call("GET", path, make.member(org), query_string={"limit": 0}).status_code == 422
