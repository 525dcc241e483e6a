"""announcements' tables: its own, and the organisations and people it keeps from members."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import Database, make_base, utcnow
from shared.projections import (
    ForgottenUser,
    MembershipProjection,
    OrganisationProjection,
    UserProjection,
)
from shared.revocation import revocation_table

Base = make_base()
db = Database("announcements", Base.metadata)
# Moments from which members refused tokens (shared.revocation), kept by `access.revoked`.
access_revocations = revocation_table(Base.metadata)

KINDS = ("news", "event", "call")
STATUSES = ("draft", "pending", "rejected", "scheduled", "published", "withdrawn")
SCOPES = ("public", "members", "selected")


class Organisation(OrganisationProjection, Base):
    __tablename__ = "organisations"


class User(UserProjection, Base):
    """People, for the names on an event's attendee list."""

    __tablename__ = "users"


class Membership(MembershipProjection, Base):
    __tablename__ = "memberships"


class ForgottenPerson(ForgottenUser, Base):
    __tablename__ = "forgotten_users"


class Announcement(Base):
    """A piece of news, an event or a call, in up to three languages, for an audience."""

    __tablename__ = "announcements"
    __table_args__ = (
        Index("ix_announcements_listing", "status", "published_at", "id"),
        Index("ix_announcements_updated_at", "updated_at"),
        Index("ix_announcements_due", "status", "publish_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12), default="draft")
    author_organisation_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    created_by: Mapped[uuid.UUID | None] = mapped_column()
    title: Mapped[dict] = mapped_column(JSON)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    body: Mapped[dict] = mapped_column(JSON, default=dict)
    body_html: Mapped[dict] = mapped_column(JSON, default=dict)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    sectors: Mapped[list] = mapped_column(JSON, default=list)
    audience_scope: Mapped[str] = mapped_column(String(10), default="public")
    audience: Mapped[dict] = mapped_column(JSON, default=dict)
    starts_at: Mapped[datetime | None] = mapped_column()
    ends_at: Mapped[datetime | None] = mapped_column()
    timezone: Mapped[str | None] = mapped_column(String(64))
    place: Mapped[str | None] = mapped_column(String(300))
    online_url: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int | None] = mapped_column(Integer)
    publish_at: Mapped[datetime | None] = mapped_column()
    published_at: Mapped[datetime | None] = mapped_column()
    withdrawn_at: Mapped[datetime | None] = mapped_column()
    moderation_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Bumped by every registration write: the first statement, so it serialises them per event.
    registrations_revision: Mapped[int] = mapped_column(Integer, default=0)
    reminder_sent_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AnnouncementVersion(Base):
    """What a published announcement said before an edit replaced it."""

    __tablename__ = "announcement_versions"
    __table_args__ = (UniqueConstraint("announcement_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    announcement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("announcements.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict] = mapped_column(JSON)
    edited_by: Mapped[uuid.UUID | None] = mapped_column()
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)


class Registration(Base):
    """A person's place (or place in the queue) at an event."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("announcement_id", "user_id"),
        Index("ix_registrations_queue", "announcement_id", "status", "requested_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    announcement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("announcements.id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID] = mapped_column(index=True)
    organisation_id: Mapped[uuid.UUID | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(12))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
