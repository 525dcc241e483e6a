"""Bad input always gets a problem+json 4xx from the shared factory, never a 500."""

import json

PROBLEM = "application/problem+json"


def test_validation_errors_name_each_field(widgets):
    response = widgets.post("/api/widgets/v1/widgets", json={"name": "", "colour": "red"})
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    pointers = {error["pointer"] for error in response.json["errors"]}
    assert pointers == {"/name", "/colour"}


def test_malformed_json_is_a_400_problem(widgets):
    response = widgets.post(
        "/api/widgets/v1/widgets", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.mimetype == PROBLEM


def test_a_body_that_is_not_json_is_415(widgets):
    response = widgets.post("/api/widgets/v1/widgets", data="name=x", content_type="text/plain")
    assert response.status_code == 415
    assert response.mimetype == PROBLEM


def test_an_oversized_body_is_413_and_writes_nothing(widgets):
    big = json.dumps({"name": "x" * 5000})
    response = widgets.post("/api/widgets/v1/widgets", data=big, content_type="application/json")
    assert response.status_code == 413
    assert response.mimetype == PROBLEM
    assert widgets.get("/api/widgets/v1/widgets").json["items"] == []


def test_a_wrong_method_is_405_with_allow(widgets):
    response = widgets.delete("/api/widgets/v1/widgets")
    assert response.status_code == 405
    assert response.mimetype == PROBLEM
    assert "GET" in response.headers["Allow"]


def test_unknown_locale_in_localized_text_is_a_field_error(widgets):
    response = widgets.post("/api/widgets/v1/widgets", json={"name": "a", "title": {"de": "x"}})
    assert response.status_code == 422
    assert response.json["errors"][0]["pointer"] == "/title"


def test_openapi_document_is_valid_openapi_3(widgets):
    from openapi_spec_validator import validate

    document = widgets.get("/api/widgets/v1/openapi.json").json
    validate(document)
    assert "/api/widgets/v1/widgets" in document["paths"]


def test_interactive_docs_load_their_assets_from_the_service_itself(widgets):
    page = widgets.get("/api/widgets/v1/docs")
    assert page.status_code == 200
    assert b"/api/widgets/v1/docs/assets/swagger-ui-bundle.js" in page.data
    assert widgets.get("/api/widgets/v1/docs/assets/swagger-ui-bundle.js").status_code == 200
