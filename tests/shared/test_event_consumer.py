"""The inbox and the projections on a real database (SQLite, or PostgreSQL on TEST_DATABASE_URL).

Each event is applied once however often and however concurrently it arrives, snapshots apply
in any order, and a handler that fails leaves nothing behind, so its retry applies the event.
"""

from __future__ import annotations

import os
import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column

from shared import events
from shared.db import Database, make_base
from shared.events import catalogue
from shared.events.inbox import DUPLICATE, HANDLED, Consumer, on_connection
from shared.projections import (
    LEFT,
    ForgottenUser,
    MembershipProjection,
    OrganisationProjection,
    UserProjection,
    organisation_handlers,
    people_handlers,
)
from tests.support.servers import make_database_url

Base = make_base()
# A consumer named after a real subscriber of members' events, on its own throwaway tables.
db = events.install(Database("notifications", Base.metadata))
T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


class Organisation(OrganisationProjection, Base):
    __tablename__ = "organisations"


class User(UserProjection, Base):
    __tablename__ = "users"


class Membership(MembershipProjection, Base):
    __tablename__ = "memberships"


class ForgottenPerson(ForgottenUser, Base):
    __tablename__ = "forgotten_users"


class Effect(Base):
    """One row each time a handler's effects are committed."""

    __tablename__ = "effects"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(sa.String(36))


HANDLERS = {
    **organisation_handlers(Organisation),
    **people_handlers(User, Membership, ForgottenPerson),
}


@pytest.fixture
def database(tmp_path):
    url, drop = make_database_url("events", os.environ.get("TEST_DATABASE_URL"), tmp_path)
    db.configure(url)
    db.create_all()
    yield db
    db.session.remove()
    db.engine.dispose()
    db.engine = None
    drop()


@pytest.fixture
def consumer(database):
    return Consumer(database, HANDLERS)


def envelope(event_type: str, data: dict, at: datetime = T0) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "version": 1,
        "occurred_at": at.isoformat(),
        "source": "members",
        "correlation_id": None,
        "data": data,
    }


def organisation(org_id: str, **changes) -> dict:
    return {**catalogue.get("organisation.updated", 1).example, "id": org_id, **changes}


def member(org_id: str, user_id: str, role: str = "org_member") -> dict:
    example = catalogue.get("member.joined", 1).example
    return {**example, "organisation_id": org_id, "user_id": user_id, "role": role}


def handled(consumer: Consumer, event: dict) -> None:
    assert consumer.handle(event) == HANDLED


def fetch(model, key):
    with db.transaction() as session:
        found = session.get(model, key, populate_existing=True)
        if found is not None:
            session.expunge(found)
        return found


def processed(event_id: str) -> int:
    table = db.events.processed_events
    with db.engine.connect() as connection:
        query = sa.select(sa.func.count()).where(table.c.event_id == event_id)
        return connection.execute(query).scalar()


def test_an_event_delivered_again_is_a_duplicate_and_applied_once(consumer):
    org_id = str(uuid.uuid4())
    event = envelope("organisation.registered", organisation(org_id, name="Biot Optique"))
    assert consumer.handle(event) == HANDLED
    assert consumer.handle(event) == DUPLICATE
    assert consumer.handle(dict(event)) == DUPLICATE
    assert processed(event["id"]) == 1
    assert fetch(Organisation, uuid.UUID(org_id)).name == "Biot Optique"


def test_snapshots_apply_in_any_order_and_only_a_newer_one_changes_the_row(consumer):
    org_id = str(uuid.uuid4())
    key = uuid.UUID(org_id)
    newer, older = T0 + timedelta(minutes=5), T0
    handled(consumer, envelope("organisation.updated", organisation(org_id, name="New"), newer))
    handled(consumer, envelope("organisation.updated", organisation(org_id, name="Old"), older))
    row = fetch(Organisation, key)
    assert (row.name, row.revision) == ("New", newer)
    # The same instant again (a republished snapshot) changes nothing either.
    handled(consumer, envelope("organisation.updated", organisation(org_id, name="Same"), newer))
    assert fetch(Organisation, key).name == "New"
    latest = newer + timedelta(seconds=1)
    changes = {"name": "Newest", "sectors": ["iot"], "description": {"fr": "Capteurs."}}
    handled(consumer, envelope("organisation.updated", organisation(org_id, **changes), latest))
    row = fetch(Organisation, key)
    assert (row.name, row.sectors, row.description, row.revision) == (
        "Newest",
        ["iot"],
        {"fr": "Capteurs."},
        latest,
    )


def test_a_role_follows_the_newest_event_about_the_membership(consumer):
    org_id, user_id = str(uuid.uuid4()), str(uuid.uuid4())
    key = (uuid.UUID(org_id), uuid.UUID(user_id))
    later = T0 + timedelta(minutes=1)
    handled(consumer, envelope("member.joined", member(org_id, user_id, "org_member"), later))
    handled(consumer, envelope("member.role_changed", member(org_id, user_id, "org_admin"), T0))
    assert fetch(Membership, key).role == "org_member"
    latest = later + timedelta(minutes=1)
    handled(consumer, envelope("member.role_changed", member(org_id, user_id, "org_admin"), latest))
    assert fetch(Membership, key).role == "org_admin"
    assert fetch(User, uuid.UUID(user_id)).revision == latest


def test_a_person_who_left_or_was_forgotten_does_not_come_back(consumer):
    org_id, user_id = str(uuid.uuid4()), str(uuid.uuid4())
    key = (uuid.UUID(org_id), uuid.UUID(user_id))
    joined = T0 + timedelta(minutes=1)
    handled(consumer, envelope("member.joined", member(org_id, user_id), joined))
    left = {"organisation_id": org_id, "user_id": user_id}
    handled(consumer, envelope("member.left", left, T0))  # older than the membership: kept
    assert fetch(Membership, key) is not None
    handled(consumer, envelope("member.left", left, joined + timedelta(minutes=1)))
    assert fetch(Membership, key).role == LEFT
    # The join arriving late, after the departure it preceded, changes nothing.
    handled(consumer, envelope("member.joined", member(org_id, user_id), joined))
    assert fetch(Membership, key).role == LEFT
    for _ in range(2):
        handled(consumer, envelope("user.deleted", {"id": user_id}, joined))
    assert fetch(User, uuid.UUID(user_id)) is None
    assert fetch(Membership, key) is None
    late = joined + timedelta(hours=1)
    handled(consumer, envelope("member.joined", member(org_id, user_id), late))
    assert fetch(User, uuid.UUID(user_id)) is None
    assert fetch(Membership, key) is None
    with db.engine.connect() as connection:
        forgotten = connection.execute(sa.select(ForgottenPerson.__table__.c.id)).scalars().all()
    assert forgotten == [uuid.UUID(user_id)]


@pytest.mark.parametrize("unit", ["connection", "session"])
def test_a_handler_that_fails_leaves_nothing_so_the_retry_applies_the_event(database, unit):
    org_id = str(uuid.uuid4())
    event = envelope("organisation.registered", organisation(org_id))
    apply = HANDLERS["organisation.registered"]

    def fails_after_writing(session, data, env):
        assert isinstance(session, sa.Connection if unit == "connection" else Session)
        apply(session, data, env)
        raise RuntimeError("the disk is full")

    if unit == "connection":
        fails_after_writing = on_connection(fails_after_writing)
    with pytest.raises(RuntimeError):
        Consumer(database, {**HANDLERS, "organisation.registered": fails_after_writing}).handle(
            event
        )
    assert processed(event["id"]) == 0
    assert fetch(Organisation, uuid.UUID(org_id)) is None
    assert Consumer(database, HANDLERS).handle(event) == HANDLED
    assert fetch(Organisation, uuid.UUID(org_id)) is not None


@pytest.mark.parametrize("unit", ["connection", "session"])
def test_two_deliveries_of_one_event_at_the_same_time_apply_it_once(database, unit):
    """The inbox row goes in first: the second delivery waits for it, then finds it."""
    org_id = str(uuid.uuid4())
    event = envelope("organisation.registered", organisation(org_id))
    entered, second_inserting = threading.Event(), threading.Event()

    def slow(session, data, env):
        if unit == "connection":
            session.execute(sa.insert(Effect.__table__), {"event_id": env["id"]})
        else:
            session.add(Effect(event_id=env["id"]))
        entered.set()
        # Still uncommitted when the other delivery sends its own inbox row.
        assert second_inserting.wait(10)

    def on_statement(_conn, _cursor, statement, *_args):
        inbox_insert = statement.lstrip().upper().startswith("INSERT") and (
            "processed_events" in statement
        )
        if inbox_insert and threading.current_thread() is second:
            second_inserting.set()

    sa.event.listen(db.engine, "before_cursor_execute", on_statement)

    if unit == "connection":
        slow = on_connection(slow)
    consumer = Consumer(database, {**HANDLERS, "organisation.registered": slow})
    outcomes = []

    def deliver():
        try:
            outcomes.append(consumer.handle(event))
        finally:
            db.session.remove()

    first = threading.Thread(target=deliver)
    second = threading.Thread(target=deliver)
    first.start()
    assert entered.wait(10)
    second.start()
    first.join(30)
    second.join(30)
    sa.event.remove(db.engine, "before_cursor_execute", on_statement)
    assert sorted(outcomes) == [DUPLICATE, HANDLED]
    with db.engine.connect() as connection:
        effects = connection.execute(sa.select(Effect.event_id)).scalars().all()
    assert effects == [event["id"]]
    assert processed(event["id"]) == 1
