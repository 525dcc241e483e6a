"""Real Celery worker processes (not eager mode) for the service under test."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]


class Worker:
    """`celery worker` for one service's queue, started and stopped (or killed) by the test."""

    def __init__(
        self,
        service: str,
        queues: str | None = None,
        extra_env: dict | None = None,
        pool: str = "solo",
        concurrency: int = 1,
        name: str | None = None,
    ):
        self.service = service
        self.queues = queues or service
        self.extra_env = extra_env or {}
        self.pool = pool
        self.concurrency = concurrency
        self.name = name or f"{service}-test@%h"
        self.process: subprocess.Popen | None = None
        self.log_offset = 0
        self.log_path = (
            # One file per worker name (two workers of one service are told apart; a restart
            # under the same name appends to its predecessor's file).
            Path(os.environ.get("TEST_LOG_DIR", "/tmp"))
            / f"worker-{self.name.split('@')[0]}-{os.getpid()}.log"
        )

    def start(self, ready_timeout: float = 60.0) -> Worker:
        env = {**os.environ, **self.extra_env, "LOG_JSON": "false"}
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        self.log_offset = offset
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                f"services.{self.service}.tasks:celery_app",
                "worker",
                "-Q",
                self.queues,
                "-n",
                self.name,
                "-P",
                self.pool,
                "-c",
                str(self.concurrency),
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

        def ready() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited early; see {self.log_path}:\n{self.log_tail()}")
            return b"ready." in self.log_path.read_bytes()[offset:]

        try:
            wait_until(ready, timeout=ready_timeout, interval=0.1)
        except AssertionError as exc:
            raise TimeoutError(
                f"worker not ready; see {self.log_path}:\n{self.log_tail()}"
            ) from exc
        return self

    def log_text(self) -> str:
        """What this worker has logged since it started (the file is shared by restarts)."""
        with open(self.log_path, "rb") as log:
            log.seek(self.log_offset)
            return log.read().decode(errors="replace")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, timeout: float = 20.0) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def pause(self) -> None:
        """SIGSTOP: the process keeps what it took from the broker but does nothing with it."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def wait_for_log(self, text: str, timeout: float = 60.0) -> None:
        """Until the worker's log holds `text` (written since it started)."""
        try:
            wait_until(lambda: text in self.log_text(), timeout=timeout)
        except AssertionError as exc:
            raise TimeoutError(f"{text!r} not in {self.log_path}:\n{self.log_tail()}") from exc

    def kill(self) -> None:
        """SIGKILL, as when the machine loses the process mid-task."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
        self.process = None
