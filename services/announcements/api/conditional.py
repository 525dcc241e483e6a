"""Conditional GET for public lists and feeds: a 304 costs one indexed query, no rendering."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from cachetools import LRUCache
from flask import Response, request

from ..domain import feeds
from ..models import db

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CACHE_SIZE = 64
_cache: LRUCache[str, object] = LRUCache(maxsize=CACHE_SIZE)
_cache_lock = threading.Lock()


def validators(starts_after: datetime | None = None) -> tuple[str, datetime]:
    """The ETag and Last-Modified of this URL as things stand; for a list of what starts after
    `starts_after`, also until the next start (the list changes then, though no row does)."""
    changed = feeds.last_change(db.session) or EPOCH
    language = request.headers.get("Accept-Language", "")
    key = f"{changed.isoformat()}|{request.full_path}|{language}"
    if starts_after is not None:
        key += f"|{feeds.next_start(db.session, starts_after)}"
    key = key.encode()
    return hashlib.sha256(key).hexdigest()[:32], changed.replace(microsecond=0)


def not_modified(etag: str, last_modified: datetime) -> Response | None:
    """A 304 when the client's copy is current (ETag first, then the date), else None."""
    if request.if_none_match:
        fresh = request.if_none_match.contains_weak(etag)
    elif request.if_modified_since:
        fresh = last_modified <= request.if_modified_since
    else:
        return None
    if not fresh:
        return None
    response = Response(status=304)
    stamp(response, etag, last_modified)
    return response


def stamp(response: Response, etag: str, last_modified: datetime) -> Response:
    response.set_etag(etag, weak=True)
    response.last_modified = last_modified
    response.headers["Cache-Control"] = "public, max-age=0, must-revalidate"
    response.vary.update(("Authorization", "Accept-Language"))
    return response


def rendered(etag: str, render: Callable[[], object]):
    """The body for this ETag, rendered once per process while nothing changes.

    The ETag covers the URL and the last change to any announcement, so a cached body is
    exactly what rendering again would give.
    """
    with _cache_lock:
        body = _cache.get(etag)  # a hit counts as a use: the least recently used goes first
    if body is None:
        body = render()
        with _cache_lock:
            _cache[etag] = body
    return body
