"""Audiences: public, every member, or organisations picked by criteria and by name."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from services.announcements.domain import audience
from services.announcements.events import HANDLERS
from services.announcements.models import Organisation, db
from shared.events import catalogue
from tests.announcements.factories import API


def _crafted(make) -> dict:
    return {
        "sophia_biotech": make.organisation(
            country="FR", park="sophia_antipolis", kind="company", sectors=["biotech_health"]
        ),
        "sophia_lab": make.organisation(
            country="FR", park="sophia_antipolis", kind="research_lab", sectors=["ai_data", "iot"]
        ),
        "nanjing_biotech": make.organisation(
            country="CN", park="jiangning", kind="company", sectors=["biotech_health", "ai_data"]
        ),
        "nanjing_university": make.organisation(
            country="CN", park="jiangning", kind="university", sectors=["education"]
        ),
        "suspended_biotech": make.organisation(
            country="CN",
            park="jiangning",
            kind="company",
            sectors=["biotech_health"],
            status="suspended",
        ),
    }


def _names(orgs: dict, ids) -> set[str]:
    by_id = {org.id: name for name, org in orgs.items()}
    return {by_id[i] for i in ids}


def test_resolution_combines_criteria_and_adds_named_organisations(make):
    orgs = _crafted(make)

    def resolve(scope, **criteria):
        with db.transaction() as session:
            return _names(orgs, audience.resolve(session, scope, criteria))

    everyone_active = set(orgs) - {"suspended_biotech"}
    assert resolve("public") == everyone_active
    assert resolve("members") == everyone_active
    assert resolve("selected", countries=["CN"]) == {"nanjing_biotech", "nanjing_university"}
    assert resolve("selected", sectors=["biotech_health"]) == {"sophia_biotech", "nanjing_biotech"}
    # Criteria combine with AND; values of one criterion with OR.
    assert resolve("selected", sectors=["ai_data"], kinds=["company"]) == {"nanjing_biotech"}
    assert resolve("selected", parks=["sophia_antipolis"], kinds=["company", "research_lab"]) == {
        "sophia_biotech",
        "sophia_lab",
    }
    # Named organisations are added to those the criteria pick.
    assert resolve(
        "selected",
        countries=["FR"],
        kinds=["university"],
        organisation_ids=[str(orgs["nanjing_university"].id)],
    ) == {"nanjing_university"}
    assert resolve(
        "selected", kinds=["research_lab"], organisation_ids=[str(orgs["nanjing_biotech"].id)]
    ) == {"sophia_lab", "nanjing_biotech"}
    assert resolve("selected", organisation_ids=[str(orgs["suspended_biotech"].id)]) == set()
    assert resolve("selected") == set()


def test_readers_see_only_what_their_audience_allows(make, client):
    orgs = _crafted(make)
    staff = make.staff()
    public = make.published(staff)
    members = make.published(staff, audience={"scope": "members"})
    chinese_biotech = make.published(
        staff,
        audience={"scope": "selected", "countries": ["CN"], "sectors": ["biotech_health"]},
    )

    def listed(person=None):
        headers = person.headers if person else None
        items = client.get(f"{API}/announcements", headers=headers).get_json()["items"]
        return {a["id"] for a in items}

    assert listed() == {public["id"]}
    assert listed(make.member_of(orgs["sophia_lab"])) == {public["id"], members["id"]}
    everything = {public["id"], members["id"], chinese_biotech["id"]}
    assert listed(make.member_of(orgs["nanjing_biotech"])) == everything
    # A suspended organisation's people read public content only (shared.organisation_status).
    assert listed(make.member_of(orgs["suspended_biotech"])) == {public["id"]}
    assert listed(staff) == everything
    url = f"{API}/announcements/{chinese_biotech['id']}"
    assert client.get(url).status_code == 404
    assert client.get(url, headers=make.member_of(orgs["sophia_lab"]).headers).status_code == 404
    assert (
        client.get(url, headers=make.member_of(orgs["nanjing_biotech"]).headers).status_code == 200
    )


def test_selected_lists_page_through_every_visible_announcement(make, client):
    target = make.organisation(country="CN", park="jiangning")
    staff = make.staff()
    selected = {"scope": "selected", "organisation_ids": [str(target.id)]}
    expected = []
    for _i in range(7):
        expected.append(make.published(staff, audience=selected)["id"])
        make.published(staff, audience={"scope": "selected", "countries": ["DE"]})
    reader = make.member_of(target)
    seen, url = [], f"{API}/announcements?limit=3"
    while url:
        body = client.get(url, headers=reader.headers).get_json()
        seen += [a["id"] for a in body["items"]]
        url = f"{API}/announcements?limit=3&cursor={body['next']}" if body["next"] else None
    assert seen == list(reversed(expected))


def test_the_projection_follows_members_events(app):
    entry = catalogue.get("organisation.registered", 1)
    data = entry.schema().load(entry.example)
    envelope = {"id": str(uuid.uuid4()), "occurred_at": datetime.now(UTC)}
    with db.transaction() as session:
        HANDLERS["organisation.registered"](session, data, envelope)
    with db.transaction() as session:
        organisation = session.get(Organisation, data["id"])
        assert organisation.park == "jiangning" and organisation.status == "pending"
        # Not verified yet: in no audience.
        assert audience.resolve(session, "selected", {"parks": ["jiangning"]}) == []
    verified = {**data, "status": "verified"}
    later = {"id": str(uuid.uuid4()), "occurred_at": datetime.now(UTC)}
    with db.transaction() as session:
        HANDLERS["organisation.verified"](session, verified, later)
    with db.transaction() as session:
        session.expire_all()  # the pending copy read above is stale
        assert audience.resolve(session, "selected", {"parks": ["jiangning"]}) == [data["id"]]
