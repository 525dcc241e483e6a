"""Kept search pages: reused while no project, term or organisation changed, recomputed after any
write that changes them, each reader's own (staff, or their organisation), and for open calls
only until the next deadline passes (domain/search.py, shared.data_version)."""

from __future__ import annotations

from datetime import timedelta

from shared.db import utcnow
from tests.projects.factories import deliver
from tests.projects.test_matchmaking import _org
from tests.projects.test_matchmaking_cache import statements_on_projects


def _found(api, person, **query) -> list[str]:
    response = api.call("GET", "/projects", person, query_string=query)
    assert response.status_code == 200, response.get_json()
    return [p["title"] for p in response.get_json()["items"]]


def _described(organisation_id) -> dict:
    """The organisation as members' events describe it, from projects' projection."""
    from services.projects.models import Organisation, db

    with db.transaction() as session:
        row = session.get(Organisation, organisation_id, populate_existing=True)
        return {
            **{n: getattr(row, n) for n in ("name", "name_zh", "country", "park", "city")},
            **{n: getattr(row, n) for n in ("kind", "size", "website")},
            "sectors": list(row.sectors),
            "description": dict(row.description),
            "id": str(organisation_id),
            "status": "verified",
            "reason": None,
        }


def test_a_repeated_search_is_answered_without_reading_projects_until_a_write(api, make):
    owner_org = _org(make, "Nanjing Sensors", country="CN")
    owner = make.admin(owner_org)
    reader = make.member(_org(make, "Sophia Lab"))
    api.opened(owner, title={"en": "Sensor grid"})
    assert _found(api, reader, q="sensor") == ["Sensor grid"]
    with statements_on_projects() as seen:
        assert _found(api, reader, q="sensor") == ["Sensor grid"]
    assert seen == []
    api.opened(owner, title={"en": "Sensor swarm"})
    assert _found(api, reader, q="sensor") == ["Sensor swarm", "Sensor grid"]
    # An event handled by projects' consumer (a Core upsert) changes what the page shows.
    make.suspend(owner_org)
    response = api.call("GET", "/projects", reader, query_string={"q": "sensor"})
    assert {p["owner"]["name"] for p in response.get_json()["items"]} == {"Nanjing Sensors"}
    deliver("organisation.verified", {**_described(owner_org), "name": "Nanjing Sensing"})
    response = api.call("GET", "/projects", reader, query_string={"q": "sensor"})
    assert {p["owner"]["name"] for p in response.get_json()["items"]} == {"Nanjing Sensing"}


def test_each_reader_gets_their_own_page(api, make):
    owner_org = _org(make, "Nanjing Secret", country="CN")
    owner = make.admin(owner_org)
    api.opened(owner, title={"en": "Discreet"}, anonymous=True)
    api.opened(owner, title={"en": "Members only"}, visibility="members")

    def owners(person) -> list:
        response = api.call("GET", "/projects", person, query_string={"limit": 10})
        return sorted((p["title"], p["owner"].get("name")) for p in response.get_json()["items"])

    assert owners(owner) == [("Discreet", "Nanjing Secret"), ("Members only", "Nanjing Secret")]
    assert owners(make.staff()) == owners(owner)
    pending = _org(make, "Newcomer", status="pending")
    assert owners(make.member(pending)) == [("Discreet", None)]
    assert owners(make.member(_org(make, "Sophia Lab"))) == [
        ("Discreet", None),
        ("Members only", "Nanjing Secret"),
    ]
    assert owners(None) == [("Discreet", None)]


def test_open_calls_are_kept_only_until_the_next_deadline(app, make, api):
    from services.projects.api.common import answers
    from services.projects.domain import search
    from services.projects.models import db

    owner = make.admin(_org(make, "Nanjing Sensors", country="CN"))
    deadline = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    api.opened(owner, title={"en": "Call"}, call_deadline=deadline.isoformat())
    with app.test_request_context():
        kept = answers()
        kept.clear()
        page = search.search(db.session(), None, kept, open_calls=True, limit=20)
        assert [p["title"] for p in page["items"]] == ["Call"]
        [(_version, valid_until, _answer)] = kept._answers.values()
        assert valid_until == deadline
        search.search(db.session(), None, kept, limit=20)
        assert sorted(v[1] is None for v in kept._answers.values()) == [False, True]
