"""notifications' HTTP API: flask-smorest blueprints of thin views."""

from __future__ import annotations


def blueprints() -> list:
    """The service's blueprints, registered under `/api/notifications/v1`."""
    return []
