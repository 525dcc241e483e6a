"""Who is signed in: tokens kept server-side in Redis, only an opaque id in the signed cookie.

The browser never holds an access or refresh token: the cookie carries a random session id, and
Redis maps it to the tokens. Signing out deletes the entry and revokes the refresh token, so a
copied cookie is useless afterwards. The person's profile (name, e-mail) is kept beside it for
`PROFILE_TTL` only and read again from members after that: a deleted account's name and address
are gone from Redis within minutes, even in a session no browser ever comes back to.
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
import time
from functools import wraps

import redis
from flask import abort, current_app, g, redirect, request, session, url_for

from .api_client import ApiError, call, members

log = logging.getLogger(__name__)
PREFIX = "portal:session:"
PROFILE_PREFIX = "portal:profile:"
PROFILE_TTL = 300  # seconds a copy of the person's profile outlives its last reading from members
REFRESH_MARGIN = 30  # seconds before expiry an access token is renewed


def _redis() -> redis.Redis:
    client = current_app.extensions.get("portal_redis")
    if client is None:
        client = redis.Redis.from_url(
            current_app.config["REDIS_URL"], socket_timeout=5, socket_connect_timeout=5
        )
        current_app.extensions["portal_redis"] = client
    return client


def _key(sid: str) -> str:
    return PREFIX + sid


def _save(sid: str, data: dict) -> None:
    _redis().set(_key(sid), json.dumps(data), ex=current_app.config["PORTAL_SESSION_TTL"])


def _save_person(sid: str, person: dict) -> None:
    _redis().set(PROFILE_PREFIX + sid, json.dumps(person), ex=PROFILE_TTL)


def _load(sid: str | None) -> dict | None:
    if not sid:
        return None
    raw = _redis().get(_key(sid))
    return json.loads(raw) if raw else None


def _tokens_from(grant: dict) -> dict:
    return {
        "access_token": grant["access_token"],
        "refresh_token": grant.get("refresh_token"),
        "expires_at": time.time() + int(grant.get("expires_in", 0)),
    }


def fetch_profile(token: str) -> dict:
    return call("GET", members("/me"), token=token).json()


def sign_in(email: str, password: str) -> dict:
    """Exchange the credentials for tokens and start a server-side session; ApiError if wrong."""
    grant = call(
        "POST",
        members("/auth/token"),
        form={"grant_type": "password", "username": email, "password": password},
    ).json()
    tokens = _tokens_from(grant)
    person = fetch_profile(tokens["access_token"])
    sid = secrets.token_urlsafe(32)
    session.clear()
    session["sid"] = sid
    session.permanent = True
    _save(sid, tokens)
    _save_person(sid, person)
    g.portal_session, g.portal_person = tokens, person
    return person


def sign_out() -> None:
    """Forget the session here and revoke its refresh token at members."""
    data = current_session()
    sid = session.get("sid")
    if data and data.get("refresh_token"):
        with contextlib.suppress(ApiError):  # already revoked or expired: nothing to do
            call("POST", members("/auth/revoke"), form={"token": data["refresh_token"]})
    if sid:
        _redis().delete(_key(sid), PROFILE_PREFIX + sid)
    session.clear()
    g.portal_session = g.portal_person = None


def current_session() -> dict | None:
    """The signed-in session's data; none while Redis is unreachable (pages still render)."""
    if "portal_session" not in g:
        try:
            g.portal_session = _load(session.get("sid"))
        except redis.RedisError as exc:
            log.warning("session store unreachable: %s", exc.__class__.__name__)
            g.portal_session = None
    return g.portal_session


def current_person() -> dict | None:
    """The signed-in person's profile (id, email, language, organisation_id, role...): the copy
    kept for `PROFILE_TTL`, else members' answer to `/me` (which a deleted account no longer
    gets: its session ends)."""
    if "portal_person" not in g:
        try:
            g.portal_person = _person() if current_session() else None
        except redis.RedisError as exc:
            log.warning("session store unreachable: %s", exc.__class__.__name__)
            g.portal_person = None
    return g.portal_person


def _person() -> dict | None:
    sid = session["sid"]
    raw = _redis().get(PROFILE_PREFIX + sid)
    if raw:
        return json.loads(raw)
    token = access_token()
    if token is None:
        return None
    try:
        person = fetch_profile(token)
    except ApiError as error:
        if error.status == 401:  # revoked or deleted meanwhile: this session is over
            _redis().delete(_key(sid))
            session.pop("sid", None)
            g.portal_session = None
            return None
        raise
    _save_person(sid, person)
    return person


def remember_person(person: dict) -> None:
    """Keep the profile summary in step after the person changed it."""
    if current_session() is None:
        return
    _save_person(session["sid"], person)
    g.portal_person = person


def keep_for_next_page(name: str, value) -> None:
    """Keep `value` in the server-side session for the page a redirect leads to (Post/Redirect/
    Get); a one-time secret thus never travels in a URL or a cookie."""
    data = current_session()
    if data is None:
        return
    data.setdefault("next_page", {})[name] = value
    _save(session["sid"], data)


def take_from_last_page(name: str):
    """What `keep_for_next_page` kept under `name`, once: it is gone from the session after."""
    data = current_session()
    if data is None or name not in data.get("next_page", {}):
        return None
    value = data["next_page"].pop(name)
    _save(session["sid"], data)
    return value


def _refresh(sid: str) -> dict | None:
    """New tokens with the refresh token, under a lock: refresh tokens are single-use."""
    with _redis().lock(_key(sid) + ":lock", timeout=15, blocking_timeout=15):
        data = _load(sid)
        if data is None:
            return None
        if data["expires_at"] - REFRESH_MARGIN > time.time():
            return data  # another request of this session refreshed meanwhile
        try:
            grant = call(
                "POST",
                members("/auth/token"),
                form={"grant_type": "refresh_token", "refresh_token": data["refresh_token"]},
            ).json()
        except ApiError:
            _redis().delete(_key(sid))
            return None
        data.update(_tokens_from(grant))
        _save(sid, data)
        return data


def access_token(force_refresh: bool = False) -> str | None:
    """A valid access token of the signed-in person, renewed when it is about to expire."""
    data = current_session()
    if data is None:
        return None
    if force_refresh:
        data["expires_at"] = 0
        _save(session["sid"], data)
    if data["expires_at"] - REFRESH_MARGIN <= time.time():
        data = _refresh(session["sid"])
        g.portal_session = data
        if data is None:
            session.pop("sid", None)
            return None
    return data["access_token"]


def api(method: str, path: str, **kwargs):
    """A members or other API call as the signed-in person, retried once after a 401."""
    from flask_babel import get_locale

    kwargs.setdefault("language", str(get_locale()))
    token = access_token()
    try:
        return call(method, path, token=token, **kwargs)
    except ApiError as error:
        if error.status != 401 or token is None:
            raise
        token = access_token(force_refresh=True)
        if token is None:
            raise
        return call(method, path, token=token, **kwargs)


def login_required(view):
    """Send anonymous visitors to sign in, and back here afterwards."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_person() is None:
            return redirect(url_for("account.sign_in", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper


def org_admin_required(view):
    """Only an organisation's admins (and they manage their own organisation only)."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        person = current_person()
        if person.get("role") != "org_admin" or not person.get("organisation_id"):
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def platform_admin_required(view):
    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not current_person().get("is_platform_admin"):
            abort(403)
        return view(*args, **kwargs)

    return wrapper
