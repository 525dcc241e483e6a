"""Events arriving out of order tell the same people as in order: a person or an organisation
that reaches the projections after an event about them still hears of it, once."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from services.notifications.events import HANDLERS
from services.notifications.models import Email, Notification, Preference, db
from shared.events import catalogue
from shared.events.inbox import HANDLED, Consumer
from tests.notifications.support import envelope

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def deliver(event_type: str, data: dict, when: datetime) -> dict:
    """Hand notifications' consumer one event that happened at `when`."""
    message = {**envelope(event_type, data), "occurred_at": when.isoformat()}
    assert Consumer(db, HANDLERS).handle(message) == HANDLED
    return message


def organisation(status="pending", **overrides) -> dict:
    data = copy.deepcopy(catalogue.latest("organisation.registered").example)
    data.update({"id": str(uuid.uuid4()), "name": "Valbonne Capteurs", "status": status})
    data.update(overrides)
    return data


def membership(org: dict, role="org_admin", **overrides) -> dict:
    data = copy.deepcopy(catalogue.latest("member.joined").example)
    data.update(
        organisation_id=org["id"], user_id=str(uuid.uuid4()), role=role, language="fr", **overrides
    )
    return data


def inbox(user_id: str) -> list[tuple[str, str]]:
    with db.engine.connect() as connection:
        rows = connection.execute(
            select(Notification.type, Notification.title).where(
                Notification.user_id == uuid.UUID(user_id)
            )
        )
        return sorted((kind, title) for kind, title in rows)


def announcement_to_verified_members() -> dict:
    announcement = copy.deepcopy(catalogue.latest("announcement.published").example)
    announcement["announcement"]["id"] = str(uuid.uuid4())
    announcement["announcement"]["audience"] = {
        **announcement["announcement"]["audience"],
        "scope": "members",
        "countries": [],
        "parks": [],
        "kinds": [],
        "sectors": [],
    }
    return announcement


@pytest.mark.usefixtures("app")
def test_the_admin_hears_of_the_verification_that_arrived_before_their_membership():
    org = organisation()
    admin = membership(org)
    deliver("organisation.registered", org, T0)
    deliver("organisation.verified", {**org, "status": "verified"}, T0 + timedelta(minutes=2))
    assert inbox(admin["user_id"]) == []
    deliver("member.joined", admin, T0 + timedelta(minutes=1))
    assert inbox(admin["user_id"]) == [("organisation.verified", "Valbonne Capteurs est vérifiée")]
    # A later change of the same membership, or a copy of the join, tells nobody twice.
    deliver("member.role_changed", admin, T0 + timedelta(minutes=1, seconds=30))
    deliver("member.joined", admin, T0 + timedelta(minutes=1))
    assert len(inbox(admin["user_id"])) == 1


@pytest.mark.usefixtures("app")
def test_in_order_and_out_of_order_give_the_same_inboxes():
    runs = iter(range(10))

    def run(order: list[int]) -> list[list[tuple[str, str]]]:
        # Each run in its own weeks, so that one run's announcement is not another's news.
        start = T0 + timedelta(weeks=2 * next(runs))
        org = organisation()
        admin, member = membership(org), membership(org, role="org_member")
        later = membership(org, role="org_member")
        events = [
            ("organisation.registered", org, start),
            ("member.joined", admin, start + timedelta(minutes=1)),
            ("member.joined", member, start + timedelta(minutes=2)),
            ("organisation.verified", {**org, "status": "verified"}, start + timedelta(minutes=3)),
            ("announcement.published", announcement_to_verified_members(), start + timedelta(4)),
            # Joined after both: hears of neither.
            ("member.joined", later, start + timedelta(days=5)),
        ]
        for index in order:
            deliver(*events[index])
        return [inbox(p["user_id"]) for p in (admin, member, later)]

    in_order = run([0, 1, 2, 3, 4, 5])
    assert [len(items) for items in in_order] == [2, 1, 0]
    assert run([5, 4, 3, 2, 1, 0]) == in_order
    assert run([4, 3, 0, 5, 2, 1]) == in_order
    assert run([3, 1, 4, 2, 5, 0]) == in_order


@pytest.mark.usefixtures("app")
def test_a_member_who_left_before_the_event_is_not_told_when_the_join_arrives_late():
    org = organisation(status="verified")
    member = membership(org, role="org_member")
    deliver("organisation.registered", org, T0)
    left = {"organisation_id": org["id"], "user_id": member["user_id"]}
    deliver("member.left", left, T0 + timedelta(minutes=2))
    deliver("announcement.published", announcement_to_verified_members(), T0 + timedelta(hours=1))
    deliver("member.joined", member, T0 + timedelta(minutes=1))
    assert inbox(member["user_id"]) == []


@pytest.mark.usefixtures("app")
def test_a_late_recipient_who_wants_email_gets_one_email_and_the_others_no_second():
    org = organisation()
    first, late = membership(org), membership(org)
    deliver("organisation.registered", org, T0)
    deliver("member.joined", first, T0 + timedelta(minutes=1))
    with db.transaction() as session:
        for person in (first, late):
            session.add(
                Preference(
                    user_id=uuid.UUID(person["user_id"]),
                    category="organisation_status",
                    mode="email",
                )
            )
    deliver("organisation.verified", {**org, "status": "verified"}, T0 + timedelta(minutes=3))
    deliver("member.joined", late, T0 + timedelta(minutes=2))
    with db.engine.connect() as connection:
        emails = dict(
            connection.execute(select(Email.user_id, func.count()).group_by(Email.user_id)).all()
        )
    assert emails == {uuid.UUID(first["user_id"]): 1, uuid.UUID(late["user_id"]): 1}
