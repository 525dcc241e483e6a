"""Services refuse to start with a SECRET_KEY anyone could know or guess."""

from __future__ import annotations

import secrets

import pytest

from shared.config import ConfigError, Settings
from tests.deploy.support import ENV_EXAMPLE

WEAK = [
    "",
    "dev-secret-change-me",
    "change-me",
    "CHANGE-ME-64-random-characters",  # the Kubernetes secret template's
    "change-me-to-64-random-characters-and-more-of-them-please",
    "short-but-random-Xy7",
]


def _example_value() -> str:
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.startswith("SECRET_KEY="):
            return line.partition("=")[2]
    raise AssertionError(".env.example lists no SECRET_KEY")


@pytest.mark.parametrize("value", [*WEAK, _example_value()])
def test_a_missing_short_or_placeholder_key_stops_the_service(monkeypatch, value):
    monkeypatch.setenv("SECRET_KEY", value)
    monkeypatch.delenv("ALLOW_INSECURE_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        Settings(service="projects")


def test_every_service_factory_refuses_a_placeholder_key(monkeypatch):
    from services.portal import create_app

    monkeypatch.setenv("SECRET_KEY", "dev-secret-change-me")
    with pytest.raises(ConfigError, match="placeholder"):
        create_app({"TESTING": True})


def test_an_explicit_development_setting_lets_a_weak_key_through(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "dev-secret-change-me")
    monkeypatch.setenv("ALLOW_INSECURE_SECRET_KEY", "true")
    assert Settings(service="projects").secret_key == "dev-secret-change-me"


def test_a_long_random_key_is_accepted(monkeypatch):
    key = secrets.token_urlsafe(48)
    monkeypatch.setenv("SECRET_KEY", key)
    monkeypatch.delenv("ALLOW_INSECURE_SECRET_KEY", raising=False)
    assert Settings(service="members").secret_key == key
