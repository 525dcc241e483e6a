"""deploy/gunicorn.conf.py: sizing from the environment, JSON access logs, metrics hooks."""

from __future__ import annotations

import json
import logging
import os
import runpy
import subprocess
import sys
import types
from pathlib import Path

import pytest
import requests

from tests.deploy.support import DEPLOY
from tests.support.servers import free_port, wait_for_port

CONFIG = DEPLOY / "gunicorn.conf.py"


def load_config(monkeypatch, **environ: str) -> dict:
    for name in ("PORT", "WEB_CONCURRENCY", "PROMETHEUS_MULTIPROC_DIR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_binds_every_interface_on_port_8000_unless_port_says_otherwise(monkeypatch):
    assert load_config(monkeypatch)["bind"] == "0.0.0.0:8000"
    assert load_config(monkeypatch, PORT="9001")["bind"] == "0.0.0.0:9001"


def test_web_concurrency_sets_the_workers_else_twice_the_cpus_plus_one_capped(monkeypatch):
    assert load_config(monkeypatch, WEB_CONCURRENCY="3")["workers"] == 3
    config = load_config(monkeypatch)
    cpus = len(os.sched_getaffinity(0))
    assert config["workers"] == min(2 * cpus + 1, config["MAX_DEFAULT_WORKERS"])
    assert config["worker_class"] == "sync"
    assert config["timeout"] > 0 and config["graceful_timeout"] > 0


def test_on_starting_empties_the_metrics_directory_and_creates_it(monkeypatch, tmp_path):
    directory = tmp_path / "metrics"
    directory.mkdir()
    (directory / "counter_123.db").write_bytes(b"stale")
    (directory / "leftover").mkdir()
    config = load_config(monkeypatch, PROMETHEUS_MULTIPROC_DIR=str(directory))
    server = types.SimpleNamespace(log=logging.getLogger("test"))
    config["on_starting"](server)
    assert directory.is_dir() and not list(directory.iterdir())
    fresh = tmp_path / "new"
    config = load_config(monkeypatch, PROMETHEUS_MULTIPROC_DIR=str(fresh))
    config["on_starting"](server)
    assert fresh.is_dir()


def test_child_exit_marks_the_worker_dead_for_prometheus(monkeypatch, tmp_path):
    live = tmp_path / "gauge_livesum_4242.db"
    live.write_bytes(b"")
    kept = tmp_path / "counter_4242.db"
    kept.write_bytes(b"")
    config = load_config(monkeypatch, PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    config["child_exit"](None, types.SimpleNamespace(pid=4242))
    assert not live.exists(), "live gauges of a dead worker must go"
    assert kept.exists(), "counters survive their worker"


def test_without_a_metrics_directory_the_hooks_do_nothing(monkeypatch):
    config = load_config(monkeypatch)
    config["on_starting"](None)
    config["child_exit"](None, types.SimpleNamespace(pid=1))


def test_access_log_line_is_json_even_with_quotes_in_the_user_agent(monkeypatch):
    formatter = load_config(monkeypatch)["JsonAccessFormatter"]()
    atoms = {"h": "10.0.0.1", "m": "GET", "U": "/x", "s": "200", "M": 4, "a": 'say \\"hi\\"'}
    atoms["{x-request-id}o"] = "abc"
    record = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, "%(h)s", (atoms,), None)
    entry = json.loads(formatter.format(record))
    assert entry["user_agent"] == 'say "hi"'
    assert entry["status"] == 200
    assert entry["request_id"] == "abc"
    assert entry["referer"] is None


@pytest.fixture
def wsgi_app(tmp_path) -> Path:
    (tmp_path / "hello.py").write_text(
        "def app(environ, start_response):\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain'), ('X-Request-ID', 'r-1')])\n"
        "    return [b'hello']\n"
    )
    return tmp_path


def test_gunicorn_starts_with_this_config_and_logs_requests_as_json(wsgi_app, tmp_path):
    port = free_port()
    metrics = tmp_path / "metrics"
    environ = {
        **os.environ,
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics),
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "-c", str(CONFIG), "--chdir", str(wsgi_app), "hello:app"],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_port(port, timeout=20)
        assert requests.get(f"http://127.0.0.1:{port}/ping?x=1", timeout=5).text == "hello"
        assert metrics.is_dir()
    finally:
        process.terminate()
        stdout, stderr = process.communicate(timeout=30)
    access = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    assert any(
        e["path"] == "/ping" and e["status"] == 200 and e["request_id"] == "r-1" for e in access
    )
    errors = [json.loads(line) for line in stderr.splitlines() if line.strip()]
    assert any("Booting worker" in e["message"] for e in errors), stderr
