"""Throwaway service databases for a benchmark: a SQLite file, or a fresh PostgreSQL database.

`BENCH_DATABASE_URL` (a PostgreSQL server URL) makes each benchmark create its own database on
that server and drop it afterwards; without it, SQLite files in a temporary directory.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from bench.harness import ROOT


@contextlib.contextmanager
def temporary_dir(prefix: str = "bench-") -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        if not os.environ.get("BENCH_KEEP"):  # kept for a look at the workers' logs
            shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def service_database(service: str, tmp: Path) -> Iterator[str]:
    """A migrated, empty database for `service`; its URL, dropped (or deleted) afterwards."""
    from shared import migrations

    base = os.environ.get("BENCH_DATABASE_URL")
    if not base:
        url = f"sqlite:///{tmp / f'{service}.db'}"
        migrations.upgrade(ROOT / "services" / service / "migrations", url)
        yield url
        return
    import sqlalchemy as sa

    name = f"bench_{service}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        migrations.upgrade(ROOT / "services" / service / "migrations", url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def quick() -> bool:
    """`BENCH_QUICK=1`: smaller tables and shorter loads, a smoke run."""
    return os.environ.get("BENCH_QUICK", "") not in ("", "0")


def seconds() -> float:
    """How long each load lasts."""
    return 2.0 if quick() else 5.0
