"""projects: cooperation projects, calls for partners, applications and matchmaking."""

from pathlib import Path


def create_app(config: dict | None = None, key_source=None):
    """Build the projects service app; `key_source` overrides members' JWKS (tests)."""
    from shared.app import create_service_app

    from . import demo
    from .api import blueprints
    from .error_codes import CODES
    from .models import Organisation, access_revocations, db

    app = create_service_app(
        "projects",
        title="Projects API",
        description=(
            "Cooperation projects of Sophia Antipolis and Jiangning organisations: calls "
            "for partners, applications, partners, milestones and matchmaking."
        ),
        db=db,
        blueprints=blueprints(),
        migrations_dir=Path(__file__).parent / "migrations",
        key_source=key_source,
        revocations=access_revocations,
        config=config,
        codes=CODES,
        organisations=Organisation,
    )
    demo.register_cli(app)
    return app
