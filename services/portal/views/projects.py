"""Projects: search, detail, create and edit, state changes, applications."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("projects", __name__, url_prefix="/projects")
