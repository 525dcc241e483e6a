"""The portal's concurrent API calls against a real HTTP server: at once, as the same person,
each one's answer or error by name."""

from __future__ import annotations

import json
import threading

import pytest
from flask import Flask, g

from services.portal.api_client import ApiError, ApiUnavailable, Call, call_all, start_all
from shared.observability import REQUEST_ID_HEADER
from tests.portal.support import ThreadedServer
from tests.support.servers import free_port


class Api:
    """Answers by path; `/together/*` answers only once two such requests are in flight."""

    def __init__(self):
        self.together = threading.Barrier(2, timeout=30)
        self.seen: list[dict] = []
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
        headers = {
            name: environ.get(key, "")
            for name, key in (
                ("authorization", "HTTP_AUTHORIZATION"),
                ("language", "HTTP_ACCEPT_LANGUAGE"),
                ("request_id", "HTTP_" + REQUEST_ID_HEADER.upper().replace("-", "_")),
                ("forwarded_for", "HTTP_X_FORWARDED_FOR"),
            )
        }
        with self.lock:
            self.seen.append({"path": path, "query": environ.get("QUERY_STRING", ""), **headers})
        if path.startswith("/together/"):
            try:
                self.together.wait()
            except threading.BrokenBarrierError:
                return self._answer(start_response, "500 Internal Server Error", {})
        if path == "/refused":
            body = {"code": "access.other_organisation", "title": "Forbidden", "status": 403}
            return self._answer(start_response, "403 Forbidden", body, "application/problem+json")
        if path == "/broken":
            return self._answer(start_response, "503 Service Unavailable", {})
        return self._answer(start_response, "200 OK", {"path": path, **headers})

    @staticmethod
    def _answer(start_response, status, body, content_type="application/json"):
        data = json.dumps(body).encode()
        start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(data)))])
        return [data]


@pytest.fixture
def api():
    handler = Api()
    server = ThreadedServer(handler).start()
    handler.url = server.url
    yield handler
    server.stop()


def _portal(url: str) -> Flask:
    app = Flask("portal-under-test")
    app.config.update(PORTAL_API_URL=url, PORTAL_API_TIMEOUT=30)
    return app


def test_calls_are_in_flight_together_as_the_same_person(api):
    app = _portal(api.url)
    with app.test_request_context("/dashboard", environ_base={"REMOTE_ADDR": "203.0.113.9"}):
        g.request_id = "req-123"
        outcomes = call_all(
            {
                "a": Call("/together/a", {"limit": 5, "lang": None}),
                "b": Call("/together/b"),
            },
            token="person-token",
            language="fr",
        )
    assert {name: o.json()["path"] for name, o in outcomes.items()} == {
        "a": "/together/a",
        "b": "/together/b",
    }
    assert len(api.seen) == 2
    for seen in api.seen:
        assert seen["authorization"] == "Bearer person-token"
        assert seen["language"] == "fr"
        assert seen["request_id"] == "req-123"
        assert seen["forwarded_for"] == "203.0.113.9"
    assert next(s["query"] for s in api.seen if s["path"] == "/together/a") == "limit=5"


def test_each_failure_is_its_own_calls_and_the_others_answer(api):
    app = _portal(api.url)
    with app.test_request_context("/dashboard"):
        pending = start_all(
            {"ok": Call("/fine"), "refused": Call("/refused"), "broken": Call("/broken")},
            token="t",
        )
        outcomes = pending.results()
    assert outcomes["ok"].status_code == 200
    assert isinstance(outcomes["refused"], ApiError)
    assert (outcomes["refused"].status, outcomes["refused"].code) == (
        403,
        "access.other_organisation",
    )
    assert isinstance(outcomes["broken"], ApiUnavailable)


def test_an_api_that_does_not_answer_is_unavailable():
    app = _portal(f"http://127.0.0.1:{free_port()}")
    with app.test_request_context("/dashboard"):
        outcomes = call_all({"gone": Call("/anything")}, token="t")
    assert isinstance(outcomes["gone"], ApiUnavailable)
