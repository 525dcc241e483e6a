"""The signed-in person's dashboard: notifications, projects, recommendations."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
