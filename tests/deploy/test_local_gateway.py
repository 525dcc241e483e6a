"""The `make run` gateway (deploy/local/gateway.py) under gunicorn, as the Procfile runs it.

In front of fake upstreams: its own errors are problem+json like nginx's (413 before anything is
sent upstream, 502 for a service that is down, 504 for one too slow, 404 for an unknown API), and
a refused body leaves the keep-alive connection usable.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from tests.support.servers import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 64 * 1024
PROBLEM = "application/problem+json"


class _Upstream(BaseHTTPRequestHandler):
    """Says who it is and how many body bytes it got; `/slow` answers after the test is done."""

    protocol_version = "HTTP/1.1"
    service = "?"
    release = threading.Event()

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        received = len(self.rfile.read(length)) if length else 0
        if self.path.endswith("/slow"):
            self.release.wait(10)
        body = json.dumps({"service": self.service, "path": self.path, "received": received})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    do_GET = do_POST = _answer

    def log_message(self, *_args):
        pass


@pytest.fixture(scope="module")
def gateway():
    servers, routes = [], {}
    for name in ("members", "portal"):
        handler = type(f"{name}Handler", (_Upstream,), {"service": name})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(server)
        routes[name] = f"http://127.0.0.1:{server.server_address[1]}"
    routes["projects"] = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    port = free_port()
    env = {
        **os.environ,
        "GATEWAY_ROUTES": json.dumps(routes),
        "MAX_CONTENT_LENGTH": str(LIMIT),
        "GATEWAY_UPSTREAM_TIMEOUT": "0.5",
    }
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"),
            *("--worker-class", "gthread", "--threads", "4", "--workers", "1"),
            *("--pythonpath", str(ROOT / "deploy" / "local"), "gateway:app"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, timeout=30)
        yield port
    finally:
        _Upstream.release.set()
        process.terminate()
        process.wait(timeout=15)
        for server in servers:
            server.shutdown()
            server.server_close()


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.text[:200]
    assert response.headers["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["title"]
    return body


def test_a_body_over_the_limit_is_a_413_problem_and_the_connection_stays_usable(gateway):
    connection = http.client.HTTPConnection("127.0.0.1", gateway, timeout=10)
    connection.request("POST", "/api/members/v1/x", body=b"x" * (LIMIT * 4))
    refused = connection.getresponse()
    assert refused.status == 413
    assert refused.getheader("Content-Type") == PROBLEM
    assert json.loads(refused.read())["status"] == 413
    connection.request("GET", "/api/members/v1/after")  # the same connection, kept alive
    after = connection.getresponse()
    assert after.status == 200
    assert json.loads(after.read()) == {
        "service": "members",
        "path": "/api/members/v1/after",
        "received": 0,
    }
    connection.close()


def test_a_chunked_body_over_the_limit_is_a_413_and_one_within_it_reaches_the_service(gateway):
    def chunks(total):
        for _ in range(total // 8192):
            yield b"y" * 8192

    url = f"http://127.0.0.1:{gateway}/api/members/v1/upload"
    _problem(requests.post(url, data=chunks(LIMIT * 2), timeout=10), 413)
    accepted = requests.post(url, data=chunks(LIMIT // 2), timeout=10)
    assert accepted.status_code == 200
    assert accepted.json()["received"] == LIMIT // 2
    exact = requests.post(url, data=b"z" * LIMIT, timeout=10)
    assert exact.json()["received"] == LIMIT


def test_a_service_that_is_down_is_a_502_problem(gateway):
    body = _problem(requests.get(f"http://127.0.0.1:{gateway}/api/projects/v1/x", timeout=10), 502)
    assert "not answering" in body["detail"]


def test_a_service_too_slow_is_a_504_problem(gateway):
    answer = requests.get(f"http://127.0.0.1:{gateway}/api/members/v1/slow", timeout=10)
    _problem(answer, 504)


def test_an_unknown_api_is_a_404_problem_and_other_paths_go_to_the_portal(gateway):
    base = f"http://127.0.0.1:{gateway}"
    for path in ("/api/no-such-service/v1/x", "/api/", "/api/projectsx/v1/x"):
        _problem(requests.get(base + path, timeout=10), 404)
    assert requests.get(base + "/apis/x", timeout=10).json()["service"] == "portal"
    assert requests.get(base + "/", timeout=10).json()["service"] == "portal"
