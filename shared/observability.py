"""Request ids, JSON logs, Prometheus metrics and the health endpoints every service exposes."""

from __future__ import annotations

import logging
import sys
import time

from flask import Flask, Response, g, jsonify, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from pythonjsonlogger.json import JsonFormatter
from sqlalchemy import text

from shared.config import env
from shared.context import (
    accept_or_new,
    get_correlation_id,
    reset_correlation_id,
    set_correlation_id,
)

REQUEST_ID_HEADER = "X-Request-ID"
# The route a request matched, left in its WSGI environ for middleware (`shared.response_cache`).
RULE_ENVIRON_KEY = "platform.rule"

HTTP_REQUESTS = Counter(
    "http_requests_total",
    "HTTP requests answered",
    ["service", "method", "endpoint", "status"],
)
HTTP_LATENCY = Histogram(
    "http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["service", "endpoint"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)


class ContextFilter(logging.Filter):
    """Stamp every log record with the service and the correlation id of the work in hand."""

    def __init__(self, service: str):
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        record.correlation_id = get_correlation_id()
        return True


def configure_logging(service: str, level: str = "INFO", as_json: bool = True) -> None:
    """One handler on the root logger, JSON by default; idempotent across app factories."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_platform", False):
            root.removeHandler(handler)
    # The real stderr: a Celery worker redirects sys.stderr into logging, which would log twice.
    handler = logging.StreamHandler(sys.__stderr__)
    handler._platform = True  # type: ignore[attr-defined]
    if as_json:
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s %(service)s %(correlation_id)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(
            logging.Formatter(
                "%(asctime)s %(levelname)s [%(service)s %(correlation_id)s] %(message)s"
            )
        )
    handler.addFilter(ContextFilter(service))
    root.addHandler(handler)
    root.setLevel(level.upper())


def _metrics_registry():
    if env.str("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    from prometheus_client import REGISTRY

    return REGISTRY


class _RequestMetrics:
    """The labelled counter and histogram of each (method, endpoint, status), looked up once.

    `labels()` takes a lock and builds a key on every call; the children it returns are the
    same objects every time, so each is kept here after its first request.
    """

    def __init__(self, service: str):
        self.service = service
        self._counters: dict[tuple, object] = {}
        self._timers: dict[str, object] = {}

    def observe(self, method: str, endpoint: str, status: int, seconds: float) -> None:
        key = (method, endpoint, status)
        counter = self._counters.get(key)
        if counter is None:
            counter = self._counters[key] = HTTP_REQUESTS.labels(
                self.service, method, endpoint, status
            )
        timer = self._timers.get(endpoint)
        if timer is None:
            timer = self._timers[endpoint] = HTTP_LATENCY.labels(self.service, endpoint)
        counter.inc()
        timer.observe(seconds)


def init_app(app: Flask, service: str) -> None:
    """Request id in and out, metrics per endpoint, /healthz, /readyz and /metrics."""
    request_metrics = app.extensions["request_metrics"] = _RequestMetrics(service)

    # One hook each way, reading the request object once: these run on every request.
    @app.before_request
    def _start():
        current = request._get_current_object()
        request_id = accept_or_new(current.headers.get(REQUEST_ID_HEADER))
        current.environ["platform.request"] = (
            request_id,
            set_correlation_id(request_id),
            time.perf_counter(),
        )
        g.request_id = request_id

    @app.after_request
    def _finish(response: Response):
        current = request._get_current_object()
        started = current.environ.get("platform.request")
        if started is None:  # a before_request hook failed before ours ran
            response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
            return response
        response.headers[REQUEST_ID_HEADER] = started[0]
        rule = current.url_rule
        label = current.environ[RULE_ENVIRON_KEY] = rule.rule if rule is not None else "unmatched"
        if current.endpoint != "metrics":
            request_metrics.observe(
                current.method, label, response.status_code, time.perf_counter() - started[2]
            )
        return response

    @app.teardown_request
    def _clear(_exc):
        started = request.environ.pop("platform.request", None)
        if started is not None:
            reset_correlation_id(started[1])

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok", service=service)

    @app.get("/readyz")
    def readyz():
        checks = {"database": _check_database(app), "redis": _check_redis(app)}
        ready = all(value == "ok" for value in checks.values())
        body = jsonify(status="ready" if ready else "unavailable", checks=checks)
        body.status_code = 200 if ready else 503
        return body

    @app.get("/metrics")
    def metrics():
        return Response(generate_latest(_metrics_registry()), mimetype=CONTENT_TYPE_LATEST)


def _check_database(app: Flask) -> str:
    db = app.extensions.get("db")
    if db is None:
        return "ok"
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return "ok"
    except Exception as exc:  # any driver error means not ready
        return f"error: {exc.__class__.__name__}"


def _check_redis(app: Flask) -> str:
    import redis

    try:
        client = redis.Redis.from_url(
            app.config["REDIS_URL"], socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
        return "ok"
    except Exception as exc:  # any client error means not ready
        return f"error: {exc.__class__.__name__}"
