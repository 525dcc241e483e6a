"""Real servers for portal tests: members served over HTTP in a thread, data seeded through it."""

from __future__ import annotations

import re
import threading

from werkzeug.serving import make_server

from tests.support.servers import free_port

CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


class ThreadedServer:
    """A WSGI app on a free local port, served by werkzeug in a daemon thread."""

    def __init__(self, app):
        self.port = free_port()
        self.server = make_server("127.0.0.1", self.port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ThreadedServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(10)


def csrf_token(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1) or found.group(2)
