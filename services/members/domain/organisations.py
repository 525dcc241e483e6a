"""Organisations: registration with a first admin, verification by staff, profile edits.

Every write records its event in the caller's transaction; visibility rules live here so the
API, the demo data and later tasks apply the same ones.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from sqlalchemy import bindparam, select

from shared import organisation_status
from shared.auth import Caller
from shared.db import utcnow
from shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from shared.events import emit
from shared.pagination import keyset, page

from ..models import Membership, Organisation, User
from . import accounts, registration_numbers, revocations, snapshots

EDITABLE = ("name", "name_zh", "city", "park", "kind", "size", "sectors", "website", "description")
PROFILE = ("name", "name_zh", "country", "park", "city", "kind", "size", "sectors", "website")


def _host(url: str | None) -> str | None:
    try:
        host = urlsplit(url or "").hostname
    except ValueError:
        return None
    return host.lower().removeprefix("www.") if host else None


def domains_match(email: str, website: str | None) -> bool:
    """The e-mail's domain is the website's, or one is a subdomain of the other."""
    host = _host(website)
    domain = email.rpartition("@")[2].strip().lower()
    if not host or not domain:
        return False
    return domain == host or domain.endswith("." + host) or host.endswith("." + domain)


def verification_hints(country: str, email: str, website: str | None) -> dict:
    """Facts staff weigh before verifying; computed once, at registration."""
    return {
        # null: the country has no rule we check numbers against.
        "registration_number_valid": True if registration_numbers.is_checked(country) else None,
        "email_domain_matches_website": domains_match(email, website),
    }


def _ensure_number_free(session, country: str, number: str, exclude=None) -> None:
    stmt = select(Organisation.id).where(
        Organisation.country == country, Organisation.registration_number == number
    )
    if exclude is not None:
        stmt = stmt.where(Organisation.id != exclude)
    if session.scalar(stmt.limit(1)) is not None:
        raise Conflict(
            "An organisation with this registration number is already registered.",
            errors=[
                {"pointer": f"/{registration_numbers.POINTER}", "detail": "Already registered."}
            ],
        )


class AddressTaken(Exception):
    """The admin's e-mail already has an account: answered like a new registration (nothing
    saved), and the owner is told by e-mail instead. `answer` is that look-alike answer."""

    def __init__(self, owner_id, answer: tuple[Organisation, User]):
        super().__init__("address already registered")
        self.owner_id = owner_id
        self.answer = answer


def register(session, organisation: dict, admin: dict) -> tuple[Organisation, User]:
    """A pending organisation and its first admin; 422 for a bad number, 409 for a taken one.

    AddressTaken when the admin's e-mail has an account: a 409 there would tell anyone who has
    an account, so the caller answers as for a new registration and e-mails the owner.
    """
    country = organisation["country"]
    number = registration_numbers.normalise(country, organisation["registration_number"])
    _ensure_number_free(session, country, number)
    owner = accounts.find_user_by_email(session, admin["email"])
    if owner is not None:
        accounts.check_password_policy(admin["password"], "admin/password")
        accounts.hash_password(admin["password"])  # the time a new account's hash takes
        raise AddressTaken(owner.id, _unsaved(organisation, admin, number))
    user = accounts.new_user(session, **admin, field_prefix="admin/")
    org = _new_organisation(organisation, number, user.email)
    session.add(org)
    session.flush()
    membership = Membership(user_id=user.id, organisation_id=org.id, role="org_admin")
    session.add(membership)
    session.flush()
    emit(session, "organisation.registered", snapshots.organisation_snapshot(org))
    emit(session, "member.joined", snapshots.member_event(user, membership))
    emit(session, "organisation.registration_received", _registration_received(session, org, user))
    return org, user


def _registration_received(session, org: Organisation, registrant: User) -> dict:
    """What staff are told of a new registration, with the staff to tell."""
    staff = session.scalars(select(User).where(User.is_platform_admin.is_(True))).all()
    return {
        "id": str(org.id),
        "name": org.name,
        "name_zh": org.name_zh,
        "country": org.country,
        "registration_number": org.registration_number,
        "registrant": {
            "user_id": str(registrant.id),
            "full_name": registrant.full_name,
            "email": registrant.email,
        },
        "staff": [snapshots.user_event(person) for person in staff],
    }


def _new_organisation(organisation: dict, number: str, email: str) -> Organisation:
    fields = {k: organisation.get(k) for k in PROFILE}
    fields["sectors"] = list(dict.fromkeys(organisation.get("sectors") or []))
    fields["name_zh"] = fields["name_zh"] or None
    return Organisation(
        **fields,
        description=organisation.get("description") or {},
        registration_number=number,
        status="pending",
        status_reason=None,
        hints=verification_hints(organisation["country"], email, organisation.get("website")),
    )


def _unsaved(organisation: dict, admin: dict, number: str) -> tuple[Organisation, User]:
    """What a new registration would answer, built and never added to the session."""
    now = utcnow()
    org = _new_organisation(organisation, number, admin["email"])
    org.id, org.created_at, org.updated_at = uuid.uuid4(), now, now
    user = User(
        id=uuid.uuid4(),
        email=accounts.normalise_email(admin["email"]),
        full_name=admin["full_name"].strip(),
    )
    return org, user


def can_see(caller: Caller | None, organisation_id, status: str) -> bool:
    """Verified organisations are public; others only for their members and platform staff."""
    if status == "verified":
        return True
    return caller is not None and (caller.is_platform_admin or caller.belongs_to(organisation_id))


def _load(session, caller: Caller | None, organisation_id: uuid.UUID) -> Organisation:
    org = session.get(Organisation, organisation_id)
    if org is None or not can_see(caller, org.id, org.status):
        raise NotFound("No such organisation.")
    return org


def update(session, caller: Caller, organisation_id: uuid.UUID, changes: dict) -> Organisation:
    """Edit the profile: the organisation's own admins and platform staff only."""
    org = _load(session, caller, organisation_id)
    if not caller.is_admin_of(org.id):
        raise Forbidden("Only this organisation's admins may change its profile.")
    if not caller.is_platform_admin:
        organisation_status.ensure(org.status, organisation_status.PROFILE)
    if "sectors" in changes:
        changes["sectors"] = list(dict.fromkeys(changes["sectors"] or []))
    if "name_zh" in changes:
        changes["name_zh"] = changes["name_zh"] or None
    if "contact_user_id" in changes:
        _choose_contact(session, org, changes["contact_user_id"])
    changed = False
    for key in EDITABLE:
        if key in changes and getattr(org, key) != changes[key]:
            setattr(org, key, changes[key])
            changed = True
    session.flush()
    if changed:
        emit(session, "organisation.updated", snapshots.organisation_snapshot(org))
    return org


def _choose_contact(session, org: Organisation, user_id: uuid.UUID | None) -> None:
    """The profile's contact person: one of the organisation's members, or nobody."""
    if user_id is not None:
        member = session.scalar(
            select(Membership.id).where(
                Membership.organisation_id == org.id, Membership.user_id == user_id
            )
        )
        if member is None:
            raise ValidationFailed.field(
                "contact_user_id", "The contact person must be a member of the organisation."
            )
    org.contact_user_id = user_id


def _ensure_staff(caller: Caller) -> None:
    if not caller.is_platform_admin:
        raise Forbidden("Only platform staff verify or suspend organisations.")


def verify(session, caller: Caller, organisation_id, reason: str | None = None) -> Organisation:
    """Verify a pending organisation or reinstate a suspended one."""
    _ensure_staff(caller)
    org = _load(session, caller, organisation_id)
    if org.status == "verified":
        raise Conflict("This organisation is already verified.")
    return _set_status(session, org, "verified", reason, "organisation.verified")


def suspend(session, caller: Caller, organisation_id, reason: str) -> Organisation:
    """Suspend an organisation (or turn a pending one down); the reason is kept and sent on."""
    _ensure_staff(caller)
    org = _load(session, caller, organisation_id)
    if org.status == "suspended":
        raise Conflict("This organisation is already suspended.")
    # Every token naming the organisation, its people's and its clients', fails from now on.
    revocations.organisation(session, org.id, "organisation_suspended")
    return _set_status(session, org, "suspended", reason, "organisation.suspended")


def _set_status(session, org: Organisation, status: str, reason, event_type: str):
    org.status = status
    org.status_reason = reason
    session.flush()
    emit(session, event_type, {**snapshots.organisation_snapshot(org), "reason": reason})
    return org


def find_by_number(session, country: str, number: str) -> Organisation | None:
    return session.scalars(
        select(Organisation).where(
            Organisation.country == country, Organisation.registration_number == number
        )
    ).first()


_TABLE = Organisation.__table__
READ_COLUMNS = [
    _TABLE.c[name]
    for name in (
        "id",
        "name",
        "name_zh",
        "country",
        "park",
        "city",
        "kind",
        "size",
        "sectors",
        "website",
        "description",
        "registration_number",
        "status",
        "status_reason",
        "hints",
        "contact_user_id",
        "created_at",
        "updated_at",
    )
]
_BY_ID = select(*READ_COLUMNS).where(_TABLE.c.id == bindparam("organisation_id"))


def fetch(session, organisation_id: uuid.UUID) -> dict | None:
    """One organisation as a plain dict: a lean Core read for the hottest endpoint."""
    row = session.execute(_BY_ID, {"organisation_id": organisation_id}).mappings().first()
    return with_contacts(session, [dict(row)])[0] if row is not None else None


def with_contacts(session, rows: list[dict]) -> list[dict]:
    """Each row's `contact_user_id` replaced by `contact` (`user_id`, `full_name`, `email`, or
    None): one query for all the rows that name one."""
    ids = {row["contact_user_id"] for row in rows if row.get("contact_user_id")}
    people = {}
    if ids:
        users = User.__table__
        found = select(users.c.id, users.c.full_name, users.c.email).where(users.c.id.in_(ids))
        people = {
            person.id: {
                "user_id": str(person.id),
                "full_name": person.full_name,
                "email": person.email,
            }
            for person in session.execute(found)
        }
    for row in rows:
        row["contact"] = people.get(row.pop("contact_user_id", None))
    return rows


def fetch_many(session, organisation_ids) -> list[dict]:
    """Organisations by id as plain dicts, in the order asked, in one query; unknown ids left
    out (the caller filters what it may not see)."""
    wanted = list(dict.fromkeys(organisation_ids))
    if not wanted:
        return []
    rows = session.execute(select(*READ_COLUMNS).where(_TABLE.c.id.in_(wanted))).mappings()
    found = {row["id"]: dict(row) for row in rows}
    return with_contacts(session, [found[i] for i in wanted if i in found])


def queue(session, status: str, cursor: str | None, limit: int) -> dict:
    """Organisations in one status, oldest first: staff's verification queue."""
    stmt = select(*READ_COLUMNS).where(_TABLE.c.status == status)
    stmt = keyset(stmt, [_TABLE.c.created_at, _TABLE.c.id], cursor, limit)
    rows = with_contacts(session, [dict(r) for r in session.execute(stmt).mappings()])
    return page(rows, limit, lambda r: (r["created_at"], r["id"]))
