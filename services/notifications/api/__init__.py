"""notifications' HTTP API: one blueprint a concern."""


def blueprints() -> list:
    """The service's blueprints, registered under `/api/notifications/v1`."""
    from . import inbox, preferences, webhooks

    return [webhooks.blp, inbox.blp, preferences.blp]
