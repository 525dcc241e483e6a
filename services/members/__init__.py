"""members: organisations, people, roles, sign-in and integrator credentials."""

import re
from pathlib import Path

# Anonymous reads that are the same for every reader: the directory, a profile, the vocabulary.
PUBLIC_READS = re.compile(
    r"/api/members/v1/(directory|vocabulary|organisations/[0-9a-fA-F-]{32,36})$"
)


def create_app(config: dict | None = None):
    """Build the members service app (the identity provider of the platform)."""
    from shared import text_terms
    from shared.app import create_service_app
    from shared.response_cache import ResponseCache

    from . import demo, events, settings
    from .api import blueprints
    from .domain.keys import local_key_source
    from .domain.tokens import SCOPES
    from .error_codes import CODES
    from .models import Organisation, access_revocations, db, organisations_version

    app = create_service_app(
        "members",
        title="Members API",
        description="Organisations of Sophia Antipolis and Jiangning, their people, roles, "
        "sign-in (OAuth2 token endpoint, JWKS) and integrator clients.",
        db=db,
        blueprints=blueprints(),
        migrations_dir=Path(__file__).parent / "migrations",
        key_source=local_key_source(),
        revocations=access_revocations,
        # members writes the revocations itself, in the transaction of each change: read live.
        config={"REVOCATION_CACHE_SECONDS": 0.0, **settings.extra_config(), **(config or {})},
        codes=CODES,
        organisations=Organisation,
    )
    _document_token_endpoint(app.extensions["api"].spec, SCOPES)
    # Answered from memory while no organisation has been written since they were rendered.
    ResponseCache(app, PUBLIC_READS, organisations_version)
    demo.register_cli(app)
    events.register_cli(app)
    # The directory cuts Chinese queries with jieba: load it as the worker boots, not in the
    # first such request (a second or more on its own).
    text_terms.preload()
    return app


OAUTH2_ENDPOINT = "/api/members/v1/auth/token"


def _document_token_endpoint(spec, scopes) -> None:
    """The bearer tokens every service takes come from this OAuth2 token endpoint: say so."""
    scopes = {scope: scope for scope in scopes}
    spec.components.security_scheme(
        "oauth2",
        {
            "type": "oauth2",
            "description": "Where the `bearerAuth` tokens come from (RFC 6749).",
            "flows": {
                "password": {
                    "tokenUrl": OAUTH2_ENDPOINT,
                    "refreshUrl": OAUTH2_ENDPOINT,
                    "scopes": scopes,
                },
                "clientCredentials": {"tokenUrl": OAUTH2_ENDPOINT, "scopes": scopes},
            },
        },
    )
