"""Passwords (Argon2id), a person's account and profile, forgotten passwords, leaving."""

from __future__ import annotations

import contextlib
import functools
import uuid
import zoneinfo
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update

from shared.db import utcnow
from shared.errors import Conflict, Forbidden, Gone, NotFound, ValidationFailed
from shared.events import emit

from .. import settings
from ..models import PasswordReset, User
from . import contact_people, credentials, erasure, memberships, revocations, snapshots

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# A hash of nothing in particular, verified when the e-mail is unknown so both cases cost the same.
_DUMMY_HASH = _hasher.hash("not-a-real-password-just-for-timing")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User | None, password: str) -> bool:
    """True when `password` is the user's; spends the same time when there is no such user."""
    if user is None or not user.password_hash:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password)
        return False
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password_policy(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed.field(
            field,
            f"Use at least {MIN_PASSWORD_LENGTH} characters for the password.",
            code="too_short",
            rule="password.too_short",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationFailed.field(
            field, "The password is too long.", code="too_long", rule="password.too_long"
        )


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(session, email: str) -> User | None:
    return session.scalars(
        select(User).where(func.lower(User.email) == normalise_email(email))
    ).first()


def new_user(
    session,
    *,
    email: str,
    password: str,
    full_name: str,
    language: str = "en",
    timezone: str = "Europe/Paris",
    field_prefix: str = "",
) -> User:
    """A new person's account; a taken e-mail is a 409, a weak password a 422."""
    check_password_policy(password, f"{field_prefix}password")
    if find_user_by_email(session, email) is not None:
        raise Conflict(
            "An account with this e-mail address already exists.",
            errors=[{"pointer": f"/{field_prefix}email", "detail": "Already registered."}],
        )
    user = User(
        email=normalise_email(email),
        password_hash=hash_password(password),
        full_name=full_name.strip(),
        language=language,
        timezone=timezone,
    )
    session.add(user)
    session.flush()
    return user


# --- The signed-in person: profile, password, forgotten password, leaving the platform ---


@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def time_zones() -> list[str]:
    """The IANA time zones a person may choose, sorted (documented as the field's `enum`)."""
    return sorted(_time_zones())


def check_timezone(name: str, field: str = "timezone") -> None:
    if name not in _time_zones():
        raise ValidationFailed.field(field, "Use an IANA time zone such as Europe/Paris.")


def _user(session, caller) -> User:
    if caller.kind != "user":
        raise Forbidden("Only people have a profile; integrator clients do not.")
    user = session.get(User, caller.user_id)
    if user is None:
        raise NotFound("This account no longer exists.")
    return user


def profile(session, caller) -> dict:
    """The person, with their organisation and role (if any)."""
    user = _user(session, caller)
    membership = memberships.membership_of(session, user.id)
    return {
        "id": user.id,
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "timezone": user.timezone,
        "is_platform_admin": user.is_platform_admin,
        "organisation_id": membership.organisation_id if membership else None,
        "role": membership.role if membership else None,
        "created_at": user.created_at,
        "updated_at": user.updated_at,
    }


def update_profile(session, caller, changes: dict) -> dict:
    user = _user(session, caller)
    if "timezone" in changes:
        check_timezone(changes["timezone"])
    if "full_name" in changes and not changes["full_name"].strip():
        raise ValidationFailed.field("full_name", "Give a name.")
    changed = False
    for name in ("full_name", "language", "timezone"):
        if name in changes and changes[name] != getattr(user, name):
            setattr(user, name, changes[name].strip() if name == "full_name" else changes[name])
            changed = True
    if changed:
        session.flush()
        emit(session, "user.updated", snapshots.user_event(user))
        contact_people.contact_renamed(session, user.id)
    return profile(session, caller)


def change_password(session, caller, current: str, new: str, keep_session=None) -> None:
    """Needs the current password; signs the person out of every other session."""
    user = _user(session, caller)
    if not verify_password(user, current):
        raise ValidationFailed.field(
            "current_password",
            "The current password is not correct.",
            rule="password.current_wrong",
        )
    check_password_policy(new, "new_password")
    user.password_hash = hash_password(new)
    credentials.revoke_user_tokens(session, user.id, keep_family=keep_session)
    # Access tokens too (the kept session gets a new one with its refresh token).
    revocations.person(session, user.id, "password_changed")


def request_password_reset(session, email: str):
    """A reset for the account with this e-mail, or None; the caller answers 202 either way."""
    user = find_user_by_email(session, email)
    if user is None:
        return None
    reset = PasswordReset(
        id=uuid.uuid4(),
        user_id=user.id,
        nonce=credentials.new_nonce(),
        expires_at=utcnow() + timedelta(seconds=settings.get("PASSWORD_RESET_TTL")),
    )
    reset.token_hash = credentials.digest(
        credentials.derived_token("password_reset", reset.id, reset.nonce)
    )
    session.add(reset)
    session.flush()
    return reset


def confirm_password_reset(session, token: str, password: str) -> None:
    """Set the new password; the token then stops working, as do all sessions."""
    reset = session.scalars(
        select(PasswordReset)
        .where(PasswordReset.token_hash == credentials.digest(token))
        .with_for_update()
    ).first()
    if reset is None:
        raise NotFound("This password reset link is not valid.")
    if reset.used_at is not None:
        raise Gone("This password reset link was already used.", reason="used")
    if reset.expires_at <= utcnow():
        raise Gone("This password reset link has expired.", reason="expired")
    check_password_policy(password)
    user = session.get(User, reset.user_id)
    user.password_hash = hash_password(password)
    now = utcnow()
    # Every outstanding link of this person dies with the one used.
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    credentials.revoke_user_tokens(session, user.id)
    revocations.person(session, user.id, "password_reset")


def delete_account(session, caller, password: str, close_organisation: bool = False) -> uuid.UUID:
    """Remove the person, their membership and what names them; the last admin of an org with
    others hands over first, the last person of an org closes it with them or is refused."""
    user = _user(session, caller)
    if not verify_password(user, password):
        raise ValidationFailed.field(
            "password", "The password is not correct.", rule="password.wrong"
        )
    membership = memberships.membership_of(session, user.id)
    if membership is not None:
        closing = erasure.ensure_may_leave(session, membership, close_organisation)
        if not closing:
            memberships.ensure_not_last_admin(session, membership)
        organisation_id = membership.organisation_id
        session.delete(membership)
        session.flush()
        emit(
            session,
            "member.left",
            {"organisation_id": str(organisation_id), "user_id": str(user.id)},
        )
        if closing:
            erasure.close_organisation(session, organisation_id)
    credentials.revoke_user_tokens(session, user.id)
    revocations.person(session, user.id, "account_deleted")
    erasure.erase(session, user)
    user_id = user.id
    session.delete(user)
    session.flush()
    emit(session, "user.deleted", {"id": str(user_id)})
    return user_id
