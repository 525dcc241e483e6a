"""Build projects data for tests: organisations through real members envelopes, signed tokens.

Tokens are ES256 JWTs signed with a test key pair whose public half the app receives as a
CallableKeySource: the app verifies them with the same code that verifies members' tokens
(`shared.auth.verify_token`), only the key comes from the test instead of members' JWKS.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from cryptography.hazmat.primitives.asymmetric import ec

from services.projects.events import HANDLERS
from services.projects.models import db
from shared.auth import CallableKeySource
from shared.events import catalogue
from tests.support.envelopes import members_envelope

_counter = itertools.count(1)
KID = "projects-test-key"
_PRIVATE = ec.generate_private_key(ec.SECP256R1())
KEY_SOURCE = CallableKeySource(lambda kid: _PRIVATE.public_key() if kid == KID else None)


@dataclass(frozen=True)
class Person:
    id: uuid.UUID
    organisation_id: uuid.UUID | None
    roles: tuple[str, ...]
    language: str = "en"


def deliver(event_type: str, data: dict) -> None:
    """Hand an event to projects' handler as the inbox does: validated, loaded, one transaction."""
    envelope = members_envelope(event_type, data)
    _entry, loaded = catalogue.validate(envelope)
    with db.transaction() as session:
        HANDLERS[event_type](session, loaded, envelope)


class Factories:
    def __init__(self, app):
        self.app = app

    def organisation(self, status: str = "verified", **overrides) -> uuid.UUID:
        """An organisation as members' events describe it, kept in projects' projection."""
        n = next(_counter)
        data = {
            "id": str(uuid.uuid4()),
            "name": f"Test Organisation {n}",
            "name_zh": None,
            "country": "FR",
            "park": "sophia_antipolis",
            "city": "Sophia Antipolis",
            "kind": "company",
            "size": "small",
            "sectors": ["iot"],
            "website": f"https://org{n}.example.fr",
            "description": {"en": "A test organisation."},
            "status": "pending",
        }
        data.update(overrides)
        deliver("organisation.registered", data)
        if status == "verified":
            deliver("organisation.verified", {**data, "status": "verified", "reason": None})
        elif status == "suspended":
            deliver("organisation.suspended", {**data, "status": "suspended", "reason": "Test."})
        return uuid.UUID(data["id"])

    def suspend(self, organisation_id: uuid.UUID) -> None:
        from services.projects.models import Organisation

        with db.transaction() as session:
            row = session.get(Organisation, organisation_id)
            data = {
                name: getattr(row, name)
                for name in ("name", "name_zh", "country", "park", "city", "kind", "size")
            }
            data |= {"sectors": list(row.sectors), "website": row.website}
            data |= {"description": dict(row.description)}
        deliver(
            "organisation.suspended",
            {**data, "id": str(organisation_id), "status": "suspended", "reason": "Test."},
        )

    def member(self, organisation_id, role: str = "org_member", **kw) -> Person:
        return Person(uuid.uuid4(), organisation_id, (role,), **kw)

    def admin(self, organisation_id, **kw) -> Person:
        return self.member(organisation_id, "org_admin", **kw)

    def staff(self) -> Person:
        return Person(uuid.uuid4(), None, ("platform_admin",))

    def token(self, person: Person, **claims) -> str:
        now = datetime.now(UTC)
        base = {
            "sub": str(person.id),
            "iss": self.app.config["TOKEN_ISSUER"],
            "aud": self.app.config["TOKEN_AUDIENCE"],
            "iat": now,
            "exp": now + timedelta(minutes=10),
            "roles": list(person.roles),
            "lang": person.language,
            "typ": "access",
        }
        if person.organisation_id:
            base["org"] = str(person.organisation_id)
        base.update(claims)
        return jwt.encode(base, _PRIVATE, algorithm="ES256", headers={"kid": KID})

    def headers(self, person: Person, **claims) -> dict:
        return {"Authorization": f"Bearer {self.token(person, **claims)}"}

    def events(self, event_type: str | None = None) -> list[dict]:
        """Rows of projects' outbox, oldest first, optionally of one type."""
        table = db.events.outbox
        stmt = table.select().order_by(table.c.occurred_at)
        if event_type:
            stmt = stmt.where(table.c.type == event_type)
        with db.engine.connect() as connection:
            return [dict(row) for row in connection.execute(stmt).mappings()]


def project_body(**overrides) -> dict:
    """A POST /projects body: an R&D partnership with a call closing in a month."""
    body = {
        "kind": "rd_partnership",
        "title": {"en": "Edge AI for smart buildings", "zh": "智能建筑边缘人工智能"},
        "summary": {"en": "Sensor fusion on low-power chips."},
        "description": {"en": "# Goal\n\nFuse **lidar** and radar.\n\n<script>x()</script>"},
        "sectors": ["iot", "ai_data"],
        "keywords": ["lidar", "sensor fusion"],
        "seeks_countries": ["CN"],
        "seeks_kinds": ["research_lab"],
        "seeks_skills": ["embedded AI"],
        "starts_on": "2027-01-01",
        "ends_on": "2029-12-31",
        "budget_min": 200000,
        "budget_max": 500000,
        "budget_currency": "EUR",
        "funding_scheme": "EUREKA",
        "visibility": "public",
        "attachments": [{"title": "Brief", "url": "https://example.org/brief.pdf"}],
        "call_deadline": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
    }
    body.update(overrides)
    return body
