"""announcements: multilingual news, events and calls of the two parks."""

from pathlib import Path


def create_app(config: dict | None = None, key_source=None):
    """Build the announcements service app (tests pass their own token `key_source`)."""
    from shared.app import create_service_app

    from . import demo
    from .api import blueprints
    from .error_codes import CODES
    from .models import Organisation, access_revocations, db
    from .settings import extra_config

    app = create_service_app(
        "announcements",
        title="Announcements API",
        description=(
            "News, events and calls of the Fondation Sophia Antipolis, the Jiangning "
            "Development Zone and their members, in English, French and Chinese."
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
    demo.register_cli(app)
    return app
