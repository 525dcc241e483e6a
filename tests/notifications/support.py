"""Test helpers: tokens signed by a test key, members' events through HANDLERS, HTTP sinks."""

from __future__ import annotations

import itertools
import json
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import ec

from shared.auth import CallableKeySource
from shared.config import env

KID = "notifications-test-key"
_PRIVATE = ec.generate_private_key(ec.SECP256R1())
KEY_SOURCE = CallableKeySource(lambda kid: _PRIVATE.public_key() if kid == KID else None)
ISSUER = env.str("TOKEN_ISSUER", "sino-sophipolitan-members")
AUDIENCE = env.str("TOKEN_AUDIENCE", "sino-sophipolitan-platform")
_counter = itertools.count(1)


def token(subject=None, organisation=None, roles=(), scopes=(), client=False, lang="en") -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(subject or uuid.uuid4()),
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "roles": list(roles),
        "lang": lang,
    }
    if organisation is not None:
        claims["org"] = str(organisation)
    if client:
        claims["client_id"] = f"client-{next(_counter)}"
        claims["scope"] = " ".join(scopes)
    return jwt.encode(claims, _PRIVATE, algorithm="ES256", headers={"kid": KID})


def headers(**kwargs) -> dict:
    return {"Authorization": f"Bearer {token(**kwargs)}"}


def envelope(
    event_type: str,
    data: dict,
    source: str | None = None,
    version: int = 1,
    occurred_at: datetime | None = None,
) -> dict:
    from shared.events import catalogue

    entry = catalogue.get(event_type, version)
    return {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "version": version,
        "occurred_at": (occurred_at or datetime.now(UTC)).isoformat(),
        "source": source or entry.source,
        "correlation_id": None,
        "data": json.loads(json.dumps(data, default=str)),
    }


def handle(event_type: str, data: dict, occurred_at: datetime | None = None) -> dict:
    """Hand one event to notifications' consumer, as its handle_event task does."""
    from services.notifications.events import HANDLERS
    from services.notifications.models import db
    from shared.events.inbox import HANDLED, Consumer

    message = envelope(event_type, data, occurred_at=occurred_at)
    assert Consumer(db, HANDLERS).handle(message) == HANDLED
    return message


class World:
    """Organisations and their people, known to notifications through members' events."""

    def organisation(self, **overrides) -> str:
        n = next(_counter)
        data = {
            "id": str(uuid.uuid4()),
            "name": f"Organisation {n}",
            "name_zh": f"机构 {n}",
            "country": "FR",
            "park": "sophia_antipolis",
            "city": "Sophia Antipolis",
            "kind": "company",
            "size": "small",
            "sectors": ["iot"],
            "website": None,
            "description": {},
            "status": "verified",
        }
        data.update(overrides)
        registered = datetime.now(UTC)
        handle("organisation.registered", {**data, "status": "pending"}, registered)
        if data["status"] == "verified":  # a later snapshot: the projection keeps the newest
            handle("organisation.updated", data, registered + timedelta(milliseconds=1))
        return data["id"]

    def person(self, organisation_id: str, role="org_member", language="en", **overrides) -> str:
        n = next(_counter)
        data = {
            "organisation_id": organisation_id,
            "user_id": str(uuid.uuid4()),
            "role": role,
            "email": f"person{n}@example.org",
            "full_name": f"Person {n}",
            "language": language,
            "timezone": "Europe/Paris",
        }
        data.update(overrides)
        handle("member.joined", data)
        return data["user_id"]

    def admin(self, organisation_id: str, **kwargs) -> str:
        return self.person(organisation_id, role="org_admin", **kwargs)


class Sink:
    """A real HTTP server recording what webhooks send; `responses` scripts its answers.

    Each scripted answer is a status code, or a (status, headers, body, delay) tuple; the delay
    is seconds, or a `threading.Event` the answer waits for (a sender held until the test says).
    """

    def __init__(self, responses=None, default=(200, {}, b"ok", 0.0)):
        self.requests: list[dict] = []
        self.responses = list(responses or [])
        self.default = default
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                outer.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers.items()),
                        "body": body,
                        "at": time.monotonic(),
                    }
                )
                answer = outer.responses.pop(0) if outer.responses else outer.default
                if isinstance(answer, int):
                    answer = (answer, {}, b"", 0.0)
                status, extra, content, delay = answer
                if isinstance(delay, threading.Event):
                    delay.wait(60)
                elif delay:
                    time.sleep(delay)
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}/hook"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def verified_quietly(organisation_id) -> None:
    """A verified organisation in notifications' projection, without any event told to anyone
    (only verified organisations may add webhooks)."""
    from services.notifications.models import Organisation, db

    with db.transaction() as session:
        if session.get(Organisation, uuid.UUID(str(organisation_id))) is None:
            session.add(
                Organisation(
                    id=uuid.UUID(str(organisation_id)),
                    name="Verified Organisation",
                    country="FR",
                    park="sophia_antipolis",
                    kind="company",
                    sectors=[],
                    description={},
                    status="verified",
                    revision=datetime(2000, 1, 1, tzinfo=UTC),
                )
            )
