"""Calls to the platform's public APIs over HTTP, problem+json errors turned into exceptions."""

from __future__ import annotations

import logging
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
    """One connection pool per app, so the portal reuses its connections to the gateway."""
    pool = current_app.extensions.get("portal_http")
    if pool is None:
        pool = requests.Session()
        current_app.extensions["portal_http"] = pool
    return pool


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
    headers = {"Accept": "application/json", **(headers or {})}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if language:
        headers["Accept-Language"] = language
    request_id = g.get("request_id")
    if request_id:
        headers[REQUEST_ID_HEADER] = request_id
    if has_request_context():  # members limits sign-ins per person's address, not the portal's
        address = client_address.of_request(request)
        if address:
            headers["X-Forwarded-For"] = address
    url = current_app.config["PORTAL_API_URL"] + path
    try:
        response = _http().request(
            method,
            url,
            headers=headers,
            json=json,
            data=form,
            params={k: v for k, v in (params or {}).items() if v not in (None, "")},
            timeout=timeout or current_app.config["PORTAL_API_TIMEOUT"],
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        log.warning("API %s %s failed: %s", method, path, exc.__class__.__name__)
        raise ApiUnavailable(str(exc)) from exc
    if response.status_code >= 500:
        log.warning("API %s %s answered %s", method, path, response.status_code)
        raise ApiUnavailable(f"{response.status_code} from {path}")
    if response.status_code >= 400:
        raise ApiError.from_response(response)
    return response


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
