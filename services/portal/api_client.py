"""Calls to the platform's public APIs over HTTP, problem+json errors turned into exceptions."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import requests
from flask import current_app, g, has_request_context, request

from shared import client_address
from shared.observability import REQUEST_ID_HEADER

log = logging.getLogger(__name__)


class ApiUnavailable(Exception):
    """The API did not answer in time or answered with a server error."""


# The token endpoint answers RFC 6749 `{"error"}` bodies: their problem codes (members').
_OAUTH_CODES = {
    name: f"oauth.{name}"
    for name in (
        "invalid_request",
        "invalid_client",
        "invalid_grant",
        "unauthorized_client",
        "unsupported_grant_type",
        "invalid_scope",
    )
}


@dataclass(eq=False)
class ApiError(Exception):
    """A 4xx answer: its status, stable `code`, title, detail and field errors by JSON pointer."""

    status: int
    code: str = ""
    title: str = ""
    detail: str = ""
    errors: list[dict] = field(default_factory=list)
    body: dict = field(default_factory=dict)

    @classmethod
    def from_response(cls, response: requests.Response) -> ApiError:
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        return cls(
            status=response.status_code,
            code=str(body.get("code") or _OAUTH_CODES.get(str(body.get("error")), "")),
            title=str(body.get("title") or body.get("error") or response.reason or ""),
            detail=str(body.get("detail") or body.get("error_description") or ""),
            errors=[e for e in body.get("errors") or [] if isinstance(e, dict)],
            body=body,
        )

    def field_errors(self) -> dict[str, list[str]]:
        """Messages by pointer without its leading slash (`organisation/name`)."""
        found: dict[str, list[str]] = {}
        for error in self.errors:
            key = (error.get("pointer") or error.get("parameter") or "").strip("/")
            found.setdefault(key, []).append(str(error.get("detail", "")))
        return found


def _http() -> requests.Session:
    """One connection pool per app, so the portal reuses its connections to the gateway; as
    many connections as `call_all`'s threads may use at once."""
    pool = current_app.extensions.get("portal_http")
    if pool is None:
        pool = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_maxsize=_POOL_SIZE * 2)
        pool.mount("http://", adapter)
        pool.mount("https://", adapter)
        current_app.extensions["portal_http"] = pool
    return pool


def _outgoing_headers(token: str | None, language: str | None, headers: dict | None) -> dict:
    """A request's headers: the caller's, its token and language, and what this request passes
    on (its request id; the person's address, since members limits sign-ins per address)."""
    headers = {"Accept": "application/json", **(headers or {})}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if language:
        headers["Accept-Language"] = language
    request_id = g.get("request_id")
    if request_id:
        headers[REQUEST_ID_HEADER] = request_id
    if has_request_context():
        address = client_address.of_request(request)
        if address:
            headers["X-Forwarded-For"] = address
    return headers


def _send(
    pool: requests.Session,
    url: str,
    method: str,
    path: str,
    headers: dict,
    *,
    json: dict | None = None,
    form: dict | None = None,
    params: dict | None = None,
    timeout: float,
) -> requests.Response:
    """The HTTP exchange, with nothing of Flask's: safe on any thread. Errors as `call` says."""
    try:
        response = pool.request(
            method,
            url,
            headers=headers,
            json=json,
            data=form,
            params={k: v for k, v in (params or {}).items() if v not in (None, "")},
            timeout=timeout,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        raise ApiUnavailable(f"{method} {path} failed: {exc.__class__.__name__}") from exc
    if response.status_code >= 500:
        raise ApiUnavailable(f"{response.status_code} from {path}")
    if response.status_code >= 400:
        raise ApiError.from_response(response)
    return response


def call(
    method: str,
    path: str,
    *,
    token: str | None = None,
    json: dict | None = None,
    form: dict | None = None,
    params: dict | None = None,
    language: str | None = None,
    headers: dict | None = None,
    timeout: float | None = None,
) -> requests.Response:
    """One API request; 2xx and 304 returned, 4xx raised as ApiError, the rest ApiUnavailable."""
    try:
        return _send(
            _http(),
            current_app.config["PORTAL_API_URL"] + path,
            method,
            path,
            _outgoing_headers(token, language, headers),
            json=json,
            form=form,
            params=params,
            timeout=timeout or current_app.config["PORTAL_API_TIMEOUT"],
        )
    except ApiUnavailable as exc:
        log.warning("API %s %s: %s", method, path, exc)
        raise


@dataclass(frozen=True)
class Call:
    """One GET (or other method) of `call_all`, by its path and parameters."""

    path: str
    params: dict | None = None
    method: str = "GET"
    headers: dict | None = None
    timeout: float | None = None  # seconds; the portal's API timeout when None


Outcome = requests.Response | ApiError | ApiUnavailable
_POOL_SIZE = 8
_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _threads() -> ThreadPoolExecutor:
    """The process's few threads for concurrent API calls, started on first use (after a
    server's fork, never before)."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(_POOL_SIZE, thread_name_prefix="portal-api")
        return _executor


class Pending:
    """Calls under way; `results()` waits for them all."""

    def __init__(self, futures: dict[str, Future], calls: dict[str, Call]):
        self._futures = futures
        self._calls = calls

    def results(self) -> dict[str, Outcome]:
        """Each call's response, or its ApiError or ApiUnavailable as a value (one failing
        panel does not fail the others); any other exception is raised."""
        outcomes: dict[str, Outcome] = {}
        for name, future in self._futures.items():
            try:
                outcomes[name] = future.result()
            except ApiError as error:
                outcomes[name] = error
            except ApiUnavailable as exc:
                call_ = self._calls[name]
                log.warning("API %s %s: %s", call_.method, call_.path, exc)
                outcomes[name] = exc
        return outcomes


def start_all(
    calls: dict[str, Call], *, token: str | None = None, language: str | None = None
) -> Pending:
    """Independent API calls started at once on a small thread pool, as the same caller.

    Everything taken from the request (token, language, request id, the person's address, the
    API's URL and timeout) is read here, on the request's thread; the threads only talk HTTP,
    on the app's connection pool. The request's thread may do other work before `results()`.
    """
    pool = _http()
    base = current_app.config["PORTAL_API_URL"]
    timeout = current_app.config["PORTAL_API_TIMEOUT"]
    futures = {
        name: _threads().submit(
            _send,
            pool,
            base + c.path,
            c.method,
            c.path,
            _outgoing_headers(token, language, c.headers),
            params=c.params,
            timeout=c.timeout or timeout,
        )
        for name, c in calls.items()
    }
    return Pending(futures, dict(calls))


def call_all(
    calls: dict[str, Call], *, token: str | None = None, language: str | None = None
) -> dict[str, Outcome]:
    """`start_all(...).results()`: each call's response or error, by name."""
    return start_all(calls, token=token, language=language).results()


def members(path: str) -> str:
    """The path of a members API resource."""
    return f"/api/members/v1{path}"


def projects(path: str) -> str:
    """The path of a projects API resource."""
    return f"/api/projects/v1{path}"


def announcements(path: str) -> str:
    """The path of an announcements API resource."""
    return f"/api/announcements/v1{path}"


def notifications(path: str) -> str:
    """The path of a notifications API resource."""
    return f"/api/notifications/v1{path}"


def quietly(fetch) -> list:
    """What `fetch()` returns, or nothing while its service does not answer: for a panel of a
    page that must render anyway (home, dashboard)."""
    try:
        return fetch()
    except ApiUnavailable as exc:
        log.warning("a page panel is empty, its API is unavailable: %s", exc)
        return []
