"""Signed-in portal pages as deployed: the portal and every API behind nginx, demo data seeded.

`make run`'s process tree (deploy/local/run.py: migrations, demo data, every service under
gunicorn with its Celery worker) runs on free ports; deploy/nginx's configuration, run by a real
nginx, routes `/api/<service>/` to each service and everything else to a portal started here
whose `PORTAL_API_URL` is that nginx: every API call a page makes crosses nginx, as in
production, not a Python hop. A demo organisation's admin signs in through the portal's form;
wrk (16 connections, as the issue's figures) then loads the dashboard, a project page, the
directory and the inbox with that session's cookie. Each figure is a ratio to the ceiling (the
bare WSGI app, same gunicorn settings, same run) loaded right before and right after it, with
p99. nginx missing: the pages are loaded on the portal directly and every line says so.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from bench import databases
from bench.harness import ROOT, Result, ceiling_beside, free_port, gunicorn, load, report
from tests.support.servers import free_port_base

CONNECTIONS = 16
P99_AIM_MS = 100
# Its own Redis database: the platform's workers must not take other processes' tasks.
REDIS_URL = "redis://127.0.0.1:6379/7"
AIMS = {"dashboard": 0.04, "project page": 0.06, "directory": 0.06, "inbox": 0.06}
PORT_ORDER = ["gateway", "members", "projects", "announcements", "notifications", "portal"]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _listening(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
        return True
    return False


@contextlib.contextmanager
def local_platform(tmp: Path, env: dict):
    """deploy/local/run.py on a free port range; yields its base port once seeded."""
    base = free_port_base(len(PORT_ORDER))
    log_path = tmp / "run.log"
    process_env = {
        **{k: v for k, v in env.items() if not k.endswith("_DATABASE_URL")},
        "VAR_DIR": str(tmp / "var"),
        "LOCAL_PORT_BASE": str(base),
        "LOG_LEVEL": "WARNING",
    }
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "deploy/local/run.py"],
            cwd=ROOT,
            env=process_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 600
            while b"is running at" not in log_path.read_bytes():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("make run did not come up: " + log_path.read_text()[-2000:])
                time.sleep(1)
            yield base
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def nginx_gateway(tmp: Path, upstreams: dict[str, int]):
    """deploy/nginx in front of `upstreams` (service name to port); yields its URL, or None
    when nginx is not installed."""
    binary = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if binary is None:
        yield None
        return
    from tests.deploy.support import local_gateway_variables, render_local_gateway

    port = free_port()
    variables = local_gateway_variables(
        port, {f"{name.upper()}_UPSTREAM": f"127.0.0.1:{p}" for name, p in upstreams.items()}
    )
    directory = tmp / "nginx"
    directory.mkdir()
    config = render_local_gateway(directory, variables)
    process = subprocess.Popen(
        [binary, "-p", str(directory), "-c", str(config), "-e", "stderr", "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while not _listening(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("nginx did not start")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


def sign_in(base: str, email: str, password: str) -> str:
    """The portal's session cookie after signing in through its form."""
    browser = requests.Session()
    page = browser.get(f"{base}/sign-in", timeout=30)
    token = CSRF.search(page.text).group(1)
    answer = browser.post(
        f"{base}/sign-in",
        data={"csrf_token": token, "email": email, "password": password},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code in (302, 303), f"sign-in: {answer.status_code}"
    return "; ".join(f"{c.name}={c.value}" for c in browser.cookies)


def _pages(base: str, cookie: str) -> dict[str, str]:
    projects = requests.get(
        f"{base}/api/projects/v1/projects", params={"limit": 1}, timeout=30
    ).json()["items"]
    pages = {
        "dashboard": "/dashboard",
        "project page": f"/projects/{projects[0]['id']}",
        "directory": "/directory",
        "inbox": "/notifications",
    }
    for name, path in pages.items():
        answer = requests.get(
            base + path, headers={"Cookie": cookie}, allow_redirects=False, timeout=30
        )
        assert answer.status_code == 200, f"{name} {path}: {answer.status_code}"
    return {name: base + path for name, path in pages.items()}


def main() -> None:
    from services.members import demo

    print("== portal pages, signed in as a demo organisation's admin (16 connections) ==")
    # Pages take up to seconds on a busy machine: loads long enough to see many of them.
    seconds = max(databases.seconds(), 8.0)
    env = {
        **os.environ,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(48),
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", REDIS_URL),
    }
    email = demo.ORGANISATIONS[0]["admin"]["email"]
    with databases.temporary_dir("bench-portal-") as tmp, local_platform(tmp, env) as base:
        ports = {name: base + i for i, name in enumerate(PORT_ORDER)}
        portal_port = free_port()
        upstreams = {n: p for n, p in ports.items() if n not in ("gateway", "portal")}
        with nginx_gateway(tmp, {**upstreams, "portal": portal_port}) as gateway:
            note = "" if gateway else " [nginx missing: the Python gateway routes the APIs]"
            api_url = gateway or f"http://127.0.0.1:{ports['gateway']}"
            portal_env = {
                **env,
                "VAR_DIR": str(tmp / "var"),
                "PORTAL_API_URL": api_url,
                "JWKS_URL": f"{api_url}/api/members/v1/.well-known/jwks.json",
            }
            with (
                gunicorn("services.portal:create_app()", portal_env, port=portal_port) as portal,
                ceiling_beside(seconds) as ceiling,
            ):
                front = gateway or portal
                cookie = sign_in(front, email, demo.PASSWORD)
                headers = {"Cookie": cookie}
                for name, url in _pages(front, cookie).items():
                    load(url, 1, CONNECTIONS, headers)
                    before = load(ceiling.url, seconds, CONNECTIONS)
                    result = load(url, seconds, CONNECTIONS, headers)
                    after = load(ceiling.url, seconds, CONNECTIONS)
                    beside = Result(
                        (before.rps + after.rps) / 2, (before.p99_ms + after.p99_ms) / 2, 0
                    )
                    report(f"{name}{note}", result, beside, AIMS[name])
                    # nan (no request completed in wrk's time) is no answer: not met either.
                    verdict = "met" if result.p99_ms < P99_AIM_MS else "NOT met"
                    print(f"  {name}: p99 aim under {P99_AIM_MS} ms: {verdict}", flush=True)


if __name__ == "__main__":
    main()
