"""Organisations in announcements' projection, signed tokens, and announcements via the API."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta

import jwt
from cryptography.hazmat.primitives.asymmetric import ec

from services.announcements.models import Organisation, db
from shared.auth import CallableKeySource

KID = "announcements-test-key"
_private = ec.generate_private_key(ec.SECP256R1())
AUDIENCE = "sino-sophipolitan-platform"  # the default TOKEN_AUDIENCE the app checks
KEY_SOURCE = CallableKeySource(lambda kid: _private.public_key() if kid == KID else None)
API = "/api/announcements/v1"
_counter = itertools.count(1)


class Person:
    """Someone calling the API: their id, organisation and roles, and their signed headers."""

    def __init__(self, issuer: str, organisation=None, roles=(), language="en"):
        self.id = uuid.uuid4()
        self.organisation_id = organisation.id if organisation is not None else None
        self.roles = list(roles)
        self.language = language
        self.issuer = issuer

    def token(self, **claims) -> str:
        now = datetime.now(UTC)
        body = {
            "sub": str(self.id),
            "iss": self.issuer,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + timedelta(minutes=10),
            "roles": self.roles,
            "lang": self.language,
        }
        if self.organisation_id:
            body["org"] = str(self.organisation_id)
        body.update(claims)
        return jwt.encode(body, _private, algorithm="ES256", headers={"kid": KID})

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token()}"}


class Factories:
    def __init__(self, app, client):
        self.app = app
        self.client = client
        self.issuer = app.config["TOKEN_ISSUER"]

    # --- The organisation projection, as members' events would leave it ---

    def organisation(self, **fields) -> Organisation:
        n = next(_counter)
        values = {
            "id": uuid.uuid4(),
            "name": f"Organisation {n}",
            "country": "FR",
            "park": "sophia_antipolis",
            "city": "Sophia Antipolis",
            "kind": "company",
            "size": "small",
            "sectors": ["iot"],
            "description": {},
            "status": "verified",
            "revision": datetime.now(UTC),
        }
        values.update(fields)
        with db.transaction() as session:
            organisation = Organisation(**values)
            session.add(organisation)
        return organisation

    # --- People ---

    def staff(self, language="en") -> Person:
        return Person(self.issuer, roles=["platform_admin"], language=language)

    def admin_of(self, organisation, language="en") -> Person:
        return Person(self.issuer, organisation, ["org_admin"], language)

    def member_of(self, organisation, language="en") -> Person:
        return Person(self.issuer, organisation, ["org_member"], language)

    # --- Announcements through the API ---

    def body(self, kind="news", **fields) -> dict:
        n = next(_counter)
        body = {
            "kind": kind,
            "title": {"en": f"Announcement {n}", "fr": f"Annonce {n}", "zh": f"公告 {n}"},
            "summary": {"en": f"Summary {n}", "fr": f"Résumé {n}"},
            "body": {"en": f"**Body** {n}", "fr": f"*Corps* {n}"},
            "tags": ["forum"],
            "sectors": ["iot"],
            "audience": {"scope": "public"},
        }
        if kind == "event":
            start = datetime.now(UTC) + timedelta(days=30)
            body.update(
                starts_at=start.replace(microsecond=0).isoformat(),
                ends_at=(start + timedelta(hours=3)).replace(microsecond=0).isoformat(),
                timezone="Europe/Paris",
                place="Sophia Antipolis, Business Pôle",
                capacity=50,
            )
        body.update(fields)
        return body

    def draft(self, author: Person, kind="news", **fields) -> dict:
        response = self.client.post(
            f"{API}/announcements", json=self.body(kind, **fields), headers=author.headers
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def published(self, author: Person, kind="news", **fields) -> dict:
        draft = self.draft(author, kind, **fields)
        response = self.client.post(
            f"{API}/announcements/{draft['id']}/publish", json={}, headers=author.headers
        )
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["status"] == "published"
        return response.get_json()
