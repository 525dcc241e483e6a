"""Delivering webhook messages: claim what is due, send a batch concurrently, log every attempt.

Due attempts live in the database (`next_attempt_at`), never as long countdowns in the broker.
A batch is sent by one aiohttp session with a pooled connector, its resolver checking every
address it connects to; a slow endpoint holds one connection, not the batch's other messages.
"""

from __future__ import annotations

import asyncio
import json
import random
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import aiohttp
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from shared import organisation_status
from shared.db import utcnow
from shared.organisation_status import INTEGRATE

from .. import settings
from ..models import Organisation, WebhookAttempt, WebhookEndpoint, WebhookMessage
from . import chat, signing
from .endpoints import active_secrets_of
from .safety import SafeResolver, UnsafeTarget, check_address, literal_address, target_host

LEASE_EXTRA = 60.0  # a claimed message is due again this long after the timeout if we die


@dataclass
class Job:
    message_id: str
    endpoint_id: object
    url: str
    body: bytes
    headers: dict
    flavour: str = "standard"
    trigger: str = "scheduled"
    # The claim's lease: the outcome is recorded only while the message still carries it (a
    # replay or recovery meanwhile scheduled it afresh, and that send must still happen).
    lease: datetime | None = None


@dataclass
class Outcome:
    job: Job
    success: bool
    status_code: int | None
    duration_ms: int
    error_class: str | None = None
    error: str | None = None
    response_body: str | None = None
    retry_after: float | None = None


def _sent_within(session: Session, endpoint_id, now: datetime, seconds: float) -> int:
    return session.scalar(
        select(func.count(WebhookAttempt.id)).where(
            WebhookAttempt.endpoint_id == endpoint_id,
            WebhookAttempt.attempted_at > now - timedelta(seconds=seconds),
        )
    )


def _allowed_now(session: Session, endpoint_id, rate_limit, flavour, now) -> int | None:
    """How many more messages the endpoint's limits allow now (None: no limit).

    The endpoint's own limit counts a second; a chat product's published limit a minute.
    """
    budgets = []
    if rate_limit:
        budgets.append(rate_limit - _sent_within(session, endpoint_id, now, 1))
    if flavour in chat.PER_MINUTE:
        budgets.append(chat.PER_MINUTE[flavour] - _sent_within(session, endpoint_id, now, 60))
    return max(min(budgets), 0) if budgets else None


def _integrating():
    """Endpoints of organisations whose status allows integrations: a suspended organisation's
    messages wait, pending, until it is reinstated (held, not dropped)."""
    statuses = [s for s in organisation_status.ALLOWED if organisation_status.allows(s, INTEGRATE)]
    return WebhookEndpoint.organisation_id.in_(
        select(Organisation.id).where(Organisation.status.in_(statuses))
    )


def claim_due(session: Session, now: datetime, limit: int) -> list[Job]:
    """Lease up to `limit` due messages of enabled endpoints, within their rate limits."""
    rows = session.execute(
        select(
            WebhookMessage.id,
            WebhookMessage.payload,
            WebhookEndpoint.id,
            WebhookEndpoint.url,
            WebhookEndpoint.rate_limit,
            WebhookEndpoint.flavour,
            WebhookEndpoint.flavour_secret,
            WebhookEndpoint.language,
            WebhookMessage.next_trigger,
        )
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookMessage.endpoint_id)
        .where(
            WebhookMessage.status == "pending",
            WebhookMessage.next_attempt_at <= now,
            WebhookEndpoint.enabled.is_(True),
            _integrating(),
        )
        .order_by(WebhookMessage.next_attempt_at)
        .limit(limit)
    ).all()
    budget: dict = {}
    chosen = []
    for message_id, payload, endpoint_id, url, rate_limit, flavour, secret, language, why in rows:
        if endpoint_id not in budget:
            budget[endpoint_id] = _allowed_now(session, endpoint_id, rate_limit, flavour, now)
        if budget[endpoint_id] is not None:
            if budget[endpoint_id] <= 0:
                continue
            budget[endpoint_id] -= 1
        chosen.append((message_id, payload, endpoint_id, url, flavour, secret, language, why))
    if not chosen:
        return []
    lease = now + timedelta(seconds=settings.get("WEBHOOKS_TIMEOUT") + LEASE_EXTRA)
    claimed = set(
        session.scalars(
            update(WebhookMessage)
            .where(
                WebhookMessage.id.in_([c[0] for c in chosen]),
                WebhookMessage.status == "pending",
                WebhookMessage.next_attempt_at <= now,
            )
            .values(next_attempt_at=lease)
            .returning(WebhookMessage.id)
            .execution_options(synchronize_session=False),
        )
    )
    secrets_by_endpoint = active_secrets_of(session, {c[2] for c in chosen}, now)
    timestamp = int(now.timestamp())
    jobs = []
    for message_id, payload, endpoint_id, url, flavour, secret, language, why in chosen:
        if message_id not in claimed:
            continue
        if flavour in chat.FLAVOURS and flavour != "standard":
            target, body = chat.request(flavour, url, secret, payload, language)
            headers = {"content-type": "application/json; charset=utf-8"}
            jobs.append(Job(message_id, endpoint_id, target, body, headers, flavour, why, lease))
            continue
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        secrets = secrets_by_endpoint.get(endpoint_id, [])
        headers = signing.headers(secrets, message_id, timestamp, body)
        jobs.append(Job(message_id, endpoint_id, url, body, headers, trigger=why, lease=lease))
    return jobs


def _caused_by(exc: BaseException, kind) -> BaseException | None:
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, kind):
            return exc
        exc = exc.__cause__ or exc.__context__ or getattr(exc, "os_error", None)
        seen += 1
    return None


def classify(exc: BaseException) -> str:
    """The error class integrators see: unsafe_target, dns, timeout, tls or connection."""
    if _caused_by(exc, UnsafeTarget):
        return "unsafe_target"
    if isinstance(exc, asyncio.TimeoutError | TimeoutError | aiohttp.ServerTimeoutError):
        return "timeout"
    if isinstance(exc, aiohttp.ClientSSLError) or _caused_by(exc, ssl.SSLError):
        return "tls"
    if isinstance(exc, aiohttp.ClientConnectorDNSError) or _caused_by(exc, socket.gaierror):
        return "dns"
    return "connection"


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        return max((parsedate_to_datetime(value) - utcnow()).total_seconds(), 0.0)
    except (TypeError, ValueError):
        return None


async def _send(http: aiohttp.ClientSession, job: Job, allow_private: bool, cap: int) -> Outcome:
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        literal = literal_address(target_host(job.url))
        if literal is not None:
            check_address(literal, allow_private)
        async with http.post(
            job.url, data=job.body, headers=job.headers, allow_redirects=False
        ) as response:
            content = await response.content.read(cap)
            text = content.decode("utf-8", errors="replace")
            status = response.status
            refused = chat.product_error(job.flavour, status, text)
            ok = 200 <= status < 300 and refused is None
            return Outcome(
                job,
                ok,
                status,
                took(),
                None if ok else "http",
                None if ok else (refused or f"HTTP {status}"),
                text,
                _retry_after(response.headers.get("Retry-After")),
            )
    except Exception as exc:  # every failure is an attempt to log, never a crash of the batch
        reason = str(_caused_by(exc, UnsafeTarget) or exc) or type(exc).__name__
        return Outcome(job, False, None, took(), classify(exc), reason[:500])


async def send_all(jobs: list[Job]) -> list[Outcome]:
    """Send every job concurrently through one pooled, address-checking connector."""
    allow_private = settings.get("WEBHOOKS_ALLOW_PRIVATE_TARGETS")
    cap = settings.get("WEBHOOKS_RESPONSE_CAP")
    connector = aiohttp.TCPConnector(
        limit=settings.get("WEBHOOKS_CONCURRENCY"),
        resolver=SafeResolver(allow_private),
        use_dns_cache=False,
    )
    timeout = aiohttp.ClientTimeout(total=settings.get("WEBHOOKS_TIMEOUT"))
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, trust_env=False, auto_decompress=False
    ) as http:
        return list(await asyncio.gather(*(_send(http, job, allow_private, cap) for job in jobs)))


def next_delay(attempt_count: int, outcome: Outcome) -> float | None:
    """Seconds until the next attempt after `attempt_count` failures, None when retries end."""
    schedule = settings.get("WEBHOOKS_RETRY_SCHEDULE")
    if attempt_count >= len(schedule):
        return None
    jitter = settings.get("WEBHOOKS_RETRY_JITTER")
    delay = schedule[attempt_count] * random.uniform(1 - jitter, 1 + jitter)
    if outcome.status_code == 429 or outcome.error_class == "timeout":
        delay = max(delay, settings.get("WEBHOOKS_THROTTLED_MIN_DELAY"))
    if outcome.retry_after is not None and outcome.status_code in (429, 503):
        delay = max(delay, min(outcome.retry_after, settings.get("WEBHOOKS_RETRY_AFTER_MAX")))
    return delay


def _hold_endpoint(session: Session, endpoint: WebhookEndpoint, reason: str) -> None:
    """Disable an endpoint; its pending messages are kept, held for a later recovery."""
    endpoint.enabled = False
    endpoint.disabled_reason = reason
    session.execute(
        update(WebhookMessage)
        .where(WebhookMessage.endpoint_id == endpoint.id, WebhookMessage.status == "pending")
        .values(status="held", next_attempt_at=None)
    )


def _by_lease(outcomes: list[Outcome]) -> dict:
    """Message ids by the lease they were claimed under (one per batch, in practice)."""
    ids: dict = {}
    for o in outcomes:
        ids.setdefault(o.job.lease, []).append(o.job.message_id)
    return ids


def record(session: Session, outcomes: list[Outcome], now: datetime) -> list[WebhookEndpoint]:
    """Log every attempt and schedule what follows; the endpoints disabled by these outcomes."""
    if not outcomes:
        return []
    session.execute(
        insert(WebhookAttempt),
        [
            {
                "message_id": o.job.message_id,
                "endpoint_id": o.job.endpoint_id,
                "attempted_at": now,
                "success": o.success,
                "status_code": o.status_code,
                "duration_ms": o.duration_ms,
                "error_class": o.error_class,
                "error": o.error,
                "response_body": o.response_body,
                "trigger": o.job.trigger,
            }
            for o in outcomes
        ],
    )
    # Successes, the common case, are two set-based UPDATEs; failures are worked out one by one.
    delivered = [o for o in outcomes if o.success]
    for lease, ids in _by_lease(delivered).items():
        session.execute(
            update(WebhookMessage)
            .where(
                WebhookMessage.id.in_(ids),
                WebhookMessage.status == "pending",
                WebhookMessage.next_attempt_at == lease,
            )
            .values(
                status="delivered",
                delivered_at=now,
                next_attempt_at=None,
                attempt_count=WebhookMessage.attempt_count + 1,
            )
            .execution_options(synchronize_session=False)
        )
    if delivered:
        session.execute(
            update(WebhookEndpoint)
            .where(
                WebhookEndpoint.id.in_({o.job.endpoint_id for o in delivered}),
                WebhookEndpoint.failing_since.is_not(None),
            )
            .values(failing_since=None)
            .execution_options(synchronize_session=False)
        )
    failed = [o for o in outcomes if not o.success]
    if not failed:
        return []
    # Load every row the failures touch in two queries, as they are now (not as this thread's
    # session last saw them); the changes flush as batched UPDATEs.
    fresh = {"populate_existing": True}
    messages = {
        m.id: m
        for m in session.scalars(
            select(WebhookMessage)
            .where(WebhookMessage.id.in_([o.job.message_id for o in failed]))
            .execution_options(**fresh)
        )
    }
    endpoints = {
        e.id: e
        for e in session.scalars(
            select(WebhookEndpoint)
            .where(WebhookEndpoint.id.in_({o.job.endpoint_id for o in failed}))
            .execution_options(**fresh)
        )
    }
    disabled = []
    window = timedelta(seconds=settings.get("WEBHOOKS_DISABLE_AFTER"))
    for o in failed:
        message = messages.get(o.job.message_id)
        endpoint = endpoints.get(o.job.endpoint_id)
        if message is None or endpoint is None:
            continue  # deleted meanwhile
        if message.status != "pending" or message.next_attempt_at != o.job.lease:
            continue  # replayed, recovered or held meanwhile: that schedule stands
        message.attempt_count += 1
        if endpoint.failing_since is None:
            endpoint.failing_since = now
        if o.status_code == 410:
            message.status, message.next_attempt_at = "held", None
            if endpoint.enabled:
                _hold_endpoint(session, endpoint, "gone")
                disabled.append(endpoint)
            continue
        delay = next_delay(message.attempt_count, o)
        if delay is None:
            message.status, message.next_attempt_at = "failed", None
        else:
            message.next_attempt_at = now + timedelta(seconds=delay)
            message.next_trigger = "retry"
        if endpoint.enabled and now - endpoint.failing_since >= window:
            _hold_endpoint(session, endpoint, "failing")
            disabled.append(endpoint)
    session.flush()
    return disabled


def deliver_due(db, now: datetime | None = None, limit: int | None = None) -> int:
    """One batch: claim, send concurrently, record. The number of attempts made."""
    limit = limit or settings.get("WEBHOOKS_BATCH_SIZE")
    with db.transaction() as session:
        jobs = claim_due(session, now or utcnow(), limit)
    if not jobs:
        return 0
    outcomes = asyncio.run(send_all(jobs))
    with db.transaction() as session:
        disabled = record(session, outcomes, now or utcnow())
        if disabled:
            from .alerts import endpoints_disabled

            endpoints_disabled(session, disabled)
    return len(jobs)


def next_due_at(session: Session, now: datetime, horizon: float) -> datetime | None:
    """The soonest attempt due after `now` and within `horizon` seconds (leases lie beyond)."""
    return session.scalar(
        select(func.min(WebhookMessage.next_attempt_at))
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookMessage.endpoint_id)
        .where(
            WebhookMessage.status == "pending",
            WebhookMessage.next_attempt_at > now,
            WebhookMessage.next_attempt_at <= now + timedelta(seconds=horizon),
            WebhookEndpoint.enabled.is_(True),
            _integrating(),
        )
    )


def due_count(session: Session, now: datetime) -> int:
    return session.scalar(
        select(func.count(WebhookMessage.id))
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookMessage.endpoint_id)
        .where(
            WebhookMessage.status == "pending",
            WebhookMessage.next_attempt_at <= now,
            WebhookEndpoint.enabled.is_(True),
            _integrating(),
        )
    )
