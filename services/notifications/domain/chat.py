"""Chat-group flavours of an endpoint: each product's message format, signature and limits.

They go through the same delivery path as webhooks (address checks, retries, attempt log); only
the body, the URL's signature and the rate limit differ:
- Slack incoming webhook: `{"text": ...}` (mrkdwn).
- Microsoft Teams incoming webhook: an Adaptive Card in a `message` attachment.
- WeCom group robot: `{"msgtype": "markdown"}`, content at most 4096 bytes, 20 messages a minute.
- DingTalk custom robot: `timestamp` and `sign` (HMAC-SHA256 of "timestamp\\nsecret", base64,
  URL-encoded) in the URL, `{"msgtype": "markdown"}`, 20 messages a minute.
- Feishu/Lark custom bot: `timestamp` and `sign` (HMAC-SHA256 keyed by "timestamp\\nsecret" over
  nothing, base64) in the body, `{"msg_type": "text"}`, at most 20 KB, 100 messages a minute.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from urllib.parse import quote_plus

from .safety import target_host
from .texts import TEXTS, render

FLAVOURS = ("standard", "slack", "teams", "wecom", "dingtalk", "feishu")
SIGNED = ("dingtalk", "feishu")
PER_MINUTE = {"wecom": 20, "dingtalk": 20, "feishu": 100}
HOSTS = {
    "slack": ("hooks.slack.com",),
    "teams": (".webhook.office.com", ".logic.azure.com", ".environment.api.powerplatform.com"),
    "wecom": ("qyapi.weixin.qq.com",),
    "dingtalk": ("oapi.dingtalk.com",),
    "feishu": ("open.feishu.cn", "open.larksuite.com"),
}
WECOM_MAX_BYTES = 4096
FEISHU_MAX_BYTES = 20 * 1024


def host_allowed(flavour: str, url: str) -> bool:
    """A chat flavour's URL must be its product's webhook host."""
    if flavour not in HOSTS:
        return True
    try:
        host = target_host(url)  # as delivery reads it
    except ValueError:
        return False
    return any(host == h or (h.startswith(".") and host.endswith(h)) for h in HOSTS[flavour])


def summary(payload: dict, language: str) -> tuple[str, str]:
    """A title and a line of text for people, from a webhook payload."""
    event_type, data = payload.get("type", ""), payload.get("data") or {}
    if event_type in TEXTS:
        _category, title, body = render(event_type, data, language)
        return title, body
    subject = data.get("project") or data.get("announcement") or data
    title = subject.get("title") if isinstance(subject, dict) else None
    if isinstance(title, dict):
        title = title.get(language) or title.get("en")
    return event_type, str(title or data.get("name") or data.get("message") or "")


def _clip(text: str, limit: int) -> str:
    raw = text.encode()
    if len(raw) <= limit:
        return text
    return raw[: limit - 3].decode(errors="ignore") + "..."


def _sign(secret: str, timestamp: str, message: bytes | None) -> str:
    key = f"{timestamp}\n{secret}".encode()
    if message is None:  # Feishu: the string is the key, the message is empty
        digest = hmac.new(key, b"", hashlib.sha256).digest()
    else:  # DingTalk: the secret is the key, the string is the message
        digest = hmac.new(secret.encode(), key, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def request(flavour: str, url: str, secret: str | None, payload: dict, language: str):
    """(url, body) as the product expects them, signed when it needs a signature."""
    title, text = summary(payload, language)
    if flavour == "slack":
        body = {"text": f"*{title}*\n{text}".strip()}
    elif flavour == "teams":
        card = {
            "type": "AdaptiveCard",
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "version": "1.4",
            "body": [
                {"type": "TextBlock", "text": title, "weight": "Bolder", "wrap": True},
                {"type": "TextBlock", "text": text, "wrap": True},
            ],
        }
        body = {
            "type": "message",
            "attachments": [
                {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
            ],
        }
    elif flavour == "wecom":
        content = _clip(f"**{title}**\n{text}", WECOM_MAX_BYTES)
        body = {"msgtype": "markdown", "markdown": {"content": content}}
    elif flavour == "dingtalk":
        timestamp = str(int(time.time() * 1000))
        sign = quote_plus(_sign(secret or "", timestamp, b""))
        url = f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"
        body = {"msgtype": "markdown", "markdown": {"title": title, "text": f"### {title}\n{text}"}}
    elif flavour == "feishu":
        timestamp = str(int(time.time()))
        body = {
            "timestamp": timestamp,
            "sign": _sign(secret or "", timestamp, None),
            "msg_type": "text",
            "content": {"text": _clip(f"{title}\n{text}", FEISHU_MAX_BYTES - 512)},
        }
    else:
        raise ValueError(flavour)
    return url, json.dumps(body, ensure_ascii=False).encode()


def product_error(flavour: str, status: int, text: str) -> str | None:
    """WeCom, DingTalk and Feishu answer 200 with an error code in the body."""
    if flavour not in PER_MINUTE or not 200 <= status < 300:
        return None
    try:
        answer = json.loads(text or "{}")
    except ValueError:
        return None
    code = answer.get("errcode", answer.get("code", answer.get("StatusCode", 0)))
    if code in (0, None):
        return None
    return f"{flavour} error {code}: {answer.get('errmsg') or answer.get('msg') or ''}"[:500]
