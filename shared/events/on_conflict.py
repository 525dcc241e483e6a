"""`INSERT ... ON CONFLICT`, which SQLite and PostgreSQL both speak, for the dialect in use.

The inbox and the projections write without reading first: one statement that inserts, or on
a conflict does nothing (an event already processed) or updates only when newer (a projection
row), instead of a SELECT, a decision in Python and a second statement. Each statement is
built once per table and dialect and run with the row as parameters: building it anew for every
event costs more than running it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

_INSERTS: dict[str, Callable] = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def _insert(dialect: str, table: Table):
    try:
        return _INSERTS[dialect](table)
    except KeyError:
        raise NotImplementedError(f"no INSERT ... ON CONFLICT for {dialect}") from None


def _dialect(session: Session | Connection) -> str:
    bind = session if isinstance(session, Connection) else session.get_bind()
    return bind.dialect.name


@functools.cache
def _ignoring(dialect: str, table: Table):
    keys = list(table.primary_key.columns)
    # The row count says whether the row went in; SQLAlchemy keeps it for INSERTs only if asked.
    return (
        _insert(dialect, table)
        .on_conflict_do_nothing(index_elements=keys)
        .execution_options(preserve_rowcount=True)
    )


@functools.cache
def _updating(dialect: str, table: Table, columns: tuple[str, ...], revision: str):
    insert = _insert(dialect, table)
    newer = insert.excluded
    return insert.on_conflict_do_update(
        index_elements=list(table.primary_key.columns),
        set_={name: newer[name] for name in (*columns, revision)},
        where=table.c[revision] < newer[revision],
    )


def insert_new(session: Session | Connection, table: Table, row: dict) -> bool:
    """Insert `row` unless its primary key is there already; whether it was inserted."""
    return session.execute(_ignoring(_dialect(session), table), row).rowcount > 0


def insert_or_update_if_newer(
    session: Session | Connection, table: Table, row: dict, columns: tuple[str, ...], revision: str
) -> None:
    """Insert `row`, or set its `columns` on the row with its primary key when the row's
    `revision` is older than the row given: an older or repeated one changes nothing."""
    statement = _updating(_dialect(session), table, tuple(columns), revision)
    session.execute(statement, row)
