"""SQLAlchemy 2 wiring: one engine and one scoped session per service process.

A web request gets its session from `db.session` and loses it at teardown; a Celery task opens
`db.transaction()` itself. The same code runs on SQLite (embedded default) and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on both SQLite (which drops the zone) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware UTC datetime is required")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def make_base() -> type[DeclarativeBase]:
    """A declarative base with its own metadata, so each service keeps its own tables."""

    class Base(DeclarativeBase):
        metadata = MetaData(naming_convention=NAMING_CONVENTION)
        type_annotation_map = {datetime: UTCDateTime()}

    return Base


def _tune_sqlite(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    # Reads from the OS page cache instead of SQLite's small private one (2 MB by default);
    # every process maps the same file, so it costs no memory per worker.
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


def build_engine(url: str) -> Engine:
    """An engine tuned for the backend: WAL and a busy timeout on SQLite, pre-ping on PostgreSQL."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _tune_sqlite)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


class Database:
    """The service's database handle: engine, request-scoped session, transactions.

    It knows nothing of events: `shared.events.install(db)` declares the event tables on the
    service's metadata and hooks the publisher onto its commits.
    """

    def __init__(self, service: str, metadata: MetaData):
        self.service = service
        self.metadata = metadata
        self.engine: Engine | None = None
        self.sessions = sessionmaker(expire_on_commit=False, info={"db": self})
        self.session = scoped_session(self.sessions)
        # Called with every engine this handle builds (shared.data_version listens on it).
        self._engine_hooks: list[Callable[[Engine], None]] = []

    def configure(self, url: str) -> None:
        if self.engine is not None and str(self.engine.url) == url:
            return
        if self.engine is not None:
            self.session.remove()
            self.engine.dispose()
        self.engine = build_engine(url)
        self.sessions.configure(bind=self.engine)
        for hook in self._engine_hooks:
            hook(self.engine)

    def on_engine(self, hook: Callable[[Engine], None]) -> None:
        """Run `hook` on the engine now, if any, and on every engine built after."""
        self._engine_hooks.append(hook)
        if self.engine is not None:
            hook(self.engine)

    def init_app(self, app) -> None:
        self.configure(app.config["DATABASE_URL"])
        app.extensions["db"] = self

        @app.teardown_appcontext
        def _remove_session(_exc):
            self.session.remove()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back everything on any error."""
        session = self.session()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise

    def create_all(self) -> None:
        """Tables straight from the models; tests check the migrations give the same schema."""
        self.metadata.create_all(self.engine)

    def drop_all(self) -> None:
        self.metadata.drop_all(self.engine)
