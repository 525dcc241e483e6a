"""Local copies of members' data that other services keep, fed by members' events.

A service never reads members' database: it declares the projections it needs on its own
models (the mixins below) and registers the matching handlers. Events carry whole snapshots,
and each row remembers the `occurred_at` of the event it reflects (`revision`): an older or
repeated event changes nothing, so order and redelivery never matter. A deleted person leaves
only their id behind (`forgotten_users`), so a late event cannot bring their data back, and a
membership that ended stays as a row whose role is `LEFT` (a tombstone with the revision of its
end), so a late `member.joined` cannot bring it back either.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import JSON, Connection, String, delete, select, update
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column

from shared.db import UTCDateTime, utcnow
from shared.events import on_conflict
from shared.events.inbox import on_connection

# The handlers run SQL statements only, so a consumer may give them its Core connection
# (`on_connection`), and a service's own handler may call them with its ORM session.
Executor = Session | Connection

ORGANISATION_EVENTS = (
    "organisation.registered",
    "organisation.updated",
    "organisation.verified",
    "organisation.suspended",
)
ORGANISATION_FIELDS = (
    "name",
    "name_zh",
    "country",
    "park",
    "city",
    "kind",
    "size",
    "sectors",
    "website",
    "description",
    "status",
)
USER_FIELDS = ("email", "full_name", "language", "timezone")
# The role a membership projection keeps once the person left: no reader counts it as a member.
LEFT = "left"


class OrganisationProjection:
    """An organisation as members publishes it (mix into a model named `organisations`)."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2), index=True)
    park: Mapped[str] = mapped_column(String(40))
    city: Mapped[str | None] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(40))
    size: Mapped[str | None] = mapped_column(String(10))
    sectors: Mapped[list] = mapped_column(JSON, default=list)
    website: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), index=True)
    revision: Mapped[datetime] = mapped_column(UTCDateTime())

    @property
    def is_verified(self) -> bool:
        return self.status == "verified"


class UserProjection:
    """A person as members publishes them: how to reach them and in which language."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    full_name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5))
    timezone: Mapped[str] = mapped_column(String(64))
    revision: Mapped[datetime] = mapped_column(UTCDateTime())


class MembershipProjection:
    """A person's role in an organisation (mix into a model named `memberships`); `LEFT` once
    they left it, so that every query of members must leave those rows out."""

    @declared_attr
    def organisation_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(primary_key=True)

    @declared_attr
    def user_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(primary_key=True, index=True)

    role: Mapped[str] = mapped_column(String(20))
    revision: Mapped[datetime] = mapped_column(UTCDateTime())
    # The earliest time any event showed this membership: whoever is told of an event that
    # happened at T is a member since T or before, whatever order the events came in.
    since: Mapped[datetime] = mapped_column(UTCDateTime())


class ForgottenUser:
    """The id of a person who deleted their account, and nothing else about them."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    forgotten_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def _occurred(envelope: dict) -> datetime:
    value = envelope["occurred_at"]
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _upsert(session: Executor, model, key: dict, values: dict, revision: datetime) -> None:
    """Insert the row, or update it when the event is newer than the row: one statement.

    `INSERT ... ON CONFLICT (key) DO UPDATE ... WHERE revision < :revision`, so an older or
    repeated event changes nothing, and no row is read into Python first.
    """
    row = {**key, **values, "revision": revision}
    on_conflict.insert_or_update_if_newer(session, model.__table__, row, tuple(values), "revision")


def _forgotten(session: Executor, forgotten_model, user_id) -> bool:
    if forgotten_model is None:
        return False
    table = forgotten_model.__table__
    return session.execute(select(table.c.id).where(table.c.id == user_id)).first() is not None


def organisation_handlers(model) -> dict[str, Callable]:
    """Handlers keeping `model` (an OrganisationProjection) in step with members."""

    @on_connection
    def apply(session: Executor, data: dict, envelope: dict) -> None:
        values = {name: data.get(name) for name in ORGANISATION_FIELDS}
        values["sectors"] = list(values["sectors"] or [])
        values["description"] = dict(values["description"] or {})
        _upsert(session, model, {"id": data["id"]}, values, _occurred(envelope))

    return dict.fromkeys(ORGANISATION_EVENTS, apply)


def key_of(data: dict) -> dict:
    return {"organisation_id": data["organisation_id"], "user_id": data["user_id"]}


def people_handlers(user_model, membership_model, forgotten_model) -> dict[str, Callable]:
    """Handlers for users and memberships, and forgetting a deleted person everywhere."""

    @on_connection
    def joined_or_changed(session: Executor, data: dict, envelope: dict) -> None:
        if _forgotten(session, forgotten_model, data["user_id"]):
            return
        revision = _occurred(envelope)
        person = {name: data[name] for name in USER_FIELDS}
        _upsert(session, user_model, {"id": data["user_id"]}, person, revision)
        row = {**key_of(data), "role": data["role"], "revision": revision, "since": revision}
        table = membership_model.__table__
        on_conflict.insert_or_update_if_newer(session, table, row, ("role",), "revision")
        # An earlier event about the membership arriving late moves its start back.
        session.execute(
            update(table)
            .where(
                table.c.organisation_id == data["organisation_id"],
                table.c.user_id == data["user_id"],
                table.c.since > revision,
            )
            .values(since=revision)
        )

    @on_connection
    def left(session: Executor, data: dict, envelope: dict) -> None:
        revision = _occurred(envelope)
        row = {**key_of(data), "role": LEFT, "revision": revision, "since": revision}
        on_conflict.insert_or_update_if_newer(
            session, membership_model.__table__, row, ("role",), "revision"
        )

    @on_connection
    def user_updated(session: Executor, data: dict, envelope: dict) -> None:
        if _forgotten(session, forgotten_model, data["id"]):
            return
        person = {name: data[name] for name in USER_FIELDS}
        _upsert(session, user_model, {"id": data["id"]}, person, _occurred(envelope))

    @on_connection
    def user_deleted(session: Executor, data: dict, envelope: dict) -> None:
        forget_user(session, data["id"], user_model, membership_model, forgotten_model)

    return {
        "member.joined": joined_or_changed,
        "member.role_changed": joined_or_changed,
        "member.left": left,
        "user.updated": user_updated,
        "user.deleted": user_deleted,
    }


def forget_user(session: Executor, user_id, user_model, membership_model, forgotten_model) -> None:
    """Remove a person from the projections, keeping only their id as forgotten."""
    session.execute(delete(membership_model).where(membership_model.user_id == user_id))
    session.execute(delete(user_model).where(user_model.id == user_id))
    on_conflict.insert_new(
        session, forgotten_model.__table__, {"id": user_id, "forgotten_at": utcnow()}
    )
