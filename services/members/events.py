"""members' side of the event backbone: the events it handles, and republishing the current
state for consumers to catch up.

members handles one kind of event: the other services' parts of a person's data export. What it
publishes is emitted by the domain in the transaction of each write; `republish` replays the
current state as snapshot events, each dated when its state came about, so a consumer that
already has it changes nothing and a new one fills its projections.
"""

from __future__ import annotations

import uuid

import click
from sqlalchemy import select

from shared.context import reset_correlation_id, set_correlation_id
from shared.events import emit
from shared.events.catalogue.personal_data import PART_SERVICES, part_type

from .domain import personal_data
from .domain.snapshots import member_event, organisation_snapshot, user_event
from .models import Membership, Organisation, User, db

HANDLERS = {part_type(service): personal_data.receive_part for service in PART_SERVICES}
BATCH = 500
REPUBLISH_PREFIX = "republish-"


def _in_batches(model, statement, emit_one) -> int:
    """Call `emit_one(session, *row)` for each row, a transaction (and a publication) per batch."""
    count, last_id = 0, None
    while True:
        with db.transaction() as session:
            query = statement.order_by(model.id).limit(BATCH)
            if last_id is not None:
                query = query.where(model.id > last_id)
            rows = session.execute(query).all()
            for row in rows:
                emit_one(session, *row)
        count += len(rows)
        if len(rows) < BATCH:
            return count
        last_id = rows[-1][0].id


def republish() -> dict[str, int]:
    """Emit every organisation, membership and person as it is now; counts by kind."""
    token = set_correlation_id(f"{REPUBLISH_PREFIX}{uuid.uuid4().hex}")
    try:
        organisations = _in_batches(
            Organisation,
            select(Organisation),
            lambda session, org: emit(
                session,
                "organisation.updated",
                organisation_snapshot(org),
                occurred_at=org.updated_at,
            ),
        )
        members = _in_batches(
            Membership,
            select(Membership, User).join(User, User.id == Membership.user_id),
            lambda session, membership, user: emit(
                session,
                "member.joined",
                member_event(user, membership),
                occurred_at=membership.updated_at,
            ),
        )
        people = _in_batches(
            User,
            select(User),
            lambda session, user: emit(
                session, "user.updated", user_event(user), occurred_at=user.updated_at
            ),
        )
    finally:
        reset_correlation_id(token)
    return {"organisations": organisations, "memberships": members, "people": people}


def register_cli(app) -> None:
    @app.cli.command("republish-events")
    def republish_command():
        """Publish the current state as events, so a new consumer catches up (safe to repeat)."""
        counts = republish()
        click.echo(
            "Republished {organisations} organisation(s), {memberships} membership(s), "
            "{people} person(s).".format(**counts)
        )
