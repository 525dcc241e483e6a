"""Problem codes are listed where clients look for them, and field errors name their rule."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from marshmallow import Schema, fields, validate

from shared.field_errors import FIELD_ERROR_CODES, classify
from tests.contracts.conftest import SERVICES

DOCS = Path(__file__).resolve().parents[2] / "docs" / "errors.md"


@pytest.mark.parametrize("service", SERVICES)
def test_every_code_of_a_document_is_in_the_docs_and_the_problem_schema(service, migrated):
    app = importlib.import_module(f"services.{service}").create_app({"TESTING": True})
    document = app.test_client().get(f"/api/{service}/v1/openapi.json").get_json()
    codes = document["x-error-codes"]
    listed = DOCS.read_text()
    assert [code for code in codes if f"`{code}`" not in listed] == []
    assert document["components"]["schemas"]["Problem"]["properties"]["code"]["enum"] == sorted(
        codes
    )
    assert "default" not in str(
        [
            op.get("responses")
            for p in document["paths"].values()
            for op in p.values()
            if isinstance(op, dict)
        ]
    )


class Sample(Schema):
    name = fields.String(required=True, validate=validate.Length(max=5))
    kind = fields.String(validate=validate.OneOf(["a", "b"]))
    size = fields.Integer(validate=validate.Range(min=1))


@pytest.mark.parametrize(
    ("data", "field", "code", "params"),
    [
        ({}, "name", "required", {}),
        ({"name": "toolong"}, "name", "too_long", {"max": 5}),
        ({"name": "x", "kind": "c"}, "kind", "one_of", {"choices": ["a", "b"]}),
        ({"name": "x", "size": 0}, "size", "too_small", {"min": 1}),
        ({"name": "x", "size": "many"}, "size", "invalid", {}),
        ({"name": "x", "other": 1}, "other", "unknown", {}),
    ],
)
def test_a_field_error_is_classified_by_the_rule_that_refused_it(data, field, code, params):
    messages = Sample().validate(data)[field]
    assert classify(messages[0]) == (code, params)
    assert code in FIELD_ERROR_CODES
