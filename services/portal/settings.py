"""portal's own settings: where the APIs are, how long a sign-in lasts, what cookies look like."""

from __future__ import annotations

from shared import dev_mailbox
from shared.config import env


def extra_config(public_base_url: str) -> dict:
    """Flask config keys of the portal, read once from the environment."""
    secure = public_base_url.startswith("https://")
    return {
        "PORTAL_API_URL": env.str("PORTAL_API_URL", "http://127.0.0.1:8000").rstrip("/"),
        "PORTAL_API_TIMEOUT": env.float("PORTAL_API_TIMEOUT", 10.0),
        "PORTAL_SESSION_TTL": env.int("PORTAL_SESSION_TTL", 7 * 24 * 60 * 60),
        "SESSION_COOKIE_NAME": "portal_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": secure,
        **dev_mailbox.settings(),
    }
