"""portal: the web pages of the platform, a backend-for-frontend of the services' public APIs."""

from __future__ import annotations


def create_app(config: dict | None = None):
    """Build the portal app: pages, sessions in Redis, three languages, no database."""
    from flask import Flask
    from flask_wtf import CSRFProtect

    from shared import observability
    from shared.config import Settings

    from . import errors, i18n, security, settings, views

    app = Flask(__name__)
    base = Settings(service="portal").to_flask()
    app.config.update(base)
    app.config.update(settings.extra_config(base["PUBLIC_BASE_URL"]))
    if config:
        app.config.update(config)
        if "PUBLIC_BASE_URL" in config and "SESSION_COOKIE_SECURE" not in config:
            secure = config["PUBLIC_BASE_URL"].startswith("https://")
            app.config.update(SESSION_COOKIE_SECURE=secure, WTF_CSRF_SSL_STRICT=secure)
    app.config["PERMANENT_SESSION_LIFETIME"] = app.config["PORTAL_SESSION_TTL"]
    observability.configure_logging("portal", app.config["LOG_LEVEL"], app.config["LOG_JSON"])
    observability.init_app(app, "portal")
    CSRFProtect(app)
    i18n.init_app(app)
    security.init_app(app)
    views.init_app(app)
    errors.init_app(app)
    return app
