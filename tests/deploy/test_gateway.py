"""The nginx gateway: its routes match the services, its config is valid, and it really routes."""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests.deploy.support import (
    NGINX_TEMPLATE,
    command_args,
    gunicorn_app,
    load_compose,
    local_gateway_variables,
    render_local_gateway,
    require_binary,
    service_packages,
    template_variables,
)
from tests.support.servers import free_port, wait_for_port


def nginx_binary() -> str:
    return require_binary("nginx", "/usr/sbin/nginx")


def template_routes() -> dict[str, str]:
    """location prefix -> the template variable naming its upstream."""
    text = NGINX_TEMPLATE.read_text(encoding="utf-8")
    routes = {}
    blocks = re.findall(r"location\s+(/[^\s{]*)\s*\{((?:[^{}]|\$\{\w+\})*)\}", text)
    for prefix, body in blocks:
        proxied = re.search(r"proxy_pass\s+http://\$(\w+);", body)
        if not proxied:
            continue
        assigned = re.search(rf"set\s+\${proxied.group(1)}\s+\$\{{(\w+)\}};", body)
        assert assigned, f"location {prefix} proxies to ${proxied.group(1)}, which it never sets"
        routes[prefix] = assigned.group(1)
    assert routes, f"no proxied location found in {NGINX_TEMPLATE}"
    return routes


@pytest.fixture(scope="module")
def compose_services() -> dict:
    return load_compose()["services"]


def test_every_api_location_proxies_to_a_compose_service_that_serves_that_api(compose_services):
    environment = compose_services["gateway"]["environment"]
    for prefix, variable in template_routes().items():
        assert variable in environment, f"compose gives the gateway no {variable} ({prefix})"
        host, _, port = environment[variable].partition(":")
        assert host in compose_services, f"{prefix} proxies to {host}, not a compose service"
        assert port == "8000", f"{prefix}: the services listen on 8000 in their containers"
        app = gunicorn_app(command_args(compose_services[host].get("command")))
        expected = "portal" if prefix == "/" else prefix.split("/")[2]
        assert app == f"services.{expected}:create_app()", f"{prefix} reaches {host} ({app})"


def test_every_service_package_is_routed_under_its_api_prefix_and_the_portal_at_the_root():
    routes = template_routes()
    for package in service_packages():
        prefix = "/" if package.name == "portal" else f"/api/{package.name}/"
        assert routes.get(prefix) == f"{package.name.upper()}_UPSTREAM", (
            f"the gateway does not route {prefix} to {package.name}"
        )


def test_compose_sets_every_template_variable_and_the_filter_spares_nginx_variables(
    compose_services,
):
    environment = compose_services["gateway"]["environment"]
    variables = template_variables()
    assert variables, "the template has no ${...} placeholders"
    envsubst_filter = re.compile(environment["NGINX_ENVSUBST_FILTER"].replace("$$", "$"))
    for variable in variables:
        assert variable in environment, f"compose does not set {variable} for the gateway"
        assert envsubst_filter.search(variable), f"NGINX_ENVSUBST_FILTER skips {variable}"
    nginx_variables = set(re.findall(r"\$([a-z_0-9]+)", NGINX_TEMPLATE.read_text()))
    assert not [name for name in nginx_variables if envsubst_filter.search(name)]


def test_the_local_rendering_leaves_no_placeholder_behind(tmp_path):
    config = render_local_gateway(tmp_path, local_gateway_variables())
    rendered = (config.parent / "conf.d" / "default.conf").read_text()
    assert not re.findall(r"\$\{\w+\}", rendered)
    assert "proxy_pass http://$members_upstream;" in rendered
    assert "127.0.0.1:8001" in rendered


def test_nginx_accepts_the_rendered_local_configuration(tmp_path):
    nginx = nginx_binary()
    config = render_local_gateway(tmp_path, local_gateway_variables())
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(config), "-e", "stderr"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr


class _Upstream(BaseHTTPRequestHandler):
    """Answers with who it is and what it received, so a test sees where nginx sent a request."""

    service = "?"

    def do_GET(self):
        body = json.dumps(
            {"service": self.service, "path": self.path, "headers": dict(self.headers)}
        ).encode()
        if self.path.endswith("/big"):
            body = json.dumps({"service": self.service, "padding": "x" * 5000}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Request-ID", "set-by-upstream")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


@pytest.fixture
def running_gateway(tmp_path):
    """nginx with the rendered configuration in front of fake services (projects left down)."""
    nginx = nginx_binary()
    servers, upstreams = [], {}
    for name in ("members", "announcements", "notifications", "portal"):
        handler = type(f"{name}Handler", (_Upstream,), {"service": name})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(server)
        upstreams[f"{name.upper()}_UPSTREAM"] = f"127.0.0.1:{server.server_address[1]}"
    upstreams["PROJECTS_UPSTREAM"] = f"127.0.0.1:{free_port()}"  # nothing listens there
    port = free_port()
    config = render_local_gateway(tmp_path, local_gateway_variables(port, upstreams))
    process = subprocess.Popen(
        [nginx, "-p", str(tmp_path), "-c", str(config), "-e", "stderr", "-g", "daemon off;"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                pytest.fail(f"nginx exited: {process.stderr.read().decode()}")
            try:
                wait_for_port(port, timeout=0.2)
                break
            except TimeoutError:
                if time.monotonic() > deadline:
                    raise
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        if process.poll() is None:
            process.kill()
        for server in servers:
            server.shutdown()
            server.server_close()


def test_gateway_routes_each_api_prefix_to_its_service_and_the_rest_to_the_portal(
    running_gateway,
):
    url, _ = running_gateway
    for path, service in (
        ("/api/members/v1/organisations?page=2", "members"),
        ("/api/announcements/v1/news", "announcements"),
        ("/api/notifications/v1/subscriptions", "notifications"),
        ("/", "portal"),
        ("/organisations/42", "portal"),
    ):
        answer = requests.get(url + path, timeout=5)
        assert answer.status_code == 200, path
        assert answer.json()["service"] == service, path
        assert answer.json()["path"] == path, "the gateway must not rewrite the path"


def test_gateway_passes_the_callers_request_id_on_or_makes_one(running_gateway):
    url, _ = running_gateway
    sent = requests.get(url + "/api/members/v1/x", headers={"X-Request-ID": "abc-12345"}, timeout=5)
    assert sent.json()["headers"]["X-Request-ID"] == "abc-12345"
    assert sent.headers["X-Request-ID"] == "abc-12345"
    made = requests.get(url + "/api/members/v1/x", timeout=5)
    generated = made.json()["headers"]["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert made.headers["X-Request-ID"] == generated
    refused = requests.get(url + "/api/members/v1/x", headers={"X-Request-ID": "a b"}, timeout=5)
    assert refused.json()["headers"]["X-Request-ID"] != "a b"


def test_gateway_forwards_the_client_address_host_and_scheme(running_gateway):
    url, _ = running_gateway
    headers = requests.get(url + "/api/members/v1/x", timeout=5).json()["headers"]
    assert headers["X-Forwarded-For"] == "127.0.0.1"
    assert headers["X-Forwarded-Proto"] == "http"
    assert headers["Host"] == url.removeprefix("http://")


def test_gateway_answers_with_security_headers_and_gzips_json(running_gateway):
    url, _ = running_gateway
    answer = requests.get(
        url + "/api/members/v1/big", headers={"Accept-Encoding": "gzip"}, timeout=5
    )
    assert answer.headers["Content-Encoding"] == "gzip"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert "Referrer-Policy" in answer.headers
    assert "Strict-Transport-Security" not in answer.headers, "HSTS only over HTTPS"
    assert answer.json()["service"] == "members"
    behind_tls = requests.get(url + "/", headers={"X-Forwarded-Proto": "https"}, timeout=5)
    assert behind_tls.headers["Strict-Transport-Security"].startswith("max-age=")


def test_gateway_answers_problem_json_when_a_service_is_down(running_gateway):
    url, _ = running_gateway
    answer = requests.get(url + "/api/projects/v1/projects", timeout=10)
    assert answer.status_code == 503
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert answer.json()["status"] == 503
    assert re.fullmatch(r"[0-9a-f]{32}", answer.headers["X-Request-ID"])


def test_gateway_has_its_own_health_and_hides_internal_endpoints(running_gateway):
    url, _ = running_gateway
    assert requests.get(url + "/healthz", timeout=5).json() == {
        "status": "ok",
        "service": "gateway",
    }
    assert requests.get(url + "/metrics", timeout=5).status_code == 404
    assert requests.get(url + "/readyz", timeout=5).status_code == 404


def test_gateway_refuses_oversized_bodies_with_problem_json(running_gateway):
    url, _ = running_gateway
    answer = requests.post(url + "/api/members/v1/x", data=b"x" * (11 * 1024 * 1024), timeout=30)
    assert answer.status_code == 413
    assert answer.headers["Content-Type"] == "application/problem+json"


def test_gateway_logs_one_json_object_per_request(running_gateway):
    url, process = running_gateway
    requests.get(url + "/api/members/v1/x", headers={"X-Request-ID": "log-check-1"}, timeout=5)
    process.terminate()
    stdout, _ = process.communicate(timeout=10)
    entries = [json.loads(line) for line in stdout.decode().splitlines() if line.strip()]
    entry = next(e for e in entries if e["request_id"] == "log-check-1")
    assert entry["status"] == 200
    assert entry["uri"] == "/api/members/v1/x"
    assert isinstance(entry["duration_s"], float | int)


def test_gateway_answers_an_unknown_api_with_a_problem_json_404(running_gateway):
    url, _ = running_gateway
    for path in ("/api/no-such-service/v1/x", "/api/", "/api/membersx/v1/x"):
        answer = requests.get(url + path, timeout=5)
        assert answer.status_code == 404, path
        assert answer.headers["Content-Type"] == "application/problem+json", path
        assert answer.json()["status"] == 404
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert requests.get(url + "/apis", timeout=5).json()["service"] == "portal"
