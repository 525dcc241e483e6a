"""Error pages in the reader's language: never a stack trace, never an API's raw answer."""

from __future__ import annotations

import redis
from flask import Flask, redirect, render_template, session, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .api_client import ApiError, ApiUnavailable


def _page(status: int):
    return render_template("errors/error.html", status=status), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_error):
        return render_template("errors/error.html", status=400, csrf=True), 400

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        return _page(error.code or 500)

    @app.errorhandler(ApiError)
    def _api(error: ApiError):
        if error.status == 401:  # the sign-in ended at members: start again
            session.pop("sid", None)
            return redirect(url_for("account.sign_in"))
        status = error.status if error.status in (401, 403, 404, 410) else 400
        return _page(status)

    @app.errorhandler(ApiUnavailable)
    @app.errorhandler(redis.RedisError)
    def _unavailable(_error):
        return _page(503)

    @app.errorhandler(Exception)
    def _unexpected(_error):
        app.logger.exception("unhandled error")
        return _page(500)
