"""Settings read once from environment variables, with typed helpers.

`os.environ` is read here and nowhere else (gunicorn's own config file excepted), so that
`.env.example` can list every variable the code reads.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(RuntimeError):
    """A variable is set to something its type cannot read."""


class Env:
    """Typed access to environment variables; every read goes through one of these methods."""

    def __init__(self, environ: dict[str, str] | None = None):
        self._environ = os.environ if environ is None else environ

    def raw(self, name: str) -> str | None:
        return self._environ.get(name)

    def str(self, name: str, default: str | None = None) -> str | None:
        value = self._environ.get(name)
        return default if value in (None, "") else value

    def int(self, name: str, default: int) -> int:
        value = self.str(name)
        if value is None:
            return default
        try:
            return int(value)
        except ValueError as exc:
            raise ConfigError(f"{name} must be an integer, not {value!r}") from exc

    def float(self, name: str, default: float) -> float:
        value = self.str(name)
        if value is None:
            return default
        try:
            return float(value)
        except ValueError as exc:
            raise ConfigError(f"{name} must be a number, not {value!r}") from exc

    def bool(self, name: str, default: bool) -> bool:
        value = self._environ.get(name)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ConfigError(f"{name} must be true or false, not {value!r}")

    def list(self, name: str, default: list[str] | None = None) -> list[str]:
        value = self.str(name)
        if value is None:
            return list(default or [])
        return [item.strip() for item in value.split(",") if item.strip()]


env = Env()

SERVICES = ("members", "projects", "announcements", "notifications", "portal")
LOCAL_PORTS = {
    "gateway": 8000,
    "members": 8001,
    "projects": 8002,
    "announcements": 8003,
    "notifications": 8004,
    "portal": 8005,
}


def var_dir() -> Path:
    """Where the embedded default keeps its SQLite files and runtime state."""
    return Path(env.str("VAR_DIR", str(REPO_ROOT / "var")))


def database_url(service: str) -> str:
    """The service's own database: `<SERVICE>_DATABASE_URL`, else a SQLite file under var/."""
    names = {
        "members": env.str("MEMBERS_DATABASE_URL"),
        "projects": env.str("PROJECTS_DATABASE_URL"),
        "announcements": env.str("ANNOUNCEMENTS_DATABASE_URL"),
        "notifications": env.str("NOTIFICATIONS_DATABASE_URL"),
    }
    url = names.get(service)
    if url:
        return url
    return f"sqlite:///{var_dir() / f'{service}.db'}"


MIN_SECRET_KEY_LENGTH = 32
# Values that were ever written down as examples: anyone can sign with them.
PLACEHOLDER_SECRET_KEYS = frozenset(
    {
        "dev-secret-change-me",
        "change-me",
        "changeme",
        "change-me-to-64-random-characters",
        "change-me-64-random-characters",
        "test-secret-key-not-for-production",
        "bench-secret-key",
        "secret",
        "secret-key",
        "insecure-development-key",
    }
)
INSECURE_DEVELOPMENT_KEY = "insecure-development-key"


def secret_key_problem(value: str | None) -> str | None:
    """Why this SECRET_KEY must not sign anything (placeholder, short, missing), or None.

    SECRET_KEY signs unsubscribe and export links and derives invitation and reset tokens, and
    encrypts the token signing keys: a known or guessable one lets anyone forge them.
    """
    if not value:
        return "SECRET_KEY is not set"
    lowered = value.strip().lower()
    if lowered in PLACEHOLDER_SECRET_KEYS or "change-me" in lowered or "changeme" in lowered:
        return "SECRET_KEY is a placeholder"
    if len(value) < MIN_SECRET_KEY_LENGTH:
        return f"SECRET_KEY has {len(value)} characters, fewer than {MIN_SECRET_KEY_LENGTH}"
    return None


@dataclass
class Settings:
    """Everything a service needs to know about its surroundings."""

    service: str
    secret_key: str | None = field(default_factory=lambda: env.str("SECRET_KEY"))
    # Development only: start even with a missing, short or placeholder SECRET_KEY.
    allow_insecure_secret_key: bool = field(
        default_factory=lambda: env.bool("ALLOW_INSECURE_SECRET_KEY", False)
    )
    database_url: str = ""
    redis_url: str = field(default_factory=lambda: env.str("REDIS_URL", "redis://127.0.0.1:6379/0"))
    public_base_url: str = field(
        default_factory=lambda: env.str("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
    )
    jwks_url: str = field(
        default_factory=lambda: env.str(
            "JWKS_URL", "http://127.0.0.1:8001/api/members/v1/.well-known/jwks.json"
        )
    )
    token_issuer: str = field(
        default_factory=lambda: env.str("TOKEN_ISSUER", "sino-sophipolitan-members")
    )
    # Every API accepts tokens for this one audience: the portal passes a person's token to each.
    token_audience: str = field(
        default_factory=lambda: env.str("TOKEN_AUDIENCE", "sino-sophipolitan-platform")
    )
    # How long a web process trusts its copy of the revoked-access moments (members: 0, read live).
    revocation_cache_seconds: float = field(
        default_factory=lambda: env.float("REVOCATION_CACHE_SECONDS", 1.0)
    )
    log_level: str = field(default_factory=lambda: env.str("LOG_LEVEL", "INFO"))
    log_json: bool = field(default_factory=lambda: env.bool("LOG_JSON", True))
    max_content_length: int = field(
        default_factory=lambda: env.int("MAX_CONTENT_LENGTH", 1024 * 1024)
    )
    # The platform's own proxies (nginx, the portal): their X-Forwarded-For is believed.
    trusted_proxies: list[str] = field(
        default_factory=lambda: env.list("TRUSTED_PROXIES", ["127.0.0.1/32", "::1/128"])
    )
    testing: bool = False
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        problem = secret_key_problem(self.secret_key)
        if problem and not self.allow_insecure_secret_key:
            raise ConfigError(
                f"{problem}. Set SECRET_KEY to a long random value ("
                'python -c "import secrets; print(secrets.token_urlsafe(48))"), or, for '
                "development only, ALLOW_INSECURE_SECRET_KEY=true."
            )
        if not self.secret_key:
            self.secret_key = INSECURE_DEVELOPMENT_KEY
        if not self.database_url:
            self.database_url = database_url(self.service)
        from .client_address import networks

        try:
            networks(self.trusted_proxies)
        except ValueError as exc:
            raise ConfigError(f"TRUSTED_PROXIES holds a bad network: {exc}") from None

    def to_flask(self) -> dict:
        """The Flask config keys these settings map to."""
        return {
            "SERVICE_NAME": self.service,
            "SECRET_KEY": self.secret_key,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "PUBLIC_BASE_URL": self.public_base_url.rstrip("/"),
            "JWKS_URL": self.jwks_url,
            "TOKEN_ISSUER": self.token_issuer,
            "TOKEN_AUDIENCE": self.token_audience,
            "REVOCATION_CACHE_SECONDS": self.revocation_cache_seconds,
            "LOG_LEVEL": self.log_level,
            "LOG_JSON": self.log_json,
            "MAX_CONTENT_LENGTH": self.max_content_length,
            "TRUSTED_PROXIES": self.trusted_proxies,
            "TESTING": self.testing,
            **self.extra,
        }


class ServiceSettings:
    """A service's own settings, read once from the environment by `read()`.

    `defaults()` is what the app factory merges into Flask's config; `get(key)` answers the
    running app's config when it has the key (a test's own value, or the platform's settings
    such as SECRET_KEY and PUBLIC_BASE_URL), else the environment's value, so domain code reads
    settings without importing Flask and a task outside any app still sees the same values.
    """

    def __init__(self, read: Callable[[], dict]):
        self._read = functools.cache(read)

    def defaults(self) -> dict:
        return self._read()

    def get(self, key: str):
        from flask import current_app, has_app_context

        if has_app_context() and key in current_app.config:
            return current_app.config[key]
        return self._read()[key]
