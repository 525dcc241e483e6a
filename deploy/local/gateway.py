"""Development gateway: the one public URL of `make run`, routing as nginx does in compose.

`/api/<service>/` goes to that service's gunicorn, everything else to the portal (or, while
there is no portal process, to a page that lists the APIs). For development only: production
uses nginx (deploy/nginx/).
"""

from __future__ import annotations

import json
import os
from html import escape

from werkzeug.middleware.http_proxy import ProxyMiddleware
from werkzeug.wrappers import Request, Response

# This file is a process entry point, like gunicorn's config: it reads its own wiring.
ROUTES = json.loads(os.environ.get("GATEWAY_ROUTES", "{}"))


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


class _Gateway(ProxyMiddleware):
    """ProxyMiddleware with a catch-all upstream: its own `targets` cannot hold `/` (it would
    become `//` and match nothing), so what no `/api/<name>/` prefix takes goes to `fallback`."""

    def __init__(self, targets: dict, fallback: str | None):
        super().__init__(_landing, targets)
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
        if self.fallback is None or any(path.startswith(prefix) for prefix in self.targets):
            return super().__call__(environ, start_response)
        return self.proxy_to(self.fallback, path, "/")(environ, start_response)


def build(routes: dict[str, str]):
    """A WSGI app proxying `/api/<name>/` to each upstream, and the rest to the portal if any."""
    targets = {
        f"/api/{name}/": {"target": upstream, "host": None}
        for name, upstream in routes.items()
        if name != "portal"
    }
    return _Gateway(targets, routes.get("portal"))


app = build(ROUTES)
