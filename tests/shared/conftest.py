"""A throwaway service built with the shared factory, to test the platform library alone."""

from __future__ import annotations

import pytest
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from shared import events, policy
from shared.app import create_service_app
from shared.auth import CallableKeySource
from shared.db import Database, make_base
from shared.errors import NotFound
from shared.i18n import LocalizedText
from shared.pagination import PageArgs, keyset, next_link, page, page_schema

Base = make_base()
db = events.install(Database("widgets", Base.metadata))


class Widget(Base):
    __tablename__ = "widgets"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))


class WidgetIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    title = LocalizedText(load_default=dict, required_locale=False)


class WidgetOut(Schema):
    id = fields.Integer()
    name = fields.String()


blp = Blueprint("widgets", __name__, url_prefix="/widgets")


@blp.route("")
class Widgets(MethodView):
    @policy.anyone()
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(WidgetOut))
    def get(self, args):
        stmt = keyset(select(Widget), [Widget.name, Widget.id], args["cursor"], args["limit"])
        rows = db.session.scalars(stmt).all()
        result = page(rows, args["limit"], key=lambda w: (w.name, w.id))
        return result, 200, next_link(result["next"])

    @policy.anyone()
    @blp.arguments(WidgetIn)
    @blp.response(201, WidgetOut)
    def post(self, payload):
        with db.transaction() as session:
            widget = Widget(name=payload["name"])
            session.add(widget)
        return widget


@blp.route("/<int:widget_id>")
class OneWidget(MethodView):
    @policy.anyone()
    @blp.response(200, WidgetOut)
    def get(self, widget_id):
        widget = db.session.get(Widget, widget_id)
        if widget is None:
            raise NotFound("No such widget.")
        return widget


@pytest.fixture
def widgets_app(tmp_path):
    keys: dict = {}
    app = create_service_app(
        "widgets",
        title="Widgets",
        description="test",
        db=db,
        blueprints=[blp],
        key_source=CallableKeySource(keys.get),
        config={"DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}", "MAX_CONTENT_LENGTH": 2048},
    )
    db.create_all()
    app.extensions["test_keys"] = keys
    yield app
    db.session.remove()


@pytest.fixture
def widgets(widgets_app):
    return widgets_app.test_client()
