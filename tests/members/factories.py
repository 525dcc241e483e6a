"""Build members data for tests without long literal dictionaries."""

from __future__ import annotations

import itertools
import uuid

from services.members.domain import accounts, keys
from services.members.models import Membership, Organisation, User, db

_counter = itertools.count(1)
PASSWORD = "correct horse battery staple"


class Factories:
    def __init__(self, app):
        self.app = app

    def organisation(self, **overrides) -> Organisation:
        n = next(_counter)
        values = {
            "name": f"Test Organisation {n}",
            "country": "FR",
            "park": "sophia_antipolis",
            "city": "Sophia Antipolis",
            "kind": "company",
            "sectors": ["iot"],
            "website": f"https://org{n}.example.fr",
            "description": {"en": "A test organisation."},
            "registration_number": "732829320",
            "status": "verified",
        }
        values.update(overrides)
        with db.transaction() as session:
            organisation = Organisation(**values)
            session.add(organisation)
        return organisation

    def user(
        self, organisation: Organisation | None = None, role: str = "org_member", **overrides
    ) -> User:
        n = next(_counter)
        values = {
            "email": f"person{n}@example.org",
            "full_name": f"Person {n}",
            "password_hash": accounts.hash_password(overrides.pop("password", PASSWORD)),
            "language": "en",
            "timezone": "Europe/Paris",
        }
        values.update(overrides)
        with db.transaction() as session:
            user = User(**values)
            session.add(user)
            session.flush()
            if organisation is not None:
                session.add(Membership(user_id=user.id, organisation_id=organisation.id, role=role))
        return user

    def admin(self, organisation: Organisation, **overrides) -> User:
        return self.user(organisation, role="org_admin", **overrides)

    def platform_admin(self, **overrides) -> User:
        return self.user(None, is_platform_admin=True, **overrides)

    def token(
        self,
        user: User,
        organisation: Organisation | None = None,
        role: str | None = None,
        **claims,
    ) -> str:
        """An access token as members signs it, for the given person."""
        roles = []
        if user.is_platform_admin:
            roles.append("platform_admin")
        if role:
            roles.append(role)
        else:
            with db.transaction() as session:
                membership = session.query(Membership).filter_by(user_id=user.id).first()
                if membership is not None:
                    roles.append(membership.role)
                    organisation = organisation or session.get(
                        Organisation, membership.organisation_id
                    )
        base = {"sub": str(user.id), "roles": roles, "lang": user.language}
        if organisation is not None:
            base["org"] = str(organisation.id)
        base.update(claims)
        with db.transaction() as session:
            token, _ttl = keys.sign(session, base)
        return token

    def headers(self, user: User, **kwargs) -> dict:
        return {"Authorization": f"Bearer {self.token(user, **kwargs)}"}

    # Registration through the domain (events, terms and hints as in production).

    def siren(self) -> str:
        """A valid SIREN no other test uses."""
        from stdnum import luhn

        base = f"{80000000 + next(_counter) * 7919 % 19999999:08d}"
        return base + luhn.calc_check_digit(base)

    def uscc(self) -> str:
        """A valid Unified Social Credit Code no other test uses."""
        from stdnum.cn import uscc

        base = f"91320115MA{next(_counter):07d}"
        return base + uscc.calc_check_digit(base)

    def registration(self, admin: dict | None = None, **organisation) -> dict:
        """A POST /organisations body: a French company and its first admin."""
        n = next(_counter)
        body = {
            "organisation": {
                "name": f"Registered Company {n}",
                "country": "FR",
                "city": "Sophia Antipolis",
                "park": "sophia_antipolis",
                "kind": "company",
                "sectors": ["iot"],
                "size": "small",
                "website": f"https://www.company{n}.example.fr",
                "description": {"en": "Sensors for smart buildings."},
                "registration_number": self.siren(),
            },
            "admin": {
                "email": f"founder{n}@company{n}.example.fr",
                "password": PASSWORD,
                "full_name": f"Founder {n}",
                "language": "fr",
                "timezone": "Europe/Paris",
            },
        }
        body["organisation"].update(organisation)
        body["admin"].update(admin or {})
        return body

    def matched_pair(self, owner_language: str = "en"):
        """A French IoT company and a Nanjing research lab that matchmaking pairs both ways:
        (owner organisation, its admin, lab organisation, its admin), all verified."""
        owner_org, owner = self.registered(
            name="Valbonne Sensing", admin={"language": owner_language}, sectors=["iot", "ai_data"]
        )
        lab_org, lab = self.registered(
            name="Nanjing Lidar Lab",
            country="CN",
            park="jiangning",
            city="Nanjing",
            kind="research_lab",
            registration_number=self.uscc(),
            sectors=["iot"],
            admin={"language": "en"},
        )
        return owner_org, owner, lab_org, lab

    def registered(self, status: str = "verified", admin: dict | None = None, **organisation):
        """An organisation registered (and verified, unless told otherwise) by the domain."""
        from services.members.domain import organisations as domain
        from shared.auth import Caller

        body = self.registration(admin, **organisation)
        body["organisation"].setdefault("size", None)
        staff = Caller(
            subject=str(uuid.uuid4()),
            kind="user",
            organisation_id=None,
            roles=frozenset({"platform_admin"}),
        )
        with db.transaction() as session:
            org, user = domain.register(session, body["organisation"], body["admin"])
            if status == "verified":
                domain.verify(session, staff, org.id)
            elif status == "suspended":
                domain.suspend(session, staff, org.id, "Test suspension.")
        return org, user

    def events(self, event_type: str | None = None) -> list[dict]:
        """Rows of the outbox, oldest first, optionally of one type."""
        table = db.events.outbox
        stmt = table.select().order_by(table.c.occurred_at)
        if event_type:
            stmt = stmt.where(table.c.type == event_type)
        with db.engine.connect() as connection:
            return [dict(row) for row in connection.execute(stmt).mappings()]

    # People and credentials through members' identity domain.

    def invitation(self, organisation: Organisation, inviter: User, **payload):
        """A pending invitation and its token, as the e-mail would carry it."""
        from services.members.domain import credentials, invitations
        from shared.auth import Caller

        payload.setdefault("email", f"invitee{next(_counter)}@example.org")
        payload.setdefault("role", "org_member")
        caller = Caller(str(inviter.id), "user", organisation.id, frozenset({"org_admin"}))
        with db.transaction() as session:
            invitation = invitations.create(session, caller, organisation.id, payload)
        return invitation, credentials.derived_token("invitation", invitation.id, invitation.nonce)

    def api_client(self, organisation: Organisation, scopes=("directory:read",), **overrides):
        """An integrator client of the organisation and its secret."""
        from services.members.domain import credentials
        from services.members.models import ApiClient

        secret = f"secret-{next(_counter)}-{uuid.uuid4().hex}"
        values = {
            "client_id": f"ssp_test_{next(_counter)}",
            "secret_hash": credentials.digest(secret),
            "organisation_id": organisation.id,
            "name": "Test CRM",
            "scopes": list(scopes),
        }
        values.update(overrides)
        with db.transaction() as session:
            client = ApiClient(**values)
            session.add(client)
        return client, secret
