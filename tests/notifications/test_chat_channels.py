"""Chat-group endpoints, checked by local servers applying each product's published rules."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from urllib.parse import parse_qs, unquote_plus, urlsplit

import pytest
from sqlalchemy import select

from services.notifications.domain import delivery
from services.notifications.models import WebhookAttempt, db
from shared.events import catalogue
from tests.notifications.support import Sink, handle, headers

BASE = "/api/notifications/v1"
SECRET = "SEC" + "0123456789abcdef" * 4


def _check_slack(path, body):
    assert set(body) == {"text"} and body["text"].startswith("*")


def _check_teams(path, body):
    assert body["type"] == "message"
    [attachment] = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["body"][0]["type"] == "TextBlock"


def _check_wecom(path, body):
    assert body["msgtype"] == "markdown"
    assert len(body["markdown"]["content"].encode()) <= 4096


def _check_dingtalk(path, body):
    query = parse_qs(urlsplit(path).query)
    timestamp, sign = query["timestamp"][0], query["sign"][0]
    assert abs(int(timestamp) - time.time() * 1000) < 3600 * 1000
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert unquote_plus(sign) == expected or sign == expected
    assert body["msgtype"] == "markdown" and body["markdown"]["title"]


def _check_feishu(path, body):
    timestamp = body["timestamp"]
    assert abs(int(timestamp) - time.time()) < 3600
    key = f"{timestamp}\n{SECRET}".encode()
    assert body["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert body["msg_type"] == "text" and body["content"]["text"]


CHECKS = {
    "slack": (_check_slack, b"ok"),
    "teams": (_check_teams, b"1"),
    "wecom": (_check_wecom, b'{"errcode":0,"errmsg":"ok"}'),
    "dingtalk": (_check_dingtalk, b'{"errcode":0,"errmsg":"ok"}'),
    "feishu": (_check_feishu, b'{"code":0,"msg":"success"}'),
}


class ProductSink(Sink):
    """A sink that answers as the product does: its success only for a well-formed request."""

    def __init__(self, flavour):
        check, success = CHECKS[flavour]
        super().__init__()
        self.problems: list[str] = []
        handler = self.server.RequestHandlerClass
        outer = self

        def do_POST(request):
            body = request.rfile.read(int(request.headers.get("Content-Length") or 0))
            outer.requests.append({"path": request.path, "body": body})
            try:
                check(request.path, json.loads(body))
                status, answer = 200, success
            except (AssertionError, KeyError, ValueError) as exc:
                outer.problems.append(repr(exc))
                status, answer = 400, b'{"errcode":310000,"errmsg":"sign not match"}'
            request.send_response(status)
            request.send_header("Content-Length", str(len(answer)))
            request.end_headers()
            request.wfile.write(answer)

        handler.do_POST = do_POST


@pytest.mark.parametrize("flavour", sorted(CHECKS))
def test_each_chat_product_receives_its_format_and_signature(client, world, flavour):
    sink = ProductSink(flavour)
    try:
        org = world.organisation()
        auth = headers(organisation=org, roles=["org_admin"])
        created = client.post(
            f"{BASE}/organisations/{org}/webhooks",
            json={"url": sink.url, "flavour": flavour, "flavour_secret": SECRET, "language": "zh"},
            headers=auth,
        )
        assert created.status_code == 201, created.json
        data = {**catalogue.get("organisation.verified", 1).example, "id": org}
        handle("organisation.verified", data)
        delivery.deliver_due(db)
        assert sink.problems == []
        assert len(sink.requests) == 1
        assert "已通过审核" in sink.requests[0]["body"].decode()
        with db.transaction() as session:
            attempt = session.scalars(
                select(WebhookAttempt).where(
                    WebhookAttempt.endpoint_id == uuid.UUID(created.json["id"])
                )
            ).one()
        assert attempt.success
    finally:
        sink.stop()


def test_a_products_error_answer_is_a_failed_attempt(client, world):
    sink = Sink(default=(200, {}, b'{"errcode":310000,"errmsg":"sign not match"}', 0.0))
    try:
        org = world.organisation()
        auth = headers(organisation=org, roles=["org_admin"])
        created = client.post(
            f"{BASE}/organisations/{org}/webhooks",
            json={"url": sink.url, "flavour": "dingtalk", "flavour_secret": "wrong"},
            headers=auth,
        ).json
        client.post(f"{BASE}/organisations/{org}/webhooks/{created['id']}/test", headers=auth)
        delivery.deliver_due(db)
        with db.transaction() as session:
            attempt = session.scalars(select(WebhookAttempt)).one()
        assert not attempt.success and "310000" in attempt.error
    finally:
        sink.stop()


def test_wecom_gets_at_most_twenty_messages_a_minute(client, world):
    sink = ProductSink("wecom")
    try:
        org = world.organisation()
        auth = headers(organisation=org, roles=["org_admin"])
        created = client.post(
            f"{BASE}/organisations/{org}/webhooks",
            json={"url": sink.url, "flavour": "wecom"},
            headers=auth,
        ).json
        for _ in range(25):
            client.post(f"{BASE}/organisations/{org}/webhooks/{created['id']}/test", headers=auth)
        assert delivery.deliver_due(db) == 20
        assert delivery.deliver_due(db) == 0
        assert len(sink.requests) == 20
    finally:
        sink.stop()


def test_chat_urls_must_be_the_products_own_in_production(client, world, app):
    org = world.organisation()
    auth = headers(organisation=org, roles=["org_admin"])
    app.config["WEBHOOKS_ALLOW_PRIVATE_TARGETS"] = False
    bad = client.post(
        f"{BASE}/organisations/{org}/webhooks",
        json={"url": "https://evil.example.com/robot/send", "flavour": "dingtalk"},
        headers=auth,
    )
    assert bad.status_code == 422
    good = client.post(
        f"{BASE}/organisations/{org}/webhooks",
        json={
            "url": "https://oapi.dingtalk.com/robot/send?access_token=abc",
            "flavour": "dingtalk",
        },
        headers=auth,
    )
    assert good.status_code == 201
    assert (
        client.post(
            f"{BASE}/organisations/{org}/webhooks",
            json={"url": "https://hooks.slack.com/services/T/B/X", "flavour": "nope"},
            headers=auth,
        ).status_code
        == 422
    )
