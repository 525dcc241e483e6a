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


def init_app(app: Flask, service: str) -> None:
    """Request id in and out, metrics per endpoint, /healthz, /readyz and /metrics."""

    @app.before_request
    def _start():
        g.request_id = accept_or_new(request.headers.get(REQUEST_ID_HEADER))
        g._cid_token = set_correlation_id(g.request_id)
        g._started = time.perf_counter()

    @app.after_request
    def _finish(response: Response):
        response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
        started = g.get("_started")
        if started is not None and request.endpoint not in ("metrics",):
            endpoint = request.url_rule.rule if request.url_rule else "unmatched"
            HTTP_REQUESTS.labels(service, request.method, endpoint, response.status_code).inc()
            HTTP_LATENCY.labels(service, endpoint).observe(time.perf_counter() - started)
        return response

    @app.teardown_request
    def _clear(_exc):
        token = g.pop("_cid_token", None)
        if token is not None:
            reset_correlation_id(token)

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
