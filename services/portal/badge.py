"""The header's unread count: how many unread notifications the signed-in person has.

Cheap enough for every page: it revalidates the last answer with its ETag (a 304 when the inbox
has not changed), remembers ETag and count in the session cookie, asks once per request (the
question usually set off with the page's own calls, `layout_reads`), and answers None at once,
without failing the page, while notifications is down.
"""

from __future__ import annotations

import logging
import time

import redis
import requests
from flask import g, session

from . import layout_reads
from .api_client import ApiError, ApiUnavailable, call
from .auth import access_token, current_person

log = logging.getLogger(__name__)
BADGE_PAUSE = 30.0  # seconds without asking again after notifications did not answer


def unread_count() -> int | None:
    """The count for this request; None to hide the badge."""
    if "unread_count" in g:
        return g.unread_count
    g.unread_count = None
    if current_person() is None:
        return None
    question = layout_reads.unread_call()
    if question is None:
        return None
    cached = session.get("unread") or {}
    try:
        response = layout_reads.answer("unread")
        if isinstance(response, ApiError | ApiUnavailable):
            if not (isinstance(response, ApiError) and response.status == 401):
                raise response
            response = None  # the token expired meanwhile: asked again below, renewed
        if response is None:
            token = access_token()
            if token is None:
                return None
            response = call(
                "GET",
                question.path,
                token=token,
                headers=question.headers,
                timeout=question.timeout,
            )
        if response.status_code == 304 and "count" in cached:
            g.unread_count = cached["count"]
        elif response.status_code == 200:
            g.unread_count = int(response.json()["unread"])
            session["unread"] = {"etag": response.headers.get("ETag"), "count": g.unread_count}
        else:
            raise ApiUnavailable(f"{response.status_code} from the unread count")
    except (
        ApiError,
        ApiUnavailable,
        requests.RequestException,
        redis.RedisError,
        ValueError,
        KeyError,
    ) as exc:
        log.warning("unread count unavailable: %s", exc.__class__.__name__)
        session["unread"] = {"pause_until": time.time() + BADGE_PAUSE}
        g.unread_count = None
    return g.unread_count
