"""The app factory every service calls with its name.

It wires, in order: settings, JSON logs, the database session, request ids and metrics,
token verification, input checks (`input_safety`; `int` path parameters bounded to 64 bits), the
flask-smorest API (OpenAPI at `/api/<service>/v1/openapi.json`, interactive docs beside it), the
service's blueprints, and problem+json error handling.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from inspect import iscoroutinefunction
from pathlib import Path

import swagger_ui_bundle
from flask import Flask, request, send_from_directory
from flask.sessions import SessionInterface
from flask_smorest import Blueprint
from sqlalchemy import bindparam, select

from shared import (
    auth,
    error_codes,
    errors,
    input_safety,
    observability,
    path_converters,
    policy,
)
from shared.config import Settings
from shared.db import Database
from shared.errors import Problem
from shared.migrations import register_cli
from shared.openapi import PlatformApi

JSON_MIMETYPES = ("application/json",)


class UnsupportedMediaType(Problem):
    status = 415
    slug = "unsupported-media-type"
    title = "Unsupported media type"


class ServiceFlask(Flask):
    """Flask that remembers which functions are coroutines.

    Flask asks `ensure_sync` about every hook and view on every request, and each answer is an
    `inspect` call; a function's nature never changes, so it is remembered (by the function, so
    the bound methods of per-request MethodView instances do not grow the memo).
    """

    def __init__(self, *args, **kwargs):
        self._is_async: dict[Callable, bool] = {}
        super().__init__(*args, **kwargs)

    def ensure_sync(self, func):
        target = getattr(func, "__func__", func)
        is_async = self._is_async.get(target)
        if is_async is None:
            is_async = self._is_async[target] = iscoroutinefunction(func)
        return self.async_to_sync(func) if is_async else func


class StatelessSessions(SessionInterface):
    """No cookie session: the APIs authenticate every request by its bearer token.

    Flask's default would build a signing serializer on every request to look for a cookie
    no API sets; `flask.session` stays a null session that refuses writes.
    """

    def open_session(self, app, request):
        return None

    def save_session(self, app, session, response):  # pragma: no cover - never a real session
        return None


def accepts_form(view):
    """Mark a view that also takes `application/x-www-form-urlencoded` (OAuth2 token endpoint)."""
    view.accepts_form = True
    return view


def _require_json_bodies(app: Flask) -> None:
    @app.before_request
    def _check_content_type():
        if request.method not in ("POST", "PUT", "PATCH"):
            return
        if not request.content_length and "chunked" not in request.headers.get(
            "Transfer-Encoding", ""
        ):
            return
        mimetype = request.mimetype or ""
        if mimetype in JSON_MIMETYPES or mimetype.endswith("+json"):
            return
        view = app.view_functions.get(request.endpoint)
        target = getattr(view, "view_class", view)
        method_view = getattr(target, request.method.lower(), None)
        form_ok = getattr(view, "accepts_form", False) or getattr(
            method_view, "accepts_form", False
        )
        if form_ok and mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return
        raise UnsupportedMediaType(
            f"Send the body as application/json, not {mimetype or 'nothing'}."
        )


def _docs_assets(app: Flask, prefix: str) -> str:
    """Serve Swagger UI's files from the installed package: no CDN at run time."""
    assets = Path(swagger_ui_bundle.swagger_ui_path)
    route = f"{prefix}/docs/assets/"

    @app.get(route + "<path:filename>", endpoint="swagger_ui_assets")
    @policy.anyone()
    def _swagger_asset(filename):
        return send_from_directory(assets, filename, max_age=86400)

    return route


def _status_reader(db: Database | None, organisations):
    """How the access rules learn an organisation's status: one primary-key read of the
    service's own table, on its own connection, so it opens no transaction in the view's session
    (a SQLite read transaction that later writes may fail when another write came between)."""
    if db is None or organisations is None:
        return lambda organisation_id: None
    table = organisations.__table__
    query = select(table.c.status).where(table.c.id == bindparam("id"))

    def status_of(organisation_id):
        with db.engine.connect() as connection:
            return connection.execute(query, {"id": organisation_id}).scalar()

    return status_of


def create_service_app(
    service: str,
    *,
    title: str,
    description: str,
    db: Database | None,
    blueprints: Iterable[Blueprint],
    migrations_dir: Path | None = None,
    key_source: auth.KeySource | None = None,
    revocations=None,
    config: dict | None = None,
    codes: dict[str, str] | None = None,
    organisations=None,
) -> Flask:
    """A service's Flask app, built the same way for every service.

    `revocations` is the service's `access_revocations` table (`shared.revocation`): tokens
    issued before a revocation it holds are refused. Every service with a database passes it.
    `codes` are the problem codes the service's domain raises beyond the shared ones
    (`shared.error_codes`); its OpenAPI document lists them all. `organisations` is the model
    (members' table, or the service's projection) whose `status` the access rules read
    (`shared.policy`); every operation must declare its rule, or the app does not build.
    """
    app = ServiceFlask(f"services.{service}")
    app.session_interface = StatelessSessions()
    settings = Settings(service=service)
    app.config.update(settings.to_flask())
    if config:
        app.config.update(config)

    observability.configure_logging(service, app.config["LOG_LEVEL"], app.config["LOG_JSON"])
    prefix = f"/api/{service}/v1"
    all_codes = error_codes.catalogue(codes)
    app.config.update(
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX=prefix,
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        API_SPEC_OPTIONS={
            "info": {"description": description},
            "servers": [{"url": "/"}],
            "components": {
                "securitySchemes": {
                    "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
                }
            },
            "security": [{"bearerAuth": []}],
            "x-error-codes": all_codes,
        },
    )
    app.config["OPENAPI_SWAGGER_UI_URL"] = _docs_assets(app, prefix)
    app.json.sort_keys = False

    if db is not None:
        db.init_app(app)
    observability.init_app(app, service)
    revocation_list = None
    if revocations is not None:
        from shared.revocation import RevocationList

        revocation_list = RevocationList(
            lambda: db.engine, revocations, app.config["REVOCATION_CACHE_SECONDS"]
        )
    auth.init_app(app, key_source, revocation_list)
    policy.init_app(app, _status_reader(db, organisations))
    _require_json_bodies(app)
    input_safety.init_app(app)
    path_converters.init_app(app)

    api = PlatformApi(app, all_codes)
    api.register_converter(
        path_converters.DatabaseIntegerConverter, path_converters.integer_parameter_schema
    )
    for blueprint in blueprints:
        api.register_blueprint(blueprint, url_prefix=prefix + (blueprint.url_prefix or ""))
    app.extensions["api"] = api
    missing = policy.undeclared(app)
    if missing:
        raise RuntimeError(f"operations without an access rule (shared.policy): {missing}")
    errors.init_app(app)
    if migrations_dir is not None:
        register_cli(app, migrations_dir)
    return app
