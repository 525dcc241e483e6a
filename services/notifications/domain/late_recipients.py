"""People who reach the projections late still hear what they would have heard on time.

Recipients are queries over the projections of organisations and memberships, which members'
events keep; those events may arrive after an event that concerns them (Redis lost a message
and it came again, a worker was paused). So every event told to people is kept a while as a
broadcast, and when a membership or an organisation reaches the projection late, the broadcasts
since the state it describes are asked again for the people it adds. The inbox holds one item
per person and event, so nobody hears anything twice.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from marshmallow import ValidationError
from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from shared.events import on_conflict
from shared.events.catalogue import EventType
from shared.projections import LEFT

from ..models import Broadcast, Membership, Organisation, User
from . import inbox, meetings
from .recipients import RULES, recipients
from .texts import TEXTS

log = logging.getLogger(__name__)
# Longer than any outage the platform recovers from by itself.
RETENTION = timedelta(days=7)


def _when(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def occurred(envelope: dict) -> datetime:
    return _when(envelope["occurred_at"])


def remember(session: Session, entry: EventType, envelope: dict) -> None:
    """Keep an event that is told to people, for those the projections do not know yet."""
    told = entry.name in RULES and entry.name in TEXTS
    if not told and entry.name not in meetings.TITLES:
        return
    on_conflict.insert_new(
        session,
        Broadcast.__table__,
        {
            "event_id": str(envelope["id"]),
            "type": entry.name,
            "version": entry.version,
            "occurred_at": _when(envelope["occurred_at"]),
            "data": envelope["data"],
        },
    )


def catch_up(session: Session, people: Select, since: datetime) -> int:
    """Tell `people` of every broadcast since `since` whose audience now includes them."""
    from shared.events import catalogue

    written = 0
    kept = session.execute(select(Broadcast).where(Broadcast.occurred_at >= since)).scalars()
    for broadcast in list(kept):
        entry = catalogue.get(broadcast.type, broadcast.version)
        if entry.name in meetings.TITLES:
            written += meetings.write(
                session,
                entry.name,
                broadcast.data,
                broadcast.event_id,
                broadcast.occurred_at,
                only=people,
            )
            continue
        try:
            data = entry.load(broadcast.data)
        except ValidationError:
            # It named a person since deleted (`forget_person` took their id out): it is told
            # to nobody new, rather than holding up every membership that comes after it.
            log.info("broadcast %s no longer loads: told to nobody new", broadcast.event_id)
            continue
        audience = recipients(session, entry.name, data, broadcast.occurred_at)
        who = select(User.id).where(User.id.in_(audience), User.id.in_(people))
        written += inbox.write(session, entry.name, broadcast.data, broadcast.event_id, who)
    return written


def after_membership(session: Session, data: dict, _envelope: dict) -> None:
    """A membership as the projection now holds it: what was said since it began."""
    user_id = uuid.UUID(str(data["user_id"]))
    found = session.execute(
        select(Membership.since, Membership.role).where(
            Membership.organisation_id == uuid.UUID(str(data["organisation_id"])),
            Membership.user_id == user_id,
        )
    ).first()
    if found is not None and found.role != LEFT:
        catch_up(session, select(User.id).where(User.id == user_id), found.since)


def after_organisation(session: Session, data: dict, _envelope: dict) -> None:
    """An organisation's state as the projection now holds it: what its people were owed."""
    organisation_id = uuid.UUID(str(data["id"]))
    since = session.execute(
        select(Organisation.revision).where(Organisation.id == organisation_id)
    ).scalar()
    if since is not None:
        people = select(Membership.user_id).where(
            Membership.organisation_id == organisation_id, Membership.role != LEFT
        )
        catch_up(session, people, since)


def forget_old(session: Session, now: datetime) -> int:
    """Broadcasts past their retention: no projection lags that far behind."""
    result = session.execute(delete(Broadcast).where(Broadcast.occurred_at < now - RETENTION))
    return result.rowcount
