"""Kept recommendations: reused while nothing they depend on changed, recomputed after any write
that changes them, never shown to someone the API would refuse, never one organisation's to
another (shared.data_version, domain/matchmaking.py)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, update

from shared.data_version import AnswerCache
from shared.db import utcnow
from tests.projects.test_matchmaking import _org, _seeking


@contextmanager
def statements_on_projects():
    """The SQL statements that read or write the projects table meanwhile."""
    from services.projects.models import db

    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if "projects" in statement and "matchmaking_version" not in statement:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _recommended(api, person, organisation_id, **query):
    response = api.call(
        "GET", f"/organisations/{organisation_id}/recommended-projects", person, query_string=query
    )
    assert response.status_code == 200, response.get_json()
    return [r["project"]["title"] for r in response.get_json()]


def _partners(api, person, project_id):
    response = api.call("GET", f"/projects/{project_id}/recommended-partners", person)
    assert response.status_code == 200, response.get_json()
    return [r["organisation"]["name"] for r in response.get_json()]


@pytest.fixture
def lab(make):
    return _org(make, "Sophia Lab", kind="research_lab", sectors=("iot", "ai_data"))


def test_a_repeated_read_is_answered_without_reading_projects(api, make, lab):
    cn = make.admin(_org(make, "Nanjing Sensors", country="CN"))
    api.opened(cn, title={"en": "P1"}, **_seeking())
    member = make.member(lab)
    assert _recommended(api, member, lab) == ["P1"]
    with statements_on_projects() as seen:
        assert _recommended(api, member, lab) == ["P1"]
    assert seen == []
    # Another language or limit is another answer, computed once.
    with statements_on_projects() as seen:
        assert _recommended(api, member, lab, lang="fr") == ["P1"]
    assert seen != []


def test_a_new_open_call_and_a_closed_one_change_the_answer(api, make, lab):
    cn = make.admin(_org(make, "Nanjing Sensors", country="CN"))
    member = make.member(lab)
    first = api.opened(cn, title={"en": "P1"}, **_seeking())
    assert _recommended(api, member, lab) == ["P1"]
    api.opened(cn, title={"en": "P2"}, **_seeking(seeks_kinds=["research_lab"]))
    assert _recommended(api, member, lab) == ["P2", "P1"]
    assert api.move(cn, first["id"], "active").status_code == 200
    assert _recommended(api, member, lab) == ["P2"]


def test_an_organisation_event_changes_the_answer(api, make, lab):
    cn_org = _org(make, "Nanjing Sensors", country="CN")
    cn = make.admin(cn_org)
    member = make.member(lab)
    api.opened(cn, title={"en": "P1"}, **_seeking())
    assert _recommended(api, member, lab) == ["P1"]
    make.suspend(cn_org)  # an event handled by projects' consumer, a Core upsert
    assert _recommended(api, member, lab) == []


def test_partners_follow_the_organisations_and_the_project(api, make):
    owner = make.admin(_org(make, "Jiangning Vision", country="CN"))
    project = api.opened(owner, **_seeking(seeks_kinds=["research_lab"]))
    _org(make, "French Company", sectors=("iot",))
    assert _partners(api, owner, project["id"]) == ["French Company"]
    late = _org(make, "Best Lab", kind="research_lab", sectors=("iot", "ai_data"))
    assert _partners(api, owner, project["id"]) == ["Best Lab", "French Company"]
    make.suspend(late)
    assert _partners(api, owner, project["id"]) == ["French Company"]
    changed = api.call("PATCH", f"/projects/{project['id']}", owner, json={"sectors": ["energy"]})
    assert changed.status_code == 200, changed.get_json()
    assert _partners(api, owner, project["id"]) == []


def test_a_kept_answer_is_never_given_to_someone_refused(api, make, lab):
    owner = make.admin(_org(make, "Owner", country="CN"))
    project = api.opened(owner, title={"en": "P1"}, **_seeking())
    assert _recommended(api, make.member(lab), lab) == ["P1"]
    assert _partners(api, owner, project["id"]) == ["Sophia Lab"]
    outsider = make.member(_org(make, "Outsider", sectors=("energy",)))
    path = f"/organisations/{lab}/recommended-projects"
    assert api.call("GET", path, outsider).status_code == 403
    partners = f"/projects/{project['id']}/recommended-partners"
    assert api.call("GET", partners, outsider).status_code == 403


def test_each_organisation_gets_its_own_answer(api, make, lab):
    cn = make.admin(_org(make, "Nanjing Sensors", country="CN"))
    api.opened(cn, title={"en": "IoT"}, **_seeking(sectors=["iot"]))
    api.opened(cn, title={"en": "Energy"}, **_seeking(sectors=["energy"]))
    energy = _org(make, "Sophia Energy", sectors=("energy",))
    assert _recommended(api, make.member(lab), lab) == ["IoT"]
    assert _recommended(api, make.member(energy), energy) == ["Energy"]
    assert _recommended(api, make.member(lab), lab) == ["IoT"]


def test_staffs_view_of_a_discreet_owner_is_never_kept_for_members(api, make, lab):
    cn = make.admin(_org(make, "Nanjing Secret", country="CN"))
    api.opened(cn, title={"en": "Discreet"}, anonymous=True, **_seeking())
    path = f"/organisations/{lab}/recommended-projects"
    as_staff = api.call("GET", path, make.staff()).get_json()
    assert as_staff[0]["project"]["owner"]["name"] == "Nanjing Secret"
    as_member = api.call("GET", path, make.member(lab)).get_json()
    assert as_member[0]["project"]["owner"]["anonymous"] is True
    assert "Nanjing Secret" not in str(as_member)


def test_the_version_counts_committed_writes_only(app):
    from services.projects.models import Project, db, matchmaking_version

    before = matchmaking_version.current()
    with db.engine.connect() as connection, connection.begin() as transaction:
        connection.execute(update(Project).values(state="open"))
        transaction.rollback()
    assert matchmaking_version.current() == before
    with db.engine.begin() as connection:
        connection.execute(update(Project).values(state="open"))
        connection.execute(update(Project).values(state="open"))
    assert matchmaking_version.current() == before + 1  # once per transaction


def test_an_answer_is_kept_only_until_it_stops_being_true(app):
    from services.projects.models import matchmaking_version

    with app.app_context():
        answers = AnswerCache(matchmaking_version.current)
        computed = []

        def compute(valid_until):
            def run():
                computed.append(1)
                return len(computed), valid_until

            return run

        ahead = utcnow() + timedelta(days=1)
        assert answers.get("k", compute(ahead)) == 1
        assert answers.get("k", compute(ahead)) == 1
        passed = utcnow() - timedelta(seconds=1)
        assert answers.get("other", compute(passed)) == 2
        assert answers.get("other", compute(passed)) == 3
