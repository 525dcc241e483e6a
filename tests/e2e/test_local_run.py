"""`make run`'s process tree, for real: migrate, seed, every process, one URL, Ctrl-C stops all."""

from __future__ import annotations

import contextlib
import html
import os
import re
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import requests

from tests.support.servers import free_port, free_port_base
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e
# The local run's ports, in the order deploy/local/run.py assigns them from the base.
PORT_ORDER = ["gateway", "members", "projects", "announcements", "notifications", "portal"]
API_SERVICES = [
    name for name in PORT_ORDER[1:5] if (ROOT / "services" / name / "__init__.py").is_file()
]


@pytest.fixture(scope="module")
def platform(tmp_path_factory, redis_server):
    var = tmp_path_factory.mktemp("var")
    base = free_port_base(len(PORT_ORDER))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.endswith("_DATABASE_URL") and key not in ("VAR_DIR",)
    }
    # Its own Redis database: its workers must not take the tasks of other tests' workers.
    redis_url = redis_server.url.rsplit("/", 1)[0] + "/1"
    env.update(VAR_DIR=str(var), LOCAL_PORT_BASE=str(base), REDIS_URL=redis_url)
    log = open(var / "run.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "deploy/local/run.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{base}"
    # Migrations, every process, then projects' and announcements' demo data: the URL comes last.
    deadline = time.monotonic() + 240
    ready = False
    while time.monotonic() < deadline and process.poll() is None:
        if b"is running at" in (var / "run.log").read_bytes():
            ready = True
            break
        time.sleep(0.5)
    if not ready:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("make run did not come up:\n" + (var / "run.log").read_text()[-4000:])
    yield {"url": url, "process": process, "var": var, "base": base}
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    log.close()


def test_the_gateway_routes_each_api_and_serves_its_docs(platform):
    for service in API_SERVICES:
        response = requests.get(f"{platform['url']}/api/{service}/v1/openapi.json", timeout=10)
        assert response.status_code == 200, service
        assert response.json()["info"]["title"]


def test_the_demo_admin_signs_in_with_the_readme_credentials(platform):
    response = requests.post(
        f"{platform['url']}/api/members/v1/auth/token",
        data={
            "grant_type": "password",
            "username": "admin@sino-sophipolitan.example",
            "password": "Antipolis-Jiangning-2021",
        },
        timeout=10,
    )
    assert response.status_code == 200, response.text
    assert response.json()["token_type"].lower() == "bearer"


def test_the_directory_lists_the_demo_organisations_of_both_parks(platform):
    response = requests.get(f"{platform['url']}/api/members/v1/directory?limit=100", timeout=10)
    assert response.status_code == 200
    parks = {item["park"] for item in response.json()["items"]}
    assert {"sophia_antipolis", "jiangning"} <= parks


def test_once_seeded_the_home_page_shows_demo_news_and_the_api_lists_demo_projects(platform):
    from services.announcements import demo as announcements_demo
    from services.projects import demo as projects_demo

    demo_news = [i for i in announcements_demo.items(date.today()) if i["kind"] == "news"]
    log = (platform["var"] / "run.log").read_text()
    assert "was not seeded" not in log, log[-4000:]
    assert f"Demo data: {len(projects_demo.PROJECTS)} project(s) added" in log
    assert f"Demo data: {len(announcements_demo.items(date.today()))} announcement(s)" in log
    news = {item["title"]["en"] for item in demo_news}
    public_projects = {
        spec["body"]["title"]["en"]
        for spec in projects_demo.PROJECTS
        if spec["body"]["visibility"] == "public"
    }

    def home_shows_news():  # through the gateway: the one URL `make run` prints
        home = requests.get(platform["url"] + "/", headers={"Accept-Language": "en"}, timeout=20)
        return home.status_code == 200 and any(t in html.unescape(home.text) for t in news)

    def api_lists_projects():
        page = requests.get(
            f"{platform['url']}/api/projects/v1/projects?lang=en&limit=50", timeout=20
        )
        return page.status_code == 200 and public_projects & {
            i["title"] for i in page.json()["items"]
        }

    wait_until(home_shows_news, timeout=60, interval=1)
    wait_until(api_lists_projects, timeout=60, interval=1)


def test_a_demo_colleague_in_nanjing_signs_in_and_reads_their_published_b2b_agenda(platform):
    """Seeded once members' people reached announcements through the workers: a colleague of a
    Jiangning company has the forum's meetings on the agenda, in the event's zone."""
    from services.announcements import demo as announcements_demo

    url = platform["url"]
    token = requests.post(
        f"{url}/api/members/v1/auth/token",
        data={
            "grant_type": "password",
            "username": "li.na@zijin-biopharma.example",
            "password": "Antipolis-Jiangning-2021",
        },
        timeout=10,
    ).json()["access_token"]
    events = requests.get(
        f"{url}/api/announcements/v1/announcements?kind=event", timeout=10
    ).json()["items"]
    (event,) = [e for e in events if e["title"]["en"] == announcements_demo.BROKERAGE]
    agenda = requests.get(
        f"{url}/api/announcements/v1/announcements/{event['id']}/matchmaking/agenda",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert agenda.status_code == 200, agenda.text
    body = agenda.json()
    assert body["timezone"] == "Asia/Shanghai" and body["meetings"]
    others = {m["other"]["organisation"]["name"] for m in body["meetings"]}
    assert "Institut Méditerranéen d'Immunologie Appliquée" in others
    assert all(m["table"] and not m["online"] for m in body["meetings"])  # she meets in person


def test_the_gateway_sends_every_other_path_to_the_portal(platform):
    for path in ("/", "/directory?q=nanjing", "/projects", "/sign-in"):
        response = requests.get(platform["url"] + path, timeout=20)
        assert response.status_code == 200, path
        assert "Sino-Sophipolitan Cooperation Platform" in response.text, path
        assert 'name="csrf_token"' in response.text or path != "/sign-in"
    css = requests.get(platform["url"] + "/static/portal.css", timeout=20)
    assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")


def test_every_service_is_ready_on_its_own_port(platform):
    for service in API_SERVICES:
        port = platform["base"] + PORT_ORDER.index(service)
        response = requests.get(f"http://127.0.0.1:{port}/readyz", timeout=10)
        assert response.status_code == 200, f"{service}: {response.text}"


@pytest.fixture(scope="module")
def nginx_gateway(platform, tmp_path_factory):
    """deploy/nginx's configuration, run by a real nginx in front of the running platform."""
    from tests.deploy.support import local_gateway_variables, render_local_gateway, require_binary

    nginx = require_binary("nginx", "/usr/sbin/nginx")
    directory = tmp_path_factory.mktemp("nginx")
    upstreams = {
        f"{name.upper()}_UPSTREAM": f"127.0.0.1:{platform['base'] + offset}"
        for offset, name in enumerate(PORT_ORDER)
        if name != "gateway"
    }
    port = free_port()
    config = render_local_gateway(directory, local_gateway_variables(port, upstreams))
    process = subprocess.Popen(
        [nginx, "-p", str(directory), "-c", str(config), "-e", "stderr", "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while not _listening(port):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"nginx did not start: {process.stderr.read().decode()}")
        time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(10)


def test_behind_nginx_the_demo_admin_signs_in_and_every_api_answers(nginx_gateway):
    token = requests.post(
        f"{nginx_gateway}/api/members/v1/auth/token",
        data={
            "grant_type": "password",
            "username": "admin@sino-sophipolitan.example",
            "password": "Antipolis-Jiangning-2021",
        },
        timeout=10,
    )
    assert token.status_code == 200, token.text
    assert token.headers["X-Request-ID"]
    for service in API_SERVICES:
        document = requests.get(f"{nginx_gateway}/api/{service}/v1/openapi.json", timeout=10)
        assert document.status_code == 200, service
    directory = requests.get(f"{nginx_gateway}/api/members/v1/directory?limit=100", timeout=10)
    assert {"sophia_antipolis", "jiangning"} <= {i["park"] for i in directory.json()["items"]}


def test_behind_nginx_the_portal_serves_the_home_page(nginx_gateway):
    if not (ROOT / "services" / "portal" / "__init__.py").is_file():
        pytest.fail("the portal package is missing")
    home = requests.get(nginx_gateway + "/", headers={"Accept-Language": "zh-CN"}, timeout=20)
    assert home.status_code == 200
    assert "text/html" in home.headers["Content-Type"]
    assert "Content-Security-Policy" in home.headers
    assert "江宁" in home.text  # the Jiangning park introduced, in the reader's language


def _started(log: Path, name: str) -> list[int]:
    """The pids the supervisor reported for `name`, in order."""
    text = log.read_text(errors="replace")
    return [int(pid) for pid in re.findall(rf"\| {re.escape(name)} started \(pid=(\d+)\)", text)]


def test_a_process_that_dies_is_started_again_and_the_platform_answers_again(platform):
    log = platform["var"] / "run.log"
    members = f"http://127.0.0.1:{platform['base'] + PORT_ORDER.index('members')}/readyz"
    for name in ("members", "projects-worker"):
        [pid] = _started(log, name)
        os.kill(pid, signal.SIGKILL)
        restarted = wait_until(lambda n=name: _started(log, n)[1:], timeout=60)
        assert restarted[0] != pid
    assert re.search(
        r"members exited \(rc=-?\d+\) after \d+s; restarting it in 1s", log.read_text()
    )
    wait_until(lambda: _answers(members), timeout=60)
    # The restarted worker is connected and consuming again.
    wait_until(
        lambda: (
            len(re.findall(r"projects-worker\s+\|.*\bready\.", log.read_text(errors="replace")))
            >= 2
        ),
        timeout=60,
    )


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def test_ctrl_c_stops_every_process(platform):
    process = platform["process"]
    os.killpg(process.pid, signal.SIGINT)
    process.wait(60)
    ports = [platform["base"] + offset for offset in range(len(PORT_ORDER))]
    # The children stop on their own signal: wait until the last port is let go.
    wait_until(lambda: not [port for port in ports if _listening(port)], timeout=30)


def _listening(port: int) -> bool:
    """Something accepts connections on the port (a closed one may linger in TIME_WAIT)."""
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False
