"""notifications' fan-out: one announcement to 10,000 people, one event to 1,000 webhooks.

Inbox: the rows one `announcement.published` writes for 10,000 people through the real event
handler (aim: under 1 second). Webhooks: one public event fanned out to 1,000 endpoints on a local
aiohttp sink (a separate process) and delivered by the service's batch delivery, beside a plain
aiohttp client sending the same number of signed requests at the same concurrency to the same
sink in the same run (the ceiling; aim: at least half of it).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime

from bench import databases
from bench.harness import free_port

AIM_INBOX_SECONDS = 1.0
AIM_WEBHOOK_RATIO = 0.5
PEOPLE = 10_000
ENDPOINTS = 1_000
CONCURRENCY = 100

SINK = """
import sys
from aiohttp import web

async def hook(request):
    await request.read()
    return web.Response(text="ok")

app = web.Application()
app.router.add_post("/{tail:.*}", hook)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
"""


def _start_sink() -> tuple[subprocess.Popen, str]:
    import socket

    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", SINK, str(port)])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the sink did not start")


def _envelope(event_type: str, data: dict) -> dict:
    from shared.events import catalogue

    return {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "version": 1,
        "occurred_at": datetime.now(UTC).isoformat(),
        "source": catalogue.get(event_type, 1).source,
        "data": data,
    }


def _inbox(db, consumer) -> float:
    from sqlalchemy import func, insert, select

    from services.notifications.models import Membership, Notification, Organisation, User
    from shared.events import catalogue

    now = datetime.now(UTC)
    org = uuid.uuid4()
    people = [uuid.uuid4() for _ in range(PEOPLE)]
    with db.transaction() as session:
        example = catalogue.get("organisation.verified", 1).example
        values = {k: example[k] for k in ("name", "country", "park", "kind", "sectors", "status")}
        session.add(Organisation(id=org, revision=now, description={}, **values))
        session.execute(
            insert(User),
            [
                {
                    "id": p,
                    "email": f"p{i}@example.org",
                    "full_name": f"Person {i}",
                    "language": ("en", "fr", "zh")[i % 3],
                    "timezone": "Europe/Paris",
                    "revision": now,
                }
                for i, p in enumerate(people)
            ],
        )
        session.execute(
            insert(Membership),
            [
                {
                    "organisation_id": org,
                    "user_id": p,
                    "role": "org_member",
                    "revision": now,
                    "since": now,
                }
                for p in people
            ],
        )
    data = catalogue.get("announcement.published", 1).example
    started = time.perf_counter()
    consumer.handle(_envelope("announcement.published", data))
    elapsed = time.perf_counter() - started
    with db.transaction() as session:
        written = session.scalar(select(func.count(Notification.id)))
    print(
        f"inbox: {written} rows for one announcement in {elapsed * 1000:.0f} ms "
        f"(aim < {AIM_INBOX_SECONDS * 1000:.0f} ms)",
        flush=True,
    )
    return elapsed


async def _ceiling(url: str, count: int) -> float:
    """A plain aiohttp client: the same number of signed requests, same concurrency."""
    import json

    import aiohttp

    from services.notifications.domain import signing

    secret = signing.new_secret()
    body = json.dumps({"type": "organisation.verified", "data": {}}).encode()
    semaphore = asyncio.Semaphore(CONCURRENCY)
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def one(i: int):
            async with semaphore:
                headers = signing.headers([secret], f"msg_{i}", int(time.time()), body)
                async with http.post(f"{url}/hook/{i}", data=body, headers=headers) as response:
                    await response.read()

        started = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(count)))
        return count / (time.perf_counter() - started)


def _webhooks(db, consumer, url: str) -> tuple[float, float]:
    from sqlalchemy import func, insert, select

    from services.notifications.domain import delivery, signing
    from services.notifications.models import WebhookEndpoint, WebhookMessage, WebhookSecret
    from shared.events import catalogue

    endpoints = [uuid.uuid4() for _ in range(ENDPOINTS)]
    with db.transaction() as session:
        session.execute(
            insert(WebhookEndpoint),
            [
                {
                    "id": e,
                    "organisation_id": uuid.uuid4(),
                    "url": f"{url}/hook/{i}",
                    "description": "",
                    "enabled": True,
                    "created_by": "bench",
                }
                for i, e in enumerate(endpoints)
            ],
        )
        session.execute(
            insert(WebhookSecret),
            [{"endpoint_id": e, "secret": signing.new_secret()} for e in endpoints],
        )
    ceiling = asyncio.run(_ceiling(url, ENDPOINTS))
    consumer.handle(
        _envelope("organisation.verified", catalogue.get("organisation.verified", 1).example)
    )
    started = time.perf_counter()
    sent = 0
    while sent < ENDPOINTS:
        batch = delivery.deliver_due(db, limit=ENDPOINTS)
        if not batch:
            break
        sent += batch
    rate = sent / (time.perf_counter() - started)
    with db.transaction() as session:
        delivered = session.scalar(
            select(func.count(WebhookMessage.id)).where(WebhookMessage.status == "delivered")
        )
    print(
        f"webhooks: {delivered}/{ENDPOINTS} delivered at {rate:.0f}/s; plain aiohttp "
        f"{ceiling:.0f}/s; ratio {rate / ceiling:.2f} (aim >= {AIM_WEBHOOK_RATIO})",
        flush=True,
    )
    return rate, ceiling


def main() -> None:
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    from services.notifications import create_app
    from services.notifications.events import HANDLERS
    from services.notifications.models import db
    from shared.events.inbox import Consumer

    with databases.temporary_dir() as tmp, databases.service_database("notifications", tmp) as url:
        app = create_app(
            {
                "DATABASE_URL": url,
                "WEBHOOKS_ALLOW_PRIVATE_TARGETS": True,
                "WEBHOOKS_CONCURRENCY": CONCURRENCY,
                "WEBHOOKS_BATCH_SIZE": ENDPOINTS,
            }
        )
        consumer = Consumer(db, HANDLERS)
        sink, sink_url = _start_sink()
        try:
            with app.app_context():
                _inbox(db, consumer)
                _webhooks(db, consumer, sink_url)
        finally:
            sink.terminate()
            sink.wait(10)
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
