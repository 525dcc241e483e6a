"""`make run` without a mail server: its SMTP sink keeps what is sent; a portal page shows it."""

from __future__ import annotations

import importlib.util
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from shared import mail_headers
from shared import smtp as outgoing
from tests.support.servers import free_port, wait_for_port
from tests.support.waiting import wait_until

LOCAL = Path(__file__).resolve().parents[2] / "deploy" / "local"


def _run_module():
    sys.path.insert(0, str(LOCAL))  # run.py imports secret_key.py from beside it
    try:
        spec = importlib.util.spec_from_file_location("local_run", LOCAL / "run.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(LOCAL))
    return module


@pytest.fixture
def run(monkeypatch, tmp_path):
    module = _run_module()
    monkeypatch.delenv("SMTP_HOST", raising=False)
    monkeypatch.setattr(module, "VAR", tmp_path / "var")
    monkeypatch.setattr(module, "MAIL_SINK_PORT", free_port())
    monkeypatch.setattr(module, "SYSTEM_SMTP", ("127.0.0.1", free_port()))  # nothing listens
    return module


@pytest.fixture
def sink(run):
    """The sink as `make run` starts it, with the settings it gives every service."""
    env: dict = {}
    command = run.mail_sink_command(env)
    assert command is not None
    process = subprocess.Popen(shlex.split(command))
    try:
        wait_for_port(int(env["SMTP_PORT"]))
        yield env
    finally:
        process.terminate()
        process.wait(timeout=10)


def _send(env: dict, to: str, subject: str, text: str) -> None:
    config = {**outgoing.settings(), **env, "SMTP_PORT": int(env["SMTP_PORT"])}
    message = mail_headers.new_message()
    message["From"], message["To"], message["Subject"] = config["MAIL_FROM"], to, subject
    mail_headers.stamp(message, "http://127.0.0.1:8000")
    message.set_content(text)
    with outgoing.connect(config.get) as server:
        server.send_message(message)


def _portal(env: dict | None):
    from services.portal import create_app

    config = {"TESTING": True, "DEV_MAILBOX": False}
    if env:
        config.update(
            DEV_MAILBOX=env["DEV_MAILBOX"] == "true", DEV_MAILBOX_DIR=env["DEV_MAILBOX_DIR"]
        )
    return create_app(config).test_client()


def test_without_an_smtp_server_every_service_is_pointed_at_the_sink(run, tmp_path):
    env: dict = {}
    assert run.mail_sink_command(env) is not None
    assert env["SMTP_HOST"] == "127.0.0.1" and env["SMTP_PORT"] == str(run.MAIL_SINK_PORT)
    assert env["DEV_MAILBOX"] == "true"
    assert env["DEV_MAILBOX_DIR"] == str(tmp_path / "var" / "mail")


def test_a_configured_or_listening_smtp_server_is_used_instead(run, monkeypatch, smtp):
    env: dict = {}
    monkeypatch.setattr(run, "SYSTEM_SMTP", ("127.0.0.1", smtp.port))
    assert run.mail_sink_command(env) is None and env == {}
    monkeypatch.setenv("SMTP_HOST", "mail.example.org")
    monkeypatch.setattr(run, "SYSTEM_SMTP", ("127.0.0.1", free_port()))
    assert run.mail_sink_command(env) is None and env == {}


def test_the_mailbox_lists_what_the_sink_received_newest_first_with_links(sink):
    link = "http://127.0.0.1:8000/invitations/accept?token=abc-123_XYZ"
    _send(sink, "first@example.org", "The first one", "Nothing to click.")
    _send(sink, "wang.fang@example.cn", "You are invited", f"Accept: {link}.\nBye <script>")
    mailbox = Path(sink["DEV_MAILBOX_DIR"])
    wait_until(lambda: len(list(mailbox.glob("*.eml"))) == 2)

    page = _portal(sink).get("/dev/mailbox")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.index("You are invited") < html.index("The first one")  # newest first
    assert "wang.fang@example.cn" in html and "first@example.org" in html
    assert f'<a href="{link.replace("&", "&amp;")}">' in html
    assert "<script>" not in html.split("You are invited", 1)[1] and "&lt;script&gt;" in html
    assert "<time datetime=" in html


def test_the_mailbox_is_not_found_when_the_sink_is_off(sink):
    _send(sink, "secret@example.org", "Private", "Not for the web.")
    wait_until(lambda: list(Path(sink["DEV_MAILBOX_DIR"]).glob("*.eml")))
    response = _portal(None).get("/dev/mailbox")
    assert response.status_code == 404
    assert "secret@example.org" not in response.get_data(as_text=True)


def test_the_mailbox_reads_in_french_and_chinese(sink):
    _send(sink, "li.na@zijin-bio.example", "Invitation", "Nothing to click.")
    wait_until(lambda: list(Path(sink["DEV_MAILBOX_DIR"]).glob("*.eml")))
    portal = _portal(sink)
    french = portal.get("/dev/mailbox", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Boîte aux lettres de développement" in french and "<dt>Envoyé</dt>" in french
    assert "Development mailbox" not in french
    chinese = portal.get("/dev/mailbox", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "开发邮箱" in chinese and "<dt>收件人</dt>" in chinese
