"""notifications' tables: its own (webhooks, deliveries, the inbox), and the organisations,
people and memberships it keeps from members' events."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
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
db = events.install(Database("notifications", Base.metadata))
# Moments from which members refused tokens (shared.revocation), kept by `access.revoked`.
access_revocations = revocation_table(Base.metadata)


class Organisation(OrganisationProjection, Base):
    __tablename__ = "organisations"


class User(UserProjection, Base):
    __tablename__ = "users"


class Membership(MembershipProjection, Base):
    __tablename__ = "memberships"


class ForgottenPerson(ForgottenUser, Base):
    __tablename__ = "forgotten_users"


class Broadcast(Base):
    """An event told to people, kept a while after its fan-out: a person whose membership or
    organisation reaches the projections late still gets what they would have got on time."""

    __tablename__ = "broadcasts"

    event_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    type: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    data: Mapped[dict] = mapped_column(JSON)


class Meeting(Base):
    """A meeting as its latest event left it: what the reminder task needs, kept from
    announcements' meeting events (the data as they carried it)."""

    __tablename__ = "meetings"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(10))
    starts_at: Mapped[datetime | None] = mapped_column(index=True)
    occurred_at: Mapped[datetime] = mapped_column()
    data: Mapped[dict] = mapped_column(JSON)


class WebhookEndpoint(Base):
    """Where an organisation wants events sent, and which ones."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    organisation_id: Mapped[uuid.UUID] = mapped_column(index=True)
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(500), default="")
    # None: every type the organisation may see.
    event_types: Mapped[list | None] = mapped_column(JSON)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled_reason: Mapped[str | None] = mapped_column(String(40))
    rate_limit: Mapped[int | None] = mapped_column(Integer)  # messages a second
    # standard (Standard Webhooks), or a chat group: slack, teams, wecom, dingtalk, feishu
    flavour: Mapped[str] = mapped_column(String(12), default="standard")
    flavour_secret: Mapped[str | None] = mapped_column(String(200))  # DingTalk / Feishu signing
    language: Mapped[str] = mapped_column(String(5), default="en")  # of chat-group messages
    failing_since: Mapped[datetime | None] = mapped_column()
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class WebhookSecret(Base):
    """A signing secret; every unexpired one signs, so a rotation never breaks a receiver."""

    __tablename__ = "webhook_secrets"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    endpoint_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True
    )
    secret: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column()


class WebhookMessage(Base):
    """One event for one endpoint; its id is the `webhook-id`, the same on every retry."""

    __tablename__ = "webhook_messages"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_messages_endpoint_event"),
        Index("ix_webhook_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    endpoint_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[str] = mapped_column(String(40))
    type: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict] = mapped_column(JSON)
    # pending (due at next_attempt_at), delivered, failed (retries exhausted), held (disabled)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempt_count: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column()
    # Why the next attempt is due, copied onto the attempt: scheduled (the first), retry,
    # replay, recovery or test.
    next_trigger: Mapped[str] = mapped_column(
        String(12), default="scheduled", server_default="scheduled"
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    delivered_at: Mapped[datetime | None] = mapped_column()


class WebhookAttempt(Base):
    """One try at delivering a message, kept so integrators can see what happened."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(
        ForeignKey("webhook_messages.id", ondelete="CASCADE"), index=True
    )
    endpoint_id: Mapped[uuid.UUID] = mapped_column(index=True)
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)
    success: Mapped[bool] = mapped_column(Boolean)
    status_code: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer)
    # dns | connection | timeout | tls | http | unsafe_target; None on success
    error_class: Mapped[str | None] = mapped_column(String(20))
    error: Mapped[str | None] = mapped_column(String(500))
    response_body: Mapped[str | None] = mapped_column(Text)
    trigger: Mapped[str] = mapped_column(String(12), default="scheduled")


class Notification(Base):
    """One person's inbox item, written in their language when the event arrived."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "event_id", name="uq_notifications_user_event"),
        Index("ix_notifications_user_created", "user_id", "created_at", "id"),
    )

    # An integer, so that one INSERT ... SELECT writes a whole audience's rows.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column()
    event_id: Mapped[str] = mapped_column(String(40))
    type: Mapped[str] = mapped_column(String(80))
    category: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    # {language: [title, body]} in every language, so a person who changes language reads
    # their inbox in the new one; `title` and `body` are in `language`, the one at writing.
    texts: Mapped[dict | None] = mapped_column(JSON)
    link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column()
    digested_at: Mapped[datetime | None] = mapped_column()  # put in an e-mail digest


class Preference(Base):
    """How a person wants one category: in_app, email (now), daily, weekly (digests) or off."""

    __tablename__ = "preferences"

    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(40), primary_key=True)
    mode: Mapped[str] = mapped_column(String(10))


class QuietHours(Base):
    """A person's quiet hours, in minutes after local midnight; e-mail waits until they end."""

    __tablename__ = "quiet_hours"

    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)


class Email(Base):
    """One e-mail to send: for one notification (at most once) or one digest (once a period)."""

    __tablename__ = "emails"
    __table_args__ = (
        UniqueConstraint("notification_id", name="uq_emails_notification_id"),
        UniqueConstraint("user_id", "digest_key", name="uq_emails_user_digest"),
        Index("ix_emails_due", "status", "send_after"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column()
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL")
    )
    digest_key: Mapped[str | None] = mapped_column(String(20))  # daily:2026-11-25, weekly:...
    category: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    send_after: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()
    digest_items: Mapped[list | None] = mapped_column(JSON)  # notification ids, newest first
    error: Mapped[str | None] = mapped_column(String(500))
