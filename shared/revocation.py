"""Access revoked within seconds: a "not before" time per person, organisation and client.

An access token lives 15 minutes and is verified locally, so signing someone out needs more than
revoking refresh tokens. members records, in the transaction of the change that takes access
away (a removal, a role change, a suspension, a deleted account, a new password, a revoked
client), the moment from which tokens of that person, organisation or client are refused, and
publishes it as `access.revoked`. Every service keeps those moments in its own
`access_revocations` table (the handler below) and `shared.auth` refuses a token whose `iat` is
older than a moment that concerns it, reading the table through a cache of a second or two, so a
request costs no database round trip. Rows older than any token's lifetime are pruned.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Column, Connection, MetaData, String, Table, delete, select, tuple_
from sqlalchemy.orm import Session

from shared.db import UTCDateTime, utcnow
from shared.events import on_conflict
from shared.events.inbox import on_connection

EVENT = "access.revoked"
USER, ORGANISATION, CLIENT = "user", "organisation", "client"
KINDS = (USER, ORGANISATION, CLIENT)
# Longer than any access token lives: a row older than this can refuse no token still valid.
HORIZON = timedelta(days=1)


def revocation_table(metadata: MetaData) -> Table:
    """Declare `access_revocations` on a service's metadata (one row per kind and subject)."""
    return Table(
        "access_revocations",
        metadata,
        Column("kind", String(16), primary_key=True),
        Column("subject", String(64), primary_key=True),
        Column("not_before", UTCDateTime(), nullable=False, index=True),
    )


def record(executor: Session | Connection, table: Table, kind: str, subject, not_before) -> None:
    """Keep the later of the stored and the given moment, and forget rows past the horizon."""
    row = {"kind": kind, "subject": str(subject), "not_before": not_before}
    on_conflict.insert_or_update_if_newer(executor, table, row, ("not_before",), "not_before")
    executor.execute(delete(table).where(table.c.not_before < utcnow() - HORIZON))


def handlers(table: Table) -> dict[str, Callable]:
    """The consumer's handler of `access.revoked`, for a service's HANDLERS."""

    @on_connection
    def revoked(executor: Connection, data: dict, envelope: dict) -> None:
        record(executor, table, data["kind"], data["subject"], _moment(data["not_before"]))

    return {EVENT: revoked}


def _moment(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def subjects_of(claims: dict) -> list[tuple[str, str]]:
    """The (kind, subject) rows that may refuse a token with these claims."""
    found = [
        (CLIENT, str(claims["client_id"])) if claims.get("client_id") else (USER, claims["sub"])
    ]
    if claims.get("org"):
        found.append((ORGANISATION, str(claims["org"])))
    return found


class RevocationList:
    """The not-before moments of a service's table, as `shared.auth` asks about them.

    With `max_age` above zero the whole table (only rows within the horizon) is read at most
    that often per process and kept in memory; with zero (members, which writes the table in the
    transaction of each change) the token's own rows are read on every request.
    """

    def __init__(self, engine: Callable[[], object], table: Table, max_age: float = 1.0):
        self._engine = engine
        self.table = table
        self.max_age = max_age
        self._rows: dict[tuple[str, str], float] = {}
        self._read_at = float("-inf")
        self._lock = threading.Lock()

    def refuses(self, claims: dict) -> bool:
        """True when the token was issued before a moment that concerns it."""
        issued = float(claims["iat"])
        moments = self._moments(subjects_of(claims))
        return any(issued < moment for moment in moments)

    def _moments(self, keys: list[tuple[str, str]]) -> list[float]:
        if self.max_age <= 0:
            return list(self._read(keys).values())
        if time.monotonic() - self._read_at > self.max_age:
            with self._lock:
                if time.monotonic() - self._read_at > self.max_age:
                    started = time.monotonic()
                    self._rows = self._read(None)
                    self._read_at = started
        return [self._rows[key] for key in keys if key in self._rows]

    def _read(self, keys: list[tuple[str, str]] | None) -> dict[tuple[str, str], float]:
        table = self.table
        stmt = select(table.c.kind, table.c.subject, table.c.not_before).where(
            table.c.not_before > utcnow() - HORIZON
        )
        if keys is not None:
            stmt = stmt.where(tuple_(table.c.kind, table.c.subject).in_(keys))
        with self._engine().connect() as connection:
            rows = connection.execute(stmt).all()
        return {(kind, subject): moment.timestamp() for kind, subject, moment in rows}
