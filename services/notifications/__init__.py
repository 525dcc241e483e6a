"""notifications: the inbox, e-mail, webhooks for integrators and chat-group channels."""

from pathlib import Path


def create_app(config: dict | None = None, key_source=None):
    """Build the notifications service app."""
    from shared.app import create_service_app

    from .api import blueprints, webhook_events
    from .error_codes import CODES
    from .models import Organisation, access_revocations, db
    from .settings import extra_config

    app = create_service_app(
        "notifications",
        title="Notifications API",
        description=(
            "What the platform tells people (inbox, e-mail, digests) and other systems "
            "(signed webhooks, chat-group channels)."
        ),
        db=db,
        blueprints=blueprints(),
        migrations_dir=Path(__file__).parent / "migrations",
        key_source=key_source,
        revocations=access_revocations,
        config={**extra_config(), **(config or {})},
        codes=CODES,
        organisations=Organisation,
    )
    webhook_events.document(app)
    return app
