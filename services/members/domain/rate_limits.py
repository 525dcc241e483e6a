"""Sign-in throttling per account and per address, in Redis so every web process shares it.

A moving window of failures: an unknown e-mail counts like a wrong password, so the 429 reveals
no more than the 400 does.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import time

from flask import current_app
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import RedisError

from shared.errors import TooManyRequests

from .. import settings

log = logging.getLogger(__name__)


@functools.cache
def _limiter(url: str) -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(storage_from_string(url))


def _checks(email: str, address: str | None):
    account = parse(settings.get("LOGIN_RATE_LIMIT_ACCOUNT"))
    per_address = parse(settings.get("LOGIN_RATE_LIMIT_ADDRESS"))
    checks = [(account, "sign-in-account", email.strip().lower()[:254])]
    if address:
        checks.append((per_address, "sign-in-address", address))
    return checks


@contextlib.contextmanager
def _fail_open():
    # Redis down must not lock everybody out; the password check still stands on its own.
    try:
        yield
    except (RedisError, OSError):
        log.warning("sign-in rate limiting unavailable: Redis unreachable", exc_info=True)


def ensure_allowed(email: str, address: str | None) -> None:
    """TooManyRequests (with Retry-After) when the account or the address failed too often."""
    with _fail_open():
        _ensure_allowed(email, address)


def _ensure_allowed(email: str, address: str | None) -> None:
    limiter = _limiter(current_app.config["REDIS_URL"])
    for item, scope, key in _checks(email, address):
        if not limiter.test(item, scope, key):
            stats = limiter.get_window_stats(item, scope, key)
            wait = max(1, math.ceil(stats.reset_time - time.time()))
            raise TooManyRequests(
                "Too many failed sign-ins; try again later.",
                headers={"Retry-After": str(wait)},
            )


def record_failure(email: str, address: str | None) -> None:
    with _fail_open():
        limiter = _limiter(current_app.config["REDIS_URL"])
        for item, scope, key in _checks(email, address):
            limiter.hit(item, scope, key)


def clear_account(email: str) -> None:
    """A successful sign-in forgives the account's failures (not the address's)."""
    with _fail_open():
        limiter = _limiter(current_app.config["REDIS_URL"])
        item, scope, key = _checks(email, None)[0]
        limiter.clear(item, scope, key)
