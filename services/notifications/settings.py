"""notifications' own settings: webhook delivery, retries and target safety, SMTP.

Read once from the environment through `shared.config.env`; the app's config wins when it has
the key, so tests can compress the retry schedule or allow local targets for one app.
"""

from __future__ import annotations

from shared import smtp
from shared.config import ServiceSettings, env

DAY = 24 * 60 * 60
# Standard Webhooks' usual schedule: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
RETRY_SCHEDULE = "0,5,300,1800,7200,18000,36000,36000"


def _read() -> dict:
    """Flask config keys of the notifications service, with their defaults."""
    return {
        "WEBHOOKS_ALLOW_PRIVATE_TARGETS": env.bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", False),
        "WEBHOOKS_TIMEOUT": env.float("WEBHOOKS_TIMEOUT", 15.0),
        "WEBHOOKS_RETRY_SCHEDULE": [
            float(s) for s in env.list("WEBHOOKS_RETRY_SCHEDULE", RETRY_SCHEDULE.split(","))
        ],
        "WEBHOOKS_RETRY_JITTER": env.float("WEBHOOKS_RETRY_JITTER", 0.2),
        "WEBHOOKS_THROTTLED_MIN_DELAY": env.float("WEBHOOKS_THROTTLED_MIN_DELAY", 60.0),
        "WEBHOOKS_RETRY_AFTER_MAX": env.float("WEBHOOKS_RETRY_AFTER_MAX", 6 * 60 * 60.0),
        "WEBHOOKS_DISABLE_AFTER": env.float("WEBHOOKS_DISABLE_AFTER", 5 * DAY),
        "WEBHOOKS_SECRET_OVERLAP": env.float("WEBHOOKS_SECRET_OVERLAP", float(DAY)),
        "WEBHOOKS_BATCH_SIZE": env.int("WEBHOOKS_BATCH_SIZE", 500),
        "WEBHOOKS_CONCURRENCY": env.int("WEBHOOKS_CONCURRENCY", 100),
        "WEBHOOKS_RESPONSE_CAP": env.int("WEBHOOKS_RESPONSE_CAP", 32 * 1024),
        **smtp.settings(),
    }


_SETTINGS = ServiceSettings(_read)
# What the app factory merges into Flask's config, and one setting wherever code runs.
extra_config = _SETTINGS.defaults
get = _SETTINGS.get
