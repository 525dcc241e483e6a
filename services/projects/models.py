"""projects' tables: its own, and the organisations it keeps from members' events."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from shared import events
from shared.data_version import DataVersion, version_table
from shared.db import Database, make_base, utcnow
from shared.projections import OrganisationProjection
from shared.revocation import revocation_table

Base = make_base()
db = events.install(Database("projects", Base.metadata))
# Moments from which members refused tokens (shared.revocation), kept by `access.revoked`.
access_revocations = revocation_table(Base.metadata)
# Bumped by every transaction writing what matchmaking reads: recommendations computed at one
# version are reused while it holds (shared.data_version, domain/matchmaking.py).
MATCHMAKING_TABLES = frozenset({"organisations", "projects", "project_terms", "project_partners"})
matchmaking_version = DataVersion(
    db, version_table(Base.metadata, "matchmaking_version"), MATCHMAKING_TABLES
)

MAX_TERM_LENGTH = 64
# Bytewise order on PostgreSQL, as SQLite's default, so a prefix is one index range on both.
TERM_TYPE = String(MAX_TERM_LENGTH).with_variant(
    String(MAX_TERM_LENGTH, collation="C"), "postgresql"
)


class Organisation(OrganisationProjection, Base):
    __tablename__ = "organisations"


class Project(Base):
    """A cooperation project of one owner organisation, with its call for partners."""

    __tablename__ = "projects"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    state: Mapped[str] = mapped_column(String(20), default="draft")
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    # Markdown as written, and the sanitised HTML rendered from it (both per locale).
    description: Mapped[dict] = mapped_column(JSON, default=dict)
    description_html: Mapped[dict] = mapped_column(JSON, default=dict)
    sectors: Mapped[list] = mapped_column(JSON, default=list)
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    seeks_countries: Mapped[list] = mapped_column(JSON, default=list)
    seeks_kinds: Mapped[list] = mapped_column(JSON, default=list)
    seeks_skills: Mapped[list] = mapped_column(JSON, default=list)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    budget_min: Mapped[int | None] = mapped_column(Integer)
    budget_max: Mapped[int | None] = mapped_column(Integer)
    budget_currency: Mapped[str | None] = mapped_column(String(3))
    funding_scheme: Mapped[str | None] = mapped_column(String(200))
    visibility: Mapped[str] = mapped_column(String(10), default="members")
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    call_deadline: Mapped[datetime | None]
    call_closed_at: Mapped[datetime | None]
    created_by: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        # Search walks projects newest first (in one state, or all); the task finds due calls.
        Index("ix_projects_state_created_at_id", "state", "created_at", "id"),
        Index("ix_projects_created_at_id", "created_at", "id"),
        Index("ix_projects_call_closed_at_call_deadline", "call_closed_at", "call_deadline"),
    )

    @property
    def call_open(self) -> bool:
        return self.state == "open" and self.call_closed_at is None


class ProjectTerm(Base):
    """One word or facet a project is found by; rebuilt whenever the project is written."""

    __tablename__ = "project_terms"

    term: Mapped[str] = mapped_column(TERM_TYPE, primary_key=True)
    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )

    __table_args__ = (
        # Checking one project for a term (a common term is checked row by row this way).
        Index("ix_project_terms_project_id_term", "project_id", "term"),
    )


class StateChange(Base):
    """Who moved a project from one state to another, and when."""

    __tablename__ = "project_state_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    changed_by: Mapped[uuid.UUID | None]
    by_platform_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Milestone(Base):
    """A dated step of an active project, with its progress, to follow multi-annual work."""

    __tablename__ = "project_milestones"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    starts_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    updated_by: Mapped[uuid.UUID | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Application(Base):
    """An organisation's application to a project's call, and the owner's decision."""

    __tablename__ = "project_applications"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    reason: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str | None] = mapped_column(String(20))
    submitted_by: Mapped[uuid.UUID | None]
    decided_by: Mapped[uuid.UUID | None]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    __table_args__ = (
        # One pending application per organisation and project, enforced by the database too.
        Index(
            "uq_project_applications_pending",
            "project_id",
            "organisation_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )


class Partner(Base):
    """An organisation working on a project after its application was accepted."""

    __tablename__ = "project_partners"

    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)


class StaffAction(Base):
    """What a platform admin did to a project that its owner would otherwise have done."""

    __tablename__ = "project_staff_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[uuid.UUID | None]
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    acted_at: Mapped[datetime] = mapped_column(default=utcnow)
