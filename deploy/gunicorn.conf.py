"""Gunicorn settings for every service's web process (and `make run`, which overrides `bind`).

This file reads `os.environ` directly: gunicorn loads it itself, before any platform code is
imported, so it cannot go through `shared.config`. It is the one exception to that rule. The
variables: PORT (default 8000), WEB_CONCURRENCY (default (2 x CPUs) + 1, at most 8),
PROMETHEUS_MULTIPROC_DIR (set it to collect metrics across worker processes), LOG_LEVEL.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import time
from collections.abc import Mapping
from pathlib import Path

MAX_DEFAULT_WORKERS = 8


def _cpus() -> int:
    """CPUs this process may run on (the container's share, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    """(2 x CPUs) + 1, the usual rule for sync workers, capped so a big host does not exhaust
    PostgreSQL connections; WEB_CONCURRENCY wins when set."""
    configured = os.environ.get("WEB_CONCURRENCY", "").strip()
    if configured:
        return max(1, int(configured))
    return min(2 * _cpus() + 1, MAX_DEFAULT_WORKERS)


bind = f"0.0.0.0:{os.environ.get('PORT', '').strip() or '8000'}"
workers = default_workers()
# Sync workers: the services are short database-bound requests; slow clients are buffered by nginx.
worker_class = "sync"
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never becomes an outage; jitter avoids a stampede.
max_requests = 2000
max_requests_jitter = 200
# Heartbeat files in memory: a container's overlay filesystem can stall the arbiter's checks
# (gunicorn's own advice for Docker); only the heartbeat goes there, nothing secret.
_SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = _SHM if Path(_SHM).is_dir() else None
# Not preloaded: each worker imports the app after fork, so prometheus files carry worker pids.
preload_app = False
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
accesslog = None  # the access logger is configured by logconfig_dict below


class JsonAccessFormatter(logging.Formatter):
    """One JSON object per request, built from gunicorn's atoms (escaping done by json)."""

    FIELDS = {
        "remote_addr": "h",
        "method": "m",
        "path": "U",
        "query": "q",
        "protocol": "H",
        "status": "s",
        "bytes": "B",
        "duration_ms": "M",
        "referer": "f",
        "user_agent": "a",
        "request_id": "{x-request-id}o",
    }

    def format(self, record: logging.LogRecord) -> str:
        atoms = record.args if isinstance(record.args, Mapping) else {}
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(record.created)),
            "level": record.levelname,
            "logger": record.name,
        }
        for field, atom in self.FIELDS.items():
            value = atoms.get(atom)
            if isinstance(value, str):
                value = None if value == "-" else value.replace('\\"', '"')
            entry[field] = value
        with contextlib.suppress(TypeError, ValueError):
            entry["status"] = int(entry["status"])
        return json.dumps(entry, ensure_ascii=False)


class JsonErrorFormatter(logging.Formatter):
    """Gunicorn's own messages (boot, worker exits, timeouts) as JSON, like the services' logs."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(record.created)),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    # The services attach their own JSON handler to the root logger; none here avoids duplicates.
    "root": {"level": "INFO", "handlers": []},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    },
    "handlers": {
        "error": {
            "class": "logging.StreamHandler",
            "formatter": "error",
            "stream": "ext://sys.stderr",
        },
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "stream": "ext://sys.stdout",
        },
    },
    "formatters": {
        "error": {"()": JsonErrorFormatter},
        "access": {"()": JsonAccessFormatter},
    },
}


def _multiproc_dir() -> Path | None:
    value = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "").strip()
    return Path(value) if value else None


def on_starting(server) -> None:
    """Start with an empty metrics directory: files left by a previous run would be summed in."""
    directory = _multiproc_dir()
    if directory is None:
        return
    if directory.is_dir():
        for child in directory.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
    directory.mkdir(parents=True, exist_ok=True)
    server.log.info("prometheus multiprocess directory ready: %s", directory)


def child_exit(server, worker) -> None:
    """Tell prometheus_client a worker is gone so its live gauges stop counting."""
    if _multiproc_dir() is None:
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
