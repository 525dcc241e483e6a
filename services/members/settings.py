"""members' own settings: SMTP, token and link lifetimes, sign-in rate limits.

Read once from the environment through `shared.config.env`; the app factory merges
`extra_config()` into Flask's config, and `get()` answers the app's config (a test's own value)
or, outside any app, the environment's.
"""

from __future__ import annotations

from shared import smtp
from shared.config import ServiceSettings, env

DAY = 24 * 60 * 60


def _read() -> dict:
    """Flask config keys of the members service, with their defaults."""
    return {
        **smtp.settings(),
        "ACCESS_TOKEN_TTL": env.int("ACCESS_TOKEN_TTL", 15 * 60),
        "REFRESH_TOKEN_TTL": env.int("REFRESH_TOKEN_TTL", 30 * DAY),
        "INVITATION_TTL": env.int("INVITATION_TTL", 7 * DAY),
        "PASSWORD_RESET_TTL": env.int("PASSWORD_RESET_TTL", 60 * 60),
        "EXPORT_TTL": env.float("EXPORT_TTL", float(DAY)),
        # Tiers (limits notation, `;` between them): the wait grows with the failures.
        "LOGIN_RATE_LIMIT_ACCOUNT_ADDRESS": env.str(
            "LOGIN_RATE_LIMIT_ACCOUNT_ADDRESS", "5/minute;10/15 minutes;20/day"
        ),
        "LOGIN_RATE_LIMIT_ADDRESS": env.str("LOGIN_RATE_LIMIT_ADDRESS", "30/15 minutes;100/day"),
        "LOGIN_RATE_LIMIT_ACCOUNT": env.str("LOGIN_RATE_LIMIT_ACCOUNT", "20/15 minutes"),
        "PASSWORD_RESET_RATE_LIMIT_ADDRESS": env.str(
            "PASSWORD_RESET_RATE_LIMIT_ADDRESS", "5/hour;20/day"
        ),
        "PASSWORD_RESET_RATE_LIMIT_ACCOUNT": env.str(
            "PASSWORD_RESET_RATE_LIMIT_ACCOUNT", "3/hour;6/day"
        ),
    }


_SETTINGS = ServiceSettings(_read)
# What the app factory merges into Flask's config, and one setting wherever code runs.
extra_config = _SETTINGS.defaults
get = _SETTINGS.get
