"""Integrations of an organisation: webhook endpoints, their deliveries, replay, test events."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("integrations", __name__, url_prefix="/my-organisation/integrations")
