"""Search: words in any language (Chinese and pinyin too), facets, open calls, keyset pages."""

from __future__ import annotations


def _ids(api, person, **query) -> list[str]:
    response = api.call("GET", "/projects", person, query_string=query)
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["items"]]


def _titles(api, person, **query) -> set[str]:
    response = api.call("GET", "/projects", person, query_string={**query, "lang": "en"})
    return {item["title"] for item in response.get_json()["items"]}


def test_words_in_french_chinese_and_pinyin_find_projects(api, make):
    cn = make.admin(make.organisation(country="CN", park="jiangning"))
    fr = make.admin(make.organisation())
    api.opened(
        cn,
        title={"en": "Biologics plant", "zh": "生物制药工厂"},
        summary={"zh": "寻找法国合作伙伴"},
        sectors=["biotech_health"],
        keywords=["生物制剂", "物联网"],
    )
    api.opened(
        fr,
        title={"en": "Smart city lighting", "fr": "Éclairage de la ville intelligente"},
        summary={"fr": "Réseaux de capteurs."},
        sectors=["smart_city"],
        keywords=["LoRa"],
    )
    reader = make.member(make.organisation())
    assert _titles(api, reader, q="生物") == {"Biologics plant"}
    assert _titles(api, reader, q="shengwu") == {"Biologics plant"}
    assert _titles(api, reader, q="wulianwang") == {"Biologics plant"}
    assert _titles(api, reader, q="物联网") == {"Biologics plant"}
    assert _titles(api, reader, q="eclairage") == {"Smart city lighting"}
    assert _titles(api, reader, q="Réseaux capt") == {"Smart city lighting"}  # prefix
    assert _titles(api, reader, q="lora") == {"Smart city lighting"}
    assert _titles(api, reader, q="quantum") == set()
    assert _titles(api, reader, sector="biotech_health") == {"Biologics plant"}
    assert _titles(api, reader, country="CN") == {"Biologics plant"}
    assert _titles(api, reader, country="fr") == {"Smart city lighting"}


def test_filters_by_state_partner_sought_and_open_calls(api, make):
    owner = make.admin(make.organisation())
    seeking_lab = api.opened(owner, title={"en": "Lab sought"}, seeks_kinds=["research_lab"])
    seeking_cn = api.opened(
        owner, title={"en": "China sought"}, seeks_countries=["CN"], seeks_kinds=[]
    )
    active = api.opened(owner, title={"en": "Running"}, seeks_countries=["DE"], seeks_kinds=[])
    api.move(owner, active["id"], "active")
    api.create(owner, title={"en": "Still a draft"})
    reader = make.member(make.organisation())
    assert _titles(api, reader) == {"Lab sought", "China sought", "Running"}
    assert _titles(api, reader, state="active") == {"Running"}
    assert _titles(api, reader, seeks_kind="research_lab") == {"Lab sought"}
    assert _titles(api, reader, seeks_country="CN") == {"Lab sought", "China sought"}
    assert _titles(api, reader, open_calls="true") == {"Lab sought", "China sought"}
    assert _titles(api, reader, state="draft") == set()  # someone else's draft
    assert _titles(api, owner, state="draft") == {"Still a draft"}
    assert seeking_lab["id"] != seeking_cn["id"]


def test_members_only_projects_are_not_found_by_unverified_organisations(api, make):
    owner = make.admin(make.organisation())
    api.opened(owner, title={"en": "Members only"}, visibility="members")
    api.opened(owner, title={"en": "For everyone"}, visibility="public")
    pending = make.member(make.organisation(status="pending"))
    assert _titles(api, pending) == {"For everyone"}
    assert _titles(api, make.member(make.organisation())) == {"Members only", "For everyone"}


def test_pages_follow_each_other_newest_first_without_gaps_or_repeats(api, make):
    owner = make.admin(make.organisation())
    created = [api.opened(owner, title={"en": f"Project {n}"})["id"] for n in range(7)]
    reader = make.member(make.organisation())
    seen, cursor = [], None
    while True:
        query = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        response = api.call("GET", "/projects", reader, query_string=query)
        body = response.get_json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next"]
        if not cursor:
            break
        assert 'rel="next"' in response.headers["Link"]
    assert seen == list(reversed(created))


def test_discreet_owners_stay_discreet_in_results(api, make):
    owner = make.admin(make.organisation(name="Hidden Company", country="CN"))
    api.opened(owner, anonymous=True)
    item = api.call("GET", "/projects", make.member(make.organisation())).get_json()["items"][0]
    assert item["owner"]["anonymous"] is True
    assert "name" not in item["owner"] and "id" not in item["owner"]
    assert item["owner"]["country"] == "CN"


def test_an_organisations_projects_without_giving_its_discreet_ones_away(api, make):
    org = make.organisation(name="Mixed Company")
    owner = make.admin(org)
    shown = api.opened(owner, title={"en": "Shown project"})
    discreet = api.opened(owner, anonymous=True, title={"en": "Discreet project"})
    api.opened(make.admin(make.organisation()), title={"en": "Someone else's"})

    def found(person) -> list[str]:
        query = {"organisation_id": str(org)}
        response = api.call("GET", "/projects", person, query_string=query)
        assert response.status_code == 200, response.get_json()
        return [item["id"] for item in response.get_json()["items"]]

    assert found(make.member(make.organisation())) == [shown["id"]]
    assert found(None) == [shown["id"]]
    assert found(make.member(org)) == [discreet["id"], shown["id"]]
    assert found(make.staff()) == [discreet["id"], shown["id"]]
    bad = api.call("GET", "/projects", owner, query_string={"organisation_id": "nope"})
    assert bad.status_code == 422


def test_bad_search_arguments_are_problems(api, make):
    reader = make.member(make.organisation())
    for query in ({"sector": "cooking"}, {"state": "frozen"}, {"country": "XX"}, {"limit": 500}):
        response = api.call("GET", "/projects", reader, query_string=query)
        assert response.status_code == 422, query
        assert response.mimetype == "application/problem+json"
