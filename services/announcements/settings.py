"""announcements' own settings: where online meetings happen.

Read once from the environment through `shared.config.env`; the app's config wins when it has
the key, so a test can give its own template.
"""

from __future__ import annotations

from shared.config import ServiceSettings, env

# `{meeting_id}` is replaced by the meeting's id: one stable room per meeting.
ONLINE_URL_TEMPLATE = "https://meet.jit.si/sino-sophipolitan-{meeting_id}"


def _read() -> dict:
    """Flask config keys of the announcements service, with their defaults."""
    return {
        "MEETINGS_ONLINE_URL_TEMPLATE": env.str(
            "MEETINGS_ONLINE_URL_TEMPLATE", ONLINE_URL_TEMPLATE
        ),
    }


_SETTINGS = ServiceSettings(_read)
# What the app factory merges into Flask's config, and one setting wherever code runs.
extra_config = _SETTINGS.defaults
get = _SETTINGS.get
