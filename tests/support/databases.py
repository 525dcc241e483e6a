"""Emptying a service's database between tests, as the service's running processes expect it."""

from __future__ import annotations

from sqlalchemy import update

# Members' signing keys (tokens verified by other apps in this process stay valid) and the
# version rows, which writes only ever bump (`shared.response_cache`, `shared.data_version`):
# emptying the watched tables bumps projects' `matchmaking_version` by itself.
KEPT = frozenset({"signing_keys", "organisations_version", "matchmaking_version"})


def empty(db) -> None:
    """Every row of every table of `db` deleted, but those KEPT; the version bumped.

    Emptying organisations is a write like any other: a response any app of this process
    rendered before must not be reused after it.
    """
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in KEPT:
                connection.execute(table.delete())
        version = db.metadata.tables.get("organisations_version")
        if version is not None:
            connection.execute(update(version).values(value=version.c.value + 1))
