"""An operation that declares no access rule does not ship: its service does not build."""

from __future__ import annotations

import pytest
from flask.views import MethodView
from flask_smorest import Blueprint

from shared import policy
from shared.app import create_service_app
from shared.auth import CallableKeySource
from tests.shared.conftest import db


def _gadgets() -> Blueprint:
    """Gadgets whose listing declares its rule and whose creation forgot to."""
    blp = Blueprint("gadgets", __name__, url_prefix="/gadgets")

    class Gadgets(MethodView):
        @policy.anyone()
        @blp.response(200)
        def get(self):
            return []

        @blp.response(201)
        def post(self):
            return {}

    blp.route("")(Gadgets)
    return blp


def _build(blueprint, tmp_path):
    return create_service_app(
        "gadgets",
        title="Gadgets",
        description="test",
        db=db,
        blueprints=[blueprint],
        key_source=CallableKeySource({}.get),
        config={"DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}"},
    )


def test_a_service_with_an_undeclared_operation_refuses_to_build(tmp_path):
    with pytest.raises(RuntimeError, match=r"POST /api/gadgets/v1/gadgets"):
        _build(_gadgets(), tmp_path)


def test_the_declared_rule_is_what_the_openapi_document_shows(widgets_app):
    document = widgets_app.test_client().get("/api/widgets/v1/openapi.json").get_json()
    operation = document["paths"]["/api/widgets/v1/widgets"]["get"]
    assert operation["security"] == [{}, {"bearerAuth": []}]
    assert operation["x-access"]["anonymous"] is True
