"""Beat through a Redis outage: one line when Redis goes away, one when it is back, no
traceback per missed tick."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.servers import RedisServer
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_beat_says_once_that_redis_is_away_and_once_that_it_is_back(tmp_path):
    redis = RedisServer()
    redis.start()
    log = tmp_path / "beat.log"
    env = {**os.environ, "REDIS_URL": redis.url, "LOG_JSON": "false"}
    command = [sys.executable, "-m", "celery", "-A", "tests.e2e.beat_app:celery_app", "beat"]
    command += ["--schedule", str(tmp_path / "schedule"), "--loglevel", "INFO"]
    with open(log, "wb") as out:
        beat = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        text = lambda: log.read_text(errors="replace")  # noqa: E731
        ticks = lambda: text().count("Sending due task beatcheck.tick")  # noqa: E731
        wait_until(lambda: ticks() >= 2, timeout=60)
        redis.stop()
        wait_until(lambda: "cannot reach the broker" in text(), timeout=60)
        # Ticks keep coming while Redis is away, each one tried and failing quietly.
        away = ticks()
        wait_until(lambda: ticks() >= away + 5, timeout=60)
        redis.start()
        wait_until(lambda: "reaches the broker again" in text(), timeout=60)
    finally:
        beat.terminate()
        beat.wait(20)
        redis.stop()
    output = text()
    assert output.count("cannot reach the broker") == 1
    assert output.count("reaches the broker again") == 1
    assert "Traceback" not in output
