"""announcements' tables: its own, and the organisations and people it keeps from members."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared import events
from shared.db import Database, make_base, utcnow
from shared.projections import (
    ForgottenUser,
    MembershipProjection,
    OrganisationProjection,
    UserProjection,
)
from shared.revocation import revocation_table

Base = make_base()
db = events.install(Database("announcements", Base.metadata))
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


# --- Brokerage meetings (B2B matchmaking on an event, and contact outside events) ---

MEETING_MINUTES = (15, 20, 30)
SCHEDULING_MODES = ("participants", "organiser")
ATTENDANCE = ("in_person", "online", "both")
MEETING_STATUSES = ("requested", "accepted", "declined", "cancelled")


class Matchmaking(Base):
    """An event's one-to-one meetings: its settings, one row per event that switched them on."""

    __tablename__ = "matchmaking"

    announcement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("announcements.id", ondelete="CASCADE"), primary_key=True
    )
    meeting_minutes: Mapped[int] = mapped_column(Integer)
    tables: Mapped[int] = mapped_column(Integer)
    online: Mapped[bool] = mapped_column(default=False)
    booking_opens_at: Mapped[datetime] = mapped_column()
    booking_closes_at: Mapped[datetime] = mapped_column()
    max_meetings: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(12))
    gap_slots: Mapped[int] = mapped_column(Integer, default=0)
    agendas_published_at: Mapped[datetime | None] = mapped_column()
    # Bumped first by every booking write of the event: serialises them (see meetings domain).
    revision: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class MeetingSession(Base):
    """A B2B session: a block of the event cut into slots of one meeting's length."""

    __tablename__ = "meeting_sessions"
    __table_args__ = (Index("ix_meeting_sessions_event", "announcement_id", "starts_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    announcement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("matchmaking.announcement_id", ondelete="CASCADE")
    )
    name: Mapped[dict] = mapped_column(JSON, default=dict)
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    in_person: Mapped[bool] = mapped_column(default=True)


class Participant(Base):
    """A registered attendee's organisation taking part in an event's meetings, with its profile."""

    __tablename__ = "meeting_participants"
    __table_args__ = (
        UniqueConstraint("announcement_id", "user_id"),
        Index("ix_meeting_participants_listing", "announcement_id", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    announcement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("matchmaking.announcement_id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID] = mapped_column(index=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(index=True)
    offers: Mapped[dict] = mapped_column(JSON, default=dict)
    seeks: Mapped[dict] = mapped_column(JSON, default=dict)
    # Offers and seeks in every locale, lower-cased: what the list's text filter searches.
    search_text: Mapped[str] = mapped_column(Text, default="")
    sectors: Mapped[list] = mapped_column(JSON, default=list)
    countries_sought: Mapped[list] = mapped_column(JSON, default=list)
    project_ids: Mapped[list] = mapped_column(JSON, default=list)
    languages: Mapped[list] = mapped_column(JSON, default=list)
    attendance: Mapped[str] = mapped_column(String(10))
    session_ids: Mapped[list] = mapped_column(JSON, default=list)
    working_hours_start: Mapped[str | None] = mapped_column(String(5))
    working_hours_end: Mapped[str | None] = mapped_column(String(5))
    timezone: Mapped[str | None] = mapped_column(String(64))
    # sha256 of the private calendar feed's secret; the secret itself is shown once.
    calendar_secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class MeetingRequest(Base):
    """A request for a one-to-one meeting, and the meeting once accepted.

    At an event the parties are participants; outside events (contact) they are organisations,
    with up to three proposed times. `open_pair` holds the pair's key while the request is
    requested or accepted and NULL afterwards: its unique constraint allows one open request
    per pair. `slot_id` and `table_number` are set once the meeting has its time.
    """

    __tablename__ = "meeting_requests"
    __table_args__ = (
        UniqueConstraint("open_pair"),
        UniqueConstraint("announcement_id", "slot_id", "table_number"),
        Index("ix_meeting_requests_event", "announcement_id", "status"),
        Index("ix_meeting_requests_requester", "requester_id", "created_at", "id"),
        Index("ix_meeting_requests_recipient", "recipient_id", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    announcement_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("matchmaking.announcement_id", ondelete="CASCADE")
    )
    # Participant ids at an event; organisation ids for contact outside events.
    requester_id: Mapped[uuid.UUID] = mapped_column()
    recipient_id: Mapped[uuid.UUID] = mapped_column()
    requester_organisation_id: Mapped[uuid.UUID] = mapped_column(index=True)
    recipient_organisation_id: Mapped[uuid.UUID] = mapped_column(index=True)
    requested_by: Mapped[uuid.UUID | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(10), default="requested")
    open_pair: Mapped[str | None] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    online: Mapped[bool] = mapped_column(default=False)
    project_id: Mapped[uuid.UUID | None] = mapped_column()
    proposed_times: Mapped[list] = mapped_column(JSON, default=list)
    slot_id: Mapped[str | None] = mapped_column(String(80))
    table_number: Mapped[int | None] = mapped_column(Integer)
    starts_at: Mapped[datetime | None] = mapped_column()
    ends_at: Mapped[datetime | None] = mapped_column()
    published: Mapped[bool] = mapped_column(default=False)
    decided_by: Mapped[uuid.UUID | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class MeetingBooking(Base):
    """One party's slot taken by a meeting: the unique key makes double-booking impossible."""

    __tablename__ = "meeting_bookings"
    __table_args__ = (UniqueConstraint("participant_id", "slot_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("meeting_participants.id", ondelete="CASCADE")
    )
    slot_id: Mapped[str] = mapped_column(String(80))
    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("meeting_requests.id", ondelete="CASCADE"), index=True
    )


class ScheduleRun(Base):
    """One run of the organiser's scheduler and what it found."""

    __tablename__ = "meeting_schedule_runs"
    __table_args__ = (Index("ix_meeting_schedule_runs_event", "announcement_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    announcement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("matchmaking.announcement_id", ondelete="CASCADE")
    )
    requested_by: Mapped[uuid.UUID | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(10), default="queued")
    keep_published: Mapped[bool] = mapped_column(default=True)
    publish: Mapped[bool] = mapped_column(default=True)
    time_limit: Mapped[float] = mapped_column(default=30.0)
    solver: Mapped[str | None] = mapped_column(String(20))
    optimal: Mapped[bool | None] = mapped_column()
    bound: Mapped[int | None] = mapped_column(Integer)
    gap: Mapped[float | None] = mapped_column()
    wall_seconds: Mapped[float | None] = mapped_column()
    scheduled: Mapped[int | None] = mapped_column(Integer)
    unscheduled: Mapped[dict] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()
