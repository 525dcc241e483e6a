"""Demo data: plausible organisations of both parks, seeded like real ones, safe to run twice."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from services.members import demo
from services.members.domain import accounts, registration_numbers
from services.members.models import Membership, Organisation, User, db


def _organisations() -> list[Organisation]:
    with db.transaction() as session:
        return list(session.scalars(select(Organisation)))


def test_demo_data_is_seeded_once_however_often_it_runs(app, make):
    assert demo.seed_demo() == len(demo.ORGANISATIONS) + 1
    counts = (len(_organisations()), len(make.events()))
    assert demo.seed_demo() == 0
    assert (len(_organisations()), len(make.events())) == counts


def test_the_platform_admin_signs_in_with_the_documented_password(app):
    demo.seed_demo()
    with db.transaction() as session:
        admin = accounts.find_user_by_email(session, "admin@sino-sophipolitan.example")
        assert admin.is_platform_admin
        assert accounts.verify_password(admin, "Antipolis-Jiangning-2021")


def test_both_parks_bodies_are_verified_public_bodies_with_admins(app):
    demo.seed_demo()
    by_name = {org.name: org for org in _organisations()}
    for name in ("Fondation Sophia Antipolis", "Jiangning Development Zone"):
        assert (by_name[name].kind, by_name[name].status) == ("public_body", "verified")
    with db.transaction() as session:
        admins = Counter(
            m.organisation_id for m in session.scalars(select(Membership)) if m.role == "org_admin"
        )
        people = list(session.scalars(select(User)))
    assert all(admins[org.id] == 1 for org in by_name.values())
    assert all(
        accounts.verify_password(p, demo.PASSWORD) for p in people[:3]
    )  # argon2 is slow: a sample


def test_demo_organisations_have_valid_numbers_and_chinese_names_in_china(app):
    demo.seed_demo()
    orgs = _organisations()
    assert {org.country for org in orgs} == {"FR", "CN"}
    assert sum(org.status == "verified" for org in orgs) >= 10
    assert [org.name for org in orgs if org.status == "pending"] == ["Mouans Robotique"]
    for org in orgs:
        assert registration_numbers.normalise(org.country, org.registration_number) == (
            org.registration_number
        )
        if org.country == "CN":
            assert org.name_zh and org.park == "jiangning"


def test_demo_seeding_emits_what_real_registrations_emit(app, make):
    demo.seed_demo()
    types = Counter(event["type"] for event in make.events())
    count = len(demo.ORGANISATIONS) + 1
    assert types == {
        "organisation.registered": count,
        "organisation.registration_received": count,
        "member.joined": count + len(demo.colleagues()),
        "organisation.verified": count - 1,
    }


def test_colleagues_join_their_organisations_of_both_parks(app):
    demo.seed_demo()
    people = demo.colleagues()
    assert len(people) == 18
    with db.transaction() as session:
        rows = session.execute(
            select(User, Membership, Organisation)
            .join(Membership, Membership.user_id == User.id)
            .join(Organisation, Organisation.id == Membership.organisation_id)
        ).all()
    found = {user.email: (membership, org, user) for user, membership, org in rows}
    for person in people:
        membership, org, user = found[person["email"]]
        assert (org.name, org.status, membership.role) == (
            person["organisation"],
            "verified",
            "org_member",
        )
        assert person["email"].split("@")[1] == org.website.removeprefix("https://www.")
        assert (user.language, user.timezone) == (person["language"], person["timezone"])
    parks = Counter(found[p["email"]][1].park for p in people)
    assert parks == {"sophia_antipolis": 9, "jiangning": 9}
    assert accounts.verify_password(found[people[0]["email"]][2], demo.PASSWORD)


def test_the_demo_directory_answers_in_every_language(client):
    demo.seed_demo()

    def names(query):
        return [i["name"] for i in client.get(f"/api/members/v1/directory?q={query}").json["items"]]

    assert "Nanjing Zijin Biopharmaceutical Technology" in names("生物")
    assert "Nanjing Zijin Biopharmaceutical Technology" in names("zijin")
    assert names("realite virtuelle") == [
        "Nanjing Institute of Immersive Computing",
        "Studio Brague XR",
    ]
    assert "Mouans Robotique" not in names("robotique")


def test_the_seed_demo_command_reports_what_it_added(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert f"{len(demo.ORGANISATIONS) + 1} organisation(s) added" in first.output
    assert f"{len(demo.colleagues())} colleague(s) joined" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert "0 organisation(s) added, 0 colleague(s) joined" in second.output
