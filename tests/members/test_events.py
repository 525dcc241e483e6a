"""What members publishes: every type in the catalogue, each event valid, republishing on demand."""

from __future__ import annotations

from collections import Counter

from services.members import events as member_events
from services.members.domain import accounts, invitations, memberships, personal_data
from services.members.domain import organisations as domain
from services.members.models import db
from shared.auth import Caller
from shared.events import catalogue
from shared.events.outbox import as_json
from tests.members.factories import PASSWORD

STAFF = Caller("7a0c5f52-8f0e-4d7e-9a59-7f1c1c2f3b11", "user", None, frozenset({"platform_admin"}))


def _as_user(user, org, role):
    return Caller(str(user.id), "user", org.id, frozenset({role}))


def test_a_members_lifetime_emits_every_catalogued_type_each_valid(app, make):
    org, admin = make.registered(status="pending")
    with db.transaction() as session:
        domain.update(session, _as_user(admin, org, "org_admin"), org.id, {"city": "Valbonne"})
        domain.verify(session, STAFF, org.id, "Checked.")
        domain.suspend(session, STAFF, org.id, "Registration number withdrawn.")
        domain.verify(session, STAFF, org.id, "Reinstated.")
    _invitation, token = make.invitation(org, admin, email="li.na@example.org")
    with db.transaction() as session:
        person, _membership = invitations.accept(
            session, {"token": token, "password": PASSWORD, "full_name": "Li Na"}
        )
    admin_caller = _as_user(admin, org, "org_admin")
    with db.transaction() as session:
        memberships.change_role(session, admin_caller, org.id, person.id, "org_admin")
        memberships.change_role(session, admin_caller, org.id, person.id, "org_member")
    person_caller = _as_user(person, org, "org_member")
    with db.transaction() as session:
        accounts.update_profile(session, person_caller, {"language": "zh"})
        personal_data.request_export(session, person_caller)
    with db.transaction() as session:
        memberships.remove(session, admin_caller, org.id, person.id)
    with db.transaction() as session:
        accounts.delete_account(session, person_caller, PASSWORD)

    rows = make.events()
    published = {entry.name for entry in catalogue.published_by("members")}
    assert set(Counter(row["type"] for row in rows)) == published
    for row in rows:
        entry, _data = catalogue.validate(as_json(row))
        assert entry.source == "members" == row["source"]


def test_republishing_sends_the_current_state_dated_when_it_came_about(app, make):
    org, admin = make.registered()
    before = {row["id"] for row in make.events()}
    counts = member_events.republish()
    assert counts == {"organisations": 1, "memberships": 1, "people": 1}
    replayed = [row for row in make.events() if row["id"] not in before]
    by_type = {row["type"]: row for row in replayed}
    assert set(by_type) == {"organisation.updated", "member.joined", "user.updated"}
    assert by_type["organisation.updated"]["data"]["status"] == "verified"
    assert by_type["organisation.updated"]["occurred_at"] == org.updated_at
    assert by_type["user.updated"]["data"]["email"] == admin.email
    assert all(row["correlation_id"].startswith("republish-") for row in replayed)


def test_the_republish_command_reports_what_it_sent(app, make):
    make.registered()
    result = app.test_cli_runner().invoke(args=["republish-events"])
    assert result.exit_code == 0, result.output
    assert "Republished 1 organisation(s), 1 membership(s), 1 person(s)." in result.output
