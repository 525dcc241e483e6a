"""Organisations: the member companies, labs, universities and incubators of both parks."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    String,
    Text,
    delete,
    event,
    insert,
    inspect,
)
from sqlalchemy.orm import Mapped, mapped_column

from shared.data_version import DataVersion
from shared.db import utcnow

from ..domain import search_terms
from .base import Base, db

__all__ = ["Organisation", "OrganisationTerm", "OrganisationsVersion", "organisations_version"]

# Bytewise order on PostgreSQL, as SQLite's default, so a prefix is one index range on both.
TERM_TYPE = String(search_terms.MAX_TERM_LENGTH).with_variant(
    String(search_terms.MAX_TERM_LENGTH, collation="C"), "postgresql"
)
SEARCHABLE = ("name", "name_zh", "city", "description", "sectors")


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str | None] = mapped_column(String(200))
    name_pinyin: Mapped[str | None] = mapped_column(String(400))
    # Lowercase, accent-folded name: the directory's sort order (keyset on sort_key, id).
    sort_key: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(2))
    park: Mapped[str] = mapped_column(String(40))
    city: Mapped[str | None] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(40))
    size: Mapped[str | None] = mapped_column(String(10))
    sectors: Mapped[list] = mapped_column(JSON, default=list)
    website: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[dict] = mapped_column(JSON, default=dict)
    registration_number: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    status_reason: Mapped[str | None] = mapped_column(Text)
    hints: Mapped[dict] = mapped_column(JSON, default=dict)
    # The member the organisation's admins chose to name on its public profile (optional);
    # cleared when that person leaves the organisation or deletes their account.
    contact_user_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        # The directory walks verified organisations in name order; with a country or park
        # filter it walks only that country's or park's, wherever their names fall in the order.
        Index("ix_organisations_status_sort_key_id", "status", "sort_key", "id"),
        Index("ix_organisations_status_country_sort_key_id", "status", "country", "sort_key", "id"),
        Index("ix_organisations_status_park_sort_key_id", "status", "park", "sort_key", "id"),
        # The verification queue: one status, oldest first.
        Index("ix_organisations_status_created_at_id", "status", "created_at", "id"),
        Index("ix_organisations_country_registration_number", "country", "registration_number"),
    )


class OrganisationTerm(Base):
    """One word an organisation is found by; rebuilt whenever the organisation is written."""

    __tablename__ = "organisation_terms"

    term: Mapped[str] = mapped_column(TERM_TYPE, primary_key=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )

    # The primary key serves term lookups; this one rebuilds and checks one organisation's terms.
    __table_args__ = (
        Index("ix_organisation_terms_organisation_id_term", "organisation_id", "term"),
    )


def _derive(target: Organisation) -> None:
    target.sort_key = search_terms.fold(target.name or "")[:200]
    target.name_pinyin = search_terms.name_pinyin(target.name_zh)


def _write_terms(connection, target: Organisation, *, replace: bool) -> None:
    table = OrganisationTerm.__table__
    if replace:
        connection.execute(delete(table).where(table.c.organisation_id == target.id))
    terms = search_terms.organisation_terms(
        name=target.name,
        name_zh=target.name_zh,
        city=target.city,
        description=target.description,
        sectors=target.sectors,
    )
    if terms:
        connection.execute(
            insert(table), [{"organisation_id": target.id, "term": t} for t in sorted(terms)]
        )


# Mapper events, not domain calls, so that every write (domain, demo data, test factories)
# keeps the derived columns and the terms in step, inside the same transaction.
@event.listens_for(Organisation, "before_insert")
def _before_insert(_mapper, _connection, target):
    _derive(target)


@event.listens_for(Organisation, "after_insert")
def _after_insert(_mapper, connection, target):
    _write_terms(connection, target, replace=False)


@event.listens_for(Organisation, "before_update")
def _before_update(_mapper, _connection, target):
    state = inspect(target)
    changed = any(state.attrs[name].history.has_changes() for name in SEARCHABLE)
    state.info["reindex"] = changed
    if changed:
        _derive(target)


@event.listens_for(Organisation, "after_update")
def _after_update(_mapper, connection, target):
    if inspect(target).info.pop("reindex", False):
        _write_terms(connection, target, replace=True)


class OrganisationsVersion(Base):
    """One row counting the transactions that wrote organisations.

    Rendered public reads of organisations (the directory, a profile) are reused while it is
    unchanged (`shared.response_cache`); every write bumps it in its own transaction.
    """

    __tablename__ = "organisations_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


# Every transaction writing organisations (or their search terms), however it writes them, bumps
# the counter first, in that transaction: two such transactions on PostgreSQL queue on its row
# instead of deadlocking, and a rolled-back write leaves it as it was (shared.data_version).
_COUNTER = DataVersion(db, OrganisationsVersion.__table__, {"organisations", "organisation_terms"})
# The current version, read on the pooled DB-API connection; None before the migration.
organisations_version = _COUNTER.current
