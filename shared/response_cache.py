"""Answer repeated anonymous GETs from memory while the data behind them is unchanged.

A service's public reads (members' directory, an organisation's profile) are the same for every
anonymous reader with the same query and language. Rendering one costs Flask, SQLAlchemy and
JSON; answering it again from memory costs one read of the data's version (a one-row table that
every write bumps in its own transaction). Each process keeps its own rendered responses, each
tagged with the version read *before* it was rendered, and reuses one only while the version is
unchanged: a reader never gets older data than the database holds, whichever process answers.

Requests with credentials, other methods and responses that are not public 200s go through the
app untouched; a request's `Cache-Control: no-cache` has its response rendered afresh.
`X-Cache: hit` or `miss` tells operators (and tests) which way a request went.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from cachetools import LRUCache
from flask import Flask
from werkzeug.http import parse_etags, unquote_etag

from shared.context import accept_or_new
from shared.observability import REQUEST_ID_HEADER, RULE_ENVIRON_KEY

log = logging.getLogger(__name__)

# What a response depends on: its path and query, the language asked for, and the host and
# scheme its links (`Link: <...>; rel="next"`) are built from.
_KEY_FIELDS = (
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_HOST",
    "wsgi.url_scheme",
    "SCRIPT_NAME",
)
_REQUEST_ID_ENVIRON = "HTTP_" + REQUEST_ID_HEADER.upper().replace("-", "_")
# Headers of a stored response that describe it, kept for a 304 (RFC 9110, section 15.4.5).
_NOT_MODIFIED_HEADERS = frozenset({"etag", "cache-control", "vary", "content-location", "expires"})


@dataclass(frozen=True)
class _Stored:
    version: object
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str | None
    rule: str


class ResponseCache:
    """WSGI middleware around a Flask app; see the module's docstring.

    `paths` says which paths may be stored; `version` reads the current version of their data
    (None: unknown, nothing is stored or reused). A process keeps at most `max_bytes` of
    answers, none larger than `max_body`.
    """

    def __init__(
        self,
        app: Flask,
        paths: re.Pattern,
        version: Callable[[], object | None],
        *,
        max_bytes: int = 16 * 1024 * 1024,
        max_body: int = 256 * 1024,
    ):
        self.app = app.wsgi_app
        self.paths = paths
        self.version = version
        self.max_body = max_body
        self.metrics = app.extensions["request_metrics"]
        # Bounded by the bodies' bytes, least recently used first out.
        self._stored: LRUCache = LRUCache(maxsize=max_bytes, getsizeof=lambda s: len(s.body) + 512)
        self._lock = threading.Lock()  # LRUCache reorders on every read
        app.wsgi_app = self

    def __call__(self, environ: dict, start_response):
        if (
            environ["REQUEST_METHOD"] != "GET"
            or "HTTP_AUTHORIZATION" in environ
            or not self.paths.match(environ.get("PATH_INFO", ""))
        ):
            return self.app(environ, start_response)
        started = time.perf_counter()
        try:
            version = self.version()
        except Exception:  # the database is unreachable: the app answers with its problem
            log.warning("response cache: could not read the data's version", exc_info=True)
            return self.app(environ, start_response)
        if version is None:
            return self.app(environ, start_response)
        key = tuple(environ.get(name) for name in _KEY_FIELDS)
        with self._lock:
            stored = self._stored.get(key)
        # A client's `Cache-Control: no-cache` asks for a fresh rendering (RFC 9111, 5.2.1.4).
        fresh = "no-cache" in environ.get("HTTP_CACHE_CONTROL", "")
        if stored is not None and stored.version == version and not fresh:
            return self._reuse(stored, environ, start_response, started)
        return self._render(key, version, environ, start_response)

    def _reuse(self, stored: _Stored, environ: dict, start_response, started: float):
        request_id = accept_or_new(environ.get(_REQUEST_ID_ENVIRON))
        extra = [(REQUEST_ID_HEADER, request_id), ("X-Cache", "hit")]
        if stored.etag and parse_etags(environ.get("HTTP_IF_NONE_MATCH")).contains_weak(
            stored.etag
        ):
            status, body = "304 NOT MODIFIED", b""
            headers = [h for h in stored.headers if h[0].lower() in _NOT_MODIFIED_HEADERS]
        else:
            status, body, headers = stored.status, stored.body, stored.headers
        start_response(status, [*headers, *extra])
        self.metrics.observe("GET", stored.rule, int(status[:3]), time.perf_counter() - started)
        return [body]

    def _render(self, key: tuple, version: object, environ: dict, start_response):
        answered: dict = {}

        def capture(status, headers, exc_info=None):
            answered.update(status=status, headers=list(headers))
            return start_response(status, [*headers, ("X-Cache", "miss")], exc_info)

        chunks = self.app(environ, capture)
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        stored = self._storable(version, answered, body, environ.get(RULE_ENVIRON_KEY))
        if stored is not None:
            with self._lock:
                self._stored[key] = stored
        return [body]

    def _storable(self, version, answered: dict, body: bytes, rule: str | None) -> _Stored | None:
        """A public 200 of a known route, small enough; None for anything else."""
        if not answered.get("status", "").startswith("200") or rule is None:
            return None
        if len(body) > self.max_body:
            return None
        headers = [(k, v) for k, v in answered["headers"] if k != REQUEST_ID_HEADER]
        named = {k.lower(): v for k, v in headers}
        if "public" not in named.get("cache-control", "") or "set-cookie" in named:
            return None
        return _Stored(version, answered["status"], headers, body, _etag(named), rule)


def _etag(named: dict) -> str | None:
    """The ETag's opaque value, as `contains_weak` compares it."""
    value = named.get("etag")
    return unquote_etag(value)[0] if value else None
