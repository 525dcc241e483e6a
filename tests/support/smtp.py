"""A real SMTP server (aiosmtpd) that keeps what it receives, for e-mail tests."""

from __future__ import annotations

import email
import email.policy
import threading
import time

from aiosmtpd.controller import Controller

from tests.support.servers import free_port


class _Collector:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message.raw = envelope.content  # the bytes as sent, for tests of header encoding
        with self.lock:
            self.messages.append(message)
        return "250 OK"


class SmtpServer:
    """aiosmtpd on a free port; `wait_for(n)` blocks until n messages arrived."""

    def __init__(self):
        self.port = free_port()
        self.collector = _Collector()
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()

    @property
    def messages(self):
        with self.collector.lock:
            return list(self.collector.messages)

    def clear(self):
        with self.collector.lock:
            self.collector.messages.clear()

    def wait_for(self, count: int = 1, timeout: float = 20.0, to: str | None = None) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [m for m in self.messages if to is None or to in str(m["To"])]
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise TimeoutError(
            f"expected {count} e-mail(s){' to ' + to if to else ''}, got {len(found)}"
        )
