"""Every service publishes a valid OpenAPI 3 document of its API, with docs served beside it."""

from __future__ import annotations

import importlib
import json

import pytest
from openapi_spec_validator import validate

API_SERVICES = ("members", "projects", "announcements", "notifications")


@pytest.fixture(scope="module", params=API_SERVICES)
def service(request, migrated):
    app = importlib.import_module(f"services.{request.param}").create_app({"TESTING": True})
    return request.param, app.test_client()


def test_the_openapi_document_is_valid_openapi_3(service):
    name, client = service
    response = client.get(f"/api/{name}/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    validate(document)
    assert document["info"]["title"]
    assert all(path.startswith(f"/api/{name}/v1/") for path in document["paths"])


def test_the_interactive_docs_are_served_beside_the_document(service):
    name, client = service
    page = client.get(f"/api/{name}/v1/docs")
    assert page.status_code == 200
    assert f"/api/{name}/v1/openapi.json".encode() in page.data


def test_no_parameter_is_documented_as_null(service):
    """A query, path or header value is text: absent, never null (generated clients otherwise
    get one type per branch of a union with null)."""
    name, client = service
    document = client.get(f"/api/{name}/v1/openapi.json").json
    nullable = [
        f"{method.upper()} {path} {parameter['name']}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if isinstance(operation, dict)
        for parameter in operation.get("parameters", [])
        if "null" in json.dumps(parameter.get("schema", {}))
        or None in parameter.get("schema", {}).get("enum", ())
    ]
    assert not nullable
