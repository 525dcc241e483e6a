"""/metrics adds up every gunicorn worker's counts (Prometheus multiprocess mode)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.support.servers import free_port, wait_for_port
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


@pytest.fixture
def members_under_gunicorn(tmp_path):
    port = free_port()
    metrics_dir = tmp_path / "metrics"
    env = {
        **os.environ,
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py",
            "--bind", f"127.0.0.1:{port}", "services.members:create_app()",
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port, timeout=60)
        yield f"http://127.0.0.1:{port}", metrics_dir
    finally:
        process.terminate()
        process.wait(120)


def test_request_counts_are_summed_across_workers(members_under_gunicorn):
    base, metrics_dir = members_under_gunicorn
    requests.get(base + "/healthz", timeout=60)
    sent = 1

    def served_by_both_workers() -> bool:
        """Send a burst; true once each of the two workers has counted requests of its own."""
        nonlocal sent
        with ThreadPoolExecutor(8) as pool:
            statuses = list(
                pool.map(
                    lambda _: requests.get(base + "/healthz", timeout=60).status_code, range(40)
                )
            )
        assert statuses == [200] * 40
        sent += 40
        pids = {path.stem.rsplit("_", 1)[-1] for path in metrics_dir.glob("counter_*.db")}
        return len(pids) >= 2

    # The second worker may still be booting: keep the load on until it answers too.
    wait_until(served_by_both_workers, timeout=180, interval=0)
    text = requests.get(base + "/metrics", timeout=60).text
    counted = sum(
        float(value)
        for value in re.findall(
            r'http_requests_total\{[^}]*endpoint="/healthz"[^}]*status="200"[^}]*\} ([\d.e+]+)',
            text,
        )
    )
    assert counted == sent
