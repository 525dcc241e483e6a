"""Sign-in and password-reset throttling in Redis (shared by every web process and worker).

Sign-in failures slow down the address that makes them, never the account's owner elsewhere:

- per account *from one address*: tiers of moving windows (by default 5 a minute, 10 in 15
  minutes, 20 a day), so the wait grows with the failures (429 with Retry-After);
- per address overall (30 in 15 minutes, 100 a day): one address trying many accounts;
- per account overall (20 in 15 minutes): an account under attack from many addresses. Then
  only the addresses that already failed on it are refused; an address with no failure on the
  account still signs in, so nobody can lock the owner out by failing on purpose.

An unknown e-mail counts exactly like a wrong password, so a 429 reveals no more than a 400.
A success forgives that account's failures from that address (not the address's own).
Password resets are limited per address (a 429 in the request) and per account (the task quietly
sends no more e-mails, so the answer never depends on whether the account exists).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import time

from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import RedisError

from shared.errors import TooManyRequests

from .. import settings

log = logging.getLogger(__name__)


@functools.cache
def _limiter(url: str) -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(storage_from_string(url))


def _current() -> MovingWindowRateLimiter:
    return _limiter(settings.get("REDIS_URL"))


def _account(email: str) -> str:
    return email.strip().lower()[:254]


@contextlib.contextmanager
def _fail_open():
    # Redis down must not lock everybody out; the password check still stands on its own.
    try:
        yield
    except (RedisError, OSError):
        log.warning("rate limiting unavailable: Redis unreachable", exc_info=True)


def _wait(limiter, items, *identifiers) -> int | None:
    """Seconds until every exhausted tier of `items` frees a slot, or None when none is."""
    waits = []
    for item in items:
        if not limiter.test(item, *identifiers):
            reset = limiter.get_window_stats(item, *identifiers).reset_time
            waits.append(max(1, math.ceil(reset - time.time())))
    return max(waits) if waits else None


def _too_many(wait: int, what: str) -> TooManyRequests:
    return TooManyRequests(
        f"{what} Try again in {wait} seconds.", headers={"Retry-After": str(wait)}
    )


def _sign_in_tiers():
    return (
        parse_many(settings.get("LOGIN_RATE_LIMIT_ACCOUNT_ADDRESS")),
        parse_many(settings.get("LOGIN_RATE_LIMIT_ADDRESS")),
        parse_many(settings.get("LOGIN_RATE_LIMIT_ACCOUNT")),
    )


def ensure_sign_in_allowed(email: str, address: str | None) -> None:
    """TooManyRequests (with Retry-After) when this address failed too often, on this account
    or overall, or failed on this account while the account is under attack."""
    with _fail_open():
        limiter = _current()
        pair, per_address, per_account = _sign_in_tiers()
        account = _account(email)
        origin = address or "unknown"
        wait = _wait(limiter, pair, "sign-in-pair", account, origin)
        if wait is None and address:
            wait = _wait(limiter, per_address, "sign-in-address", address)
        if wait is None:
            attacked = _wait(limiter, per_account, "sign-in-account", account)
            longest = max(pair, key=lambda item: item.get_expiry())
            failed_here = limiter.get_window_stats(longest, "sign-in-pair", account, origin)
            if attacked is not None and failed_here.remaining < longest.amount:
                wait = attacked
        if wait is not None:
            raise _too_many(wait, "Too many failed sign-ins from your address.")


def record_sign_in_failure(email: str, address: str | None) -> None:
    with _fail_open():
        limiter = _current()
        pair, per_address, per_account = _sign_in_tiers()
        account = _account(email)
        for item in pair:
            limiter.hit(item, "sign-in-pair", account, address or "unknown")
        if address:
            for item in per_address:
                limiter.hit(item, "sign-in-address", address)
        for item in per_account:
            limiter.hit(item, "sign-in-account", account)


def clear_sign_in_failures(email: str, address: str | None) -> None:
    """A success forgives this account's failures from this address (not the address's own)."""
    with _fail_open():
        limiter = _current()
        for item in _sign_in_tiers()[0]:
            limiter.clear(item, "sign-in-pair", _account(email), address or "unknown")


def ensure_reset_allowed(address: str | None) -> None:
    """TooManyRequests when this address asked for too many password resets."""
    if not address:
        return
    with _fail_open():
        limiter = _current()
        items = parse_many(settings.get("PASSWORD_RESET_RATE_LIMIT_ADDRESS"))
        wait = _wait(limiter, items, "reset-address", address)
        if wait is not None:
            raise _too_many(wait, "Too many password reset requests from your address.")
        for item in items:
            limiter.hit(item, "reset-address", address)


def account_email_allowed(kind: str, email: str) -> bool:
    """Whether one more e-mail of this kind (a reset, a registration notice) may go to this
    address now, counting it when it may: nobody can flood someone's mailbox through us."""
    allowed = True
    with _fail_open():
        limiter = _current()
        items = parse_many(settings.get("PASSWORD_RESET_RATE_LIMIT_ACCOUNT"))
        allowed = _wait(limiter, items, f"{kind}-account", _account(email)) is None
        if allowed:
            for item in items:
                limiter.hit(item, f"{kind}-account", _account(email))
    return allowed
