"""What the shared factory does on every request, kept lean without changing what callers see."""

from __future__ import annotations

import logging

from flask import session
from flask.views import MethodView
from prometheus_client import REGISTRY

from shared.context import get_correlation_id

REQUESTS = "http_requests_total"
LATENCY = "http_request_duration_seconds_count"


def _count(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, {"service": "widgets", **labels}) or 0.0


def test_every_request_and_its_status_is_counted_per_route(widgets):
    ok = {"method": "GET", "endpoint": "/healthz", "status": "200"}
    missing = {"method": "GET", "endpoint": "unmatched", "status": "404"}
    before_ok, before_missing = _count(REQUESTS, **ok), _count(REQUESTS, **missing)
    before_timed = _count(LATENCY, endpoint="/healthz")
    for _ in range(3):
        assert widgets.get("/healthz").status_code == 200
    assert widgets.get("/no/such/page").status_code == 404
    assert _count(REQUESTS, **ok) == before_ok + 3
    assert _count(REQUESTS, **missing) == before_missing + 1
    assert _count(LATENCY, endpoint="/healthz") == before_timed + 3


def test_metrics_scrapes_are_not_counted(widgets):
    scrape = {"method": "GET", "endpoint": "/metrics", "status": "200"}
    widgets.get("/metrics")
    assert _count(REQUESTS, **scrape) == 0


def test_log_lines_carry_the_request_id_only_while_the_request_runs(widgets_app, caplog):
    @widgets_app.get("/echo-log")
    def echo_log():
        logging.getLogger("widgets").warning("inside")
        return {"correlation_id": get_correlation_id()}

    with caplog.at_level(logging.WARNING):
        response = widgets_app.test_client().get(
            "/echo-log", headers={"X-Request-ID": "trace-1234"}
        )
    assert response.headers["X-Request-ID"] == "trace-1234"
    assert response.json == {"correlation_id": "trace-1234"}
    assert [r.correlation_id for r in caplog.records if r.getMessage() == "inside"] == [
        "trace-1234"
    ]
    assert get_correlation_id() is None


def test_a_failing_hook_still_answers_with_a_request_id(widgets_app):
    @widgets_app.before_request
    def _refuse():
        raise RuntimeError("boom")

    response = widgets_app.test_client().get("/healthz")
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert response.headers["X-Request-ID"] == response.json["request_id"]


def test_the_apis_set_no_cookie_and_refuse_session_writes(widgets_app):
    """Stateless APIs: bearer tokens only, so no cookie session is read, signed or sent."""

    @widgets_app.get("/write-session")
    def write_session():
        session["who"] = "someone"
        return {}

    client = widgets_app.test_client()
    assert "Set-Cookie" not in client.get("/healthz").headers
    response = client.get("/write-session")
    assert response.status_code == 500
    assert "Set-Cookie" not in response.headers


def test_the_sync_check_is_remembered_per_function_not_per_view_instance(widgets_app):
    class Probe(MethodView):
        def get(self):
            return {}

    widgets_app.add_url_rule("/probe", view_func=Probe.as_view("probe"))
    client = widgets_app.test_client()
    client.get("/probe")
    remembered = len(widgets_app._is_async)
    for _ in range(5):
        assert client.get("/probe").status_code == 200
    assert len(widgets_app._is_async) == remembered
