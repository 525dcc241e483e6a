"""announcements' own settings: where online meetings happen.

Read once from the environment through `shared.config.env`; the app's config wins when it has
the key, so a test can give its own template.
"""

from __future__ import annotations

import functools

from flask import current_app, has_app_context

from shared.config import env

# `{meeting_id}` is replaced by the meeting's id: one stable room per meeting.
ONLINE_URL_TEMPLATE = "https://meet.jit.si/sino-sophipolitan-{meeting_id}"


@functools.cache
def extra_config() -> dict:
    """Flask config keys of the announcements service, with their defaults."""
    return {
        "MEETINGS_ONLINE_URL_TEMPLATE": env.str(
            "MEETINGS_ONLINE_URL_TEMPLATE", ONLINE_URL_TEMPLATE
        ),
    }


def get(key: str):
    """An announcements setting: the app's config when it has the key, else the environment's."""
    if has_app_context() and key in current_app.config:
        return current_app.config[key]
    return extra_config()[key]
