"""A real `celery worker` process for a benchmark, started and stopped around the measurement."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from bench.harness import ROOT

# Warnings only, so that a log line per task does not slow the worker; `BENCH_WORKER_LOG=INFO`
# logs each task's run time (in the temporary directory, kept with `BENCH_KEEP=1`).
LOG_LEVEL = os.environ.get("BENCH_WORKER_LOG", "WARNING")


@contextlib.contextmanager
def celery_worker(
    app_spec: str, queue: str, log: Path, env: dict | None = None, pool: str = "solo"
) -> Iterator[subprocess.Popen]:
    """One worker instance (one process, `pool` with concurrency 1) consuming `queue`.

    The caller knows it is ready when a first task comes back.
    """
    handle = open(log, "ab")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            app_spec,
            "worker",
            "-Q",
            queue,
            "-n",
            f"{queue}-bench@%h",
            "-P",
            pool,
            "-c",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            LOG_LEVEL,
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {}), "LOG_JSON": "false", "LOG_LEVEL": LOG_LEVEL},
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    try:
        time.sleep(0.5)
        if process.poll() is not None:
            raise RuntimeError(f"worker {app_spec} exited:\n{log.read_text()[-3000:]}")
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        handle.close()
