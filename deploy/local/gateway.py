"""Development gateway: the one public URL of `make run`, routing as nginx does in compose.

`/api/<service>/` goes to that service's gunicorn, any other `/api/...` path is a problem+json
404, everything else goes to the portal (or, while there is no portal process, to a page that
lists the APIs). Like nginx, it answers its own errors as problem+json: a body over
`MAX_CONTENT_LENGTH` (the services' own limit) is a 413 before anything is sent upstream, an
upstream that does not answer is a 502, one that is too slow a 504. For development only:
production uses nginx (deploy/nginx/).
"""

from __future__ import annotations

import json
import os
import sys
from html import escape
from io import BytesIO

from werkzeug.middleware.http_proxy import ProxyMiddleware
from werkzeug.wrappers import Request, Response

# This file is a process entry point, like gunicorn's config: it reads its own wiring.
ROUTES = json.loads(os.environ.get("GATEWAY_ROUTES", "{}"))
MAX_BODY = int(os.environ.get("MAX_CONTENT_LENGTH", str(1024 * 1024)))
# An oversized body up to this size is read and dropped before the 413, so the client can finish
# sending, read the answer and keep its connection; beyond it gunicorn closes the connection.
DISCARD_AT_MOST = 64 * 1024 * 1024
UPSTREAM_TIMEOUT = float(os.environ.get("GATEWAY_UPSTREAM_TIMEOUT", "60"))
PROBLEM_MIMETYPE = "application/problem+json"


def problem(status: int, title: str, detail: str) -> Response:
    """A problem+json answer made by the gateway itself (the services' format, RFC 9457)."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE)


@Request.application
def _landing(request: Request) -> Response:
    links = "".join(
        f'<li><a href="/api/{name}/v1/docs">{escape(name)}</a> — '
        f'<a href="/api/{name}/v1/openapi.json">OpenAPI</a></li>'
        for name in ROUTES
        if name != "portal"
    )
    body = (
        "<!doctype html><html lang=en><meta charset=utf-8>"
        "<title>Sino-Sophipolitan Cooperation Platform</title>"
        "<h1>Sino-Sophipolitan Cooperation Platform</h1>"
        f"<p>The APIs, with interactive documentation:</p><ul>{links}</ul>"
    )
    return Response(body, status=200 if request.path == "/" else 404, mimetype="text/html")


def _declared_length(environ) -> int | None:
    try:
        return int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def _discard(stream, length: int) -> None:
    while length > 0:
        chunk = stream.read(min(length, 65536))
        if not chunk:
            return
        length -= len(chunk)


class _Gateway(ProxyMiddleware):
    """ProxyMiddleware with a catch-all upstream, a body limit and problem+json errors.

    Its own `targets` cannot hold `/` (it would become `//` and match nothing), so what no
    `/api/<name>/` prefix takes goes to `fallback`.
    """

    def __init__(self, targets: dict, fallback: str | None, max_body: int = MAX_BODY):
        super().__init__(_landing, targets, timeout=UPSTREAM_TIMEOUT)
        self.max_body = max_body
        self.fallback = {
            "target": fallback,
            "host": None,
            "remove_prefix": False,
            "headers": {},
            "ssl_context": None,
        }
        if fallback is None:
            self.fallback = None

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
        routed = any(path.startswith(prefix) for prefix in self.targets)
        if path.startswith("/api/") and not routed:
            return problem(404, "Not found", "No API is served under this path.")(
                environ, start_response
            )
        refused = self._refuse_large_body(environ)
        if refused is not None:
            return refused(environ, start_response)
        if self.fallback is None or routed:
            app = super().__call__
        else:
            app = self.proxy_to(self.fallback, path, "/")
        return _own_errors_as_problems(app)(environ, start_response)

    def _refuse_large_body(self, environ) -> Response | None:
        """A 413 for a body over the limit; a chunked body is read (to the limit) to know."""
        length = _declared_length(environ)
        stream = environ["wsgi.input"]
        if length is None and "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            body = stream.read(self.max_body + 1)
            if len(body) <= self.max_body:
                environ["wsgi.input"] = BytesIO(body)
                environ["CONTENT_LENGTH"] = str(len(body))
                environ.pop("HTTP_TRANSFER_ENCODING", None)
                return None
            length = self.max_body + 1
        elif length is None or length <= self.max_body:
            return None
        elif length <= DISCARD_AT_MOST:
            _discard(stream, length)
        return problem(
            413,
            "Request body too large",
            f"The body is larger than the platform accepts ({self.max_body} bytes).",
        )


def _own_errors_as_problems(app):
    """werkzeug's proxy answers an unreachable upstream with an HTML 502 page: send problem+json.

    It calls `start_response` from inside its `except OSError` block, so the error is at hand:
    a timeout is a 504, anything else a 502. Upstreams' own answers pass untouched.
    """

    def application(environ, start_response):
        replaced: list[Response] = []

        def spy(status, headers, exc_info=None):
            error = sys.exc_info()[1]
            if not (status.startswith("502") and isinstance(error, OSError)):
                return start_response(status, headers, exc_info)
            if isinstance(error, TimeoutError):
                own = problem(504, "Gateway timeout", "The service behind this URL took too long.")
            else:
                own = problem(502, "Bad gateway", "The service behind this URL is not answering.")
            replaced.append(own)
            return start_response(own.status, list(own.headers.items()))

        body = app(environ, spy)
        if not replaced:
            return body
        if hasattr(body, "close"):
            body.close()
        return [replaced[0].get_data()]

    return application


def build(routes: dict[str, str], max_body: int = MAX_BODY):
    """A WSGI app proxying `/api/<name>/` to each upstream, and the rest to the portal if any."""
    targets = {
        f"/api/{name}/": {"target": upstream, "host": None}
        for name, upstream in routes.items()
        if name != "portal"
    }
    return _Gateway(targets, routes.get("portal"), max_body)


app = build(ROUTES)
