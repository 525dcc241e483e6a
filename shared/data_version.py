"""A counter of the transactions that wrote some tables, and answers kept while it is unchanged.

What a signed-in read computes from many rows (matchmaking's recommendations) is the same for
every request until one of those rows changes. `DataVersion` counts the transactions that write
the watched tables: the first watched INSERT, UPDATE or DELETE of a transaction bumps a one-row
counter *in that transaction*, before the write itself (so that two writers queue on the
counter's row rather than deadlock), whatever issued it: an ORM flush, a Core statement of an
event handler, a Celery task. A rolled-back write leaves the counter as it was.

`AnswerCache` keeps, per process, answers tagged with the version read *before* computing them,
and reuses one only while the version is unchanged (and, for answers that depend on the clock,
until the moment they stop being true): a reader never gets older data than the database holds,
whichever process answers. Reading the version is one indexed one-row SELECT on a pooled
DB-API connection.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable
from datetime import datetime

from cachetools import LRUCache
from sqlalchemy import BigInteger, Column, Integer, MetaData, Table, event, select, update
from sqlalchemy.engine import Engine

from shared.db import Database, utcnow

log = logging.getLogger(__name__)


def version_table(metadata: MetaData, name: str) -> Table:
    """The counter's table: one row, id 1 (the migration inserts it)."""
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("value", BigInteger, nullable=False, default=0),
    )


class DataVersion:
    """The counter of `table`, bumped by every transaction writing one of `watched` tables."""

    def __init__(self, db: Database, table: Table, watched: frozenset[str] | set[str]):
        self.db = db
        self.table = table
        self.watched = frozenset(watched)
        self._flag = f"bumped:{table.name}"
        self._bump = self._read = ""
        db.on_engine(self._listen)

    def _listen(self, engine: Engine) -> None:
        # Plain SQL run on the DB-API connection, under SQLAlchemy's cost per statement.
        literal = {"dialect": engine.dialect, "compile_kwargs": {"literal_binds": True}}
        one = self.table.c.id == 1
        bump = update(self.table).where(one).values(value=self.table.c.value + 1)
        self._bump = str(bump.compile(**literal))
        self._read = str(select(self.table.c.value).where(one).compile(**literal))
        event.listen(engine, "before_cursor_execute", self._before_write)
        for name in ("commit", "rollback"):
            event.listen(engine, name, self._forget)
        # A rollback to a savepoint may undo the bump: bump again on the next write.
        event.listen(engine, "rollback_savepoint", self._forget_savepoint)
        event.listen(engine, "checkin", self._forget_checkin)

    def _writes_watched(self, context) -> bool:
        if context is None or not (context.isinsert or context.isupdate or context.isdelete):
            return False
        table = getattr(getattr(context.compiled, "statement", None), "table", None)
        name = getattr(table, "name", None)
        # A statement whose table is not known might write a watched one: count it.
        return name is None or name in self.watched

    def _before_write(self, conn, _cursor, _statement, _parameters, context, _executemany):
        if conn.info.get(self._flag) or not self._writes_watched(context):
            return
        cursor = conn.connection.cursor()
        try:
            cursor.execute(self._bump)
        finally:
            cursor.close()
        conn.info[self._flag] = True

    def _forget(self, conn) -> None:
        conn.info.pop(self._flag, None)

    def _forget_savepoint(self, conn, _name, _context) -> None:
        conn.info.pop(self._flag, None)

    def _forget_checkin(self, _dbapi_connection, record) -> None:
        record.info.pop(self._flag, None)

    def current(self) -> int | None:
        """The counter now, read on a pooled DB-API connection; None before the migration."""
        connection = self.db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(self._read)
                row = cursor.fetchone()
            finally:
                cursor.close()
        finally:
            connection.close()  # back to the pool, which ends the read's transaction
        return None if row is None else row[0]


class AnswerCache:
    """Answers by key, each valid while the data version it was computed at is current."""

    def __init__(self, version: Callable[[], int | None], maxsize: int = 4096):
        self.version = version
        self._answers: LRUCache = LRUCache(maxsize=maxsize)
        self._lock = threading.Lock()  # LRUCache reorders on every read

    def get(self, key: Hashable, compute: Callable[[], tuple[object, datetime | None]]):
        """The answer kept for `key`, or `compute()`'s: `(answer, valid_until or None)`.

        The version is read before computing, so an answer computed while a write commits is
        kept under the older version and never reused after it. Exceptions are not kept.
        """
        try:
            version = self.version()
        except Exception:  # counter unreadable: compute, keep nothing
            log.warning("answer cache: could not read the data's version", exc_info=True)
            version = None
        if version is not None:
            with self._lock:
                kept = self._answers.get(key)
            if kept is not None:
                kept_version, valid_until, answer = kept
                if kept_version == version and (valid_until is None or utcnow() < valid_until):
                    return answer
        answer, valid_until = compute()
        if version is not None:
            with self._lock:
                self._answers[key] = (version, valid_until, answer)
        return answer

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()
