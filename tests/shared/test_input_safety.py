"""Input no service can store or trust is refused once, in `shared`, as a 4xx problem."""

from __future__ import annotations

import base64
import json
import time

import pytest

from shared import json_limits

PROBLEM = "application/problem+json"


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _add(widgets, *names):
    for name in names:
        assert widgets.post("/api/widgets/v1/widgets", json={"name": name}).status_code == 201


def test_query_values_are_percent_encoded_in_the_link_header(widgets):
    _add(widgets, "a", "b")
    answer = widgets.get(
        "/api/widgets/v1/widgets",
        query_string=[("limit", "1"), ("x", 'a\r\n>; rel="preload"'), ("x", "二")],
    )
    assert answer.status_code == 200
    link = answer.headers["Link"]
    assert "\r" not in link and "\n" not in link
    assert link.count("<") == 1 and link.count(">") == 1, link
    assert link.endswith('>; rel="next"')
    assert "x=a%0D%0A%3E%3B+rel%3D%22preload%22&x=%E4%BA%8C&cursor=" in link, link


@pytest.mark.parametrize(
    "cursor",
    [
        _cursor("[1,2]"),
        _cursor("[null,null]"),
        _cursor("[[],[]]"),
        _cursor("[{},{}]"),
        _cursor('["a",1e999]'),
        _cursor('["a",9223372036854775808]'),
        _cursor('["a",true]'),
        _cursor('["\\ud800",1]'),
        _cursor('["a\\u0000",1]'),
        _cursor('["a",1,2]'),
        _cursor("[" * 1500),
        "not base64!",
        "A" * 5000,
    ],
)
def test_a_cursor_of_the_wrong_shape_or_types_is_a_422_naming_the_cursor(widgets, cursor):
    answer = widgets.get("/api/widgets/v1/widgets", query_string={"cursor": cursor})
    assert answer.status_code == 422
    assert answer.mimetype == PROBLEM
    assert answer.get_json()["errors"] == [
        {"parameter": "cursor", "in": "query", "detail": "Invalid cursor.", "code": "invalid"}
    ]


def test_a_cursor_the_api_gave_out_still_pages(widgets):
    longest = "\U0001f600" * 49  # a wide sort key: astral characters, escaped in JSON
    _add(widgets, "a", longest, longest + "b")
    first = widgets.get("/api/widgets/v1/widgets?limit=2").get_json()
    second = widgets.get("/api/widgets/v1/widgets", query_string={"cursor": first["next"]})
    assert [w["name"] for w in second.get_json()["items"]] == [longest + "b"]


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000, b'{"a":' * 50_000, b"[" * 33 + b"]" * 33],
    ids=["100k-arrays", "50k-objects", "33-levels"],
)
def test_deeply_nested_json_is_a_400_before_anything_parses_it(widgets_app, body):
    widgets_app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    answer = widgets_app.test_client().post(
        "/api/widgets/v1/widgets", data=body, content_type="application/json"
    )
    assert answer.status_code == 400
    assert answer.mimetype == PROBLEM
    assert answer.get_json()["type"].endswith("/json-too-deep")


def test_nesting_within_the_limit_and_brackets_inside_strings_are_fine(widgets):
    name = "[[[[" * 20 + '\\"{{{{'
    body = '{"name": "x", "title": {"en": "' + name + '"}, "extra": ' + "[" * 30 + "]" * 30 + "}"
    answer = widgets.post("/api/widgets/v1/widgets", data=body, content_type="application/json")
    assert answer.status_code in (201, 422)  # only the schema may refuse it
    assert answer.get_json().get("type", "").endswith("/json-too-deep") is False


def test_the_depth_scan_stays_linear_on_hostile_strings():
    hostile = b'"' + b'\\"' * 400_000  # an unterminated string of escaped quotes
    started = time.perf_counter()
    assert json_limits.nesting_depth(hostile + b"[[") <= 2
    assert time.perf_counter() - started < 1.0


def test_a_body_over_the_size_limit_is_a_413_problem(widgets):
    answer = widgets.post(
        "/api/widgets/v1/widgets",
        data=b'{"name": "' + b"x" * 4096 + b'"}',
        content_type="application/json",
    )
    assert answer.status_code == 413
    assert answer.mimetype == PROBLEM


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        ('"\\ud800"', "lone surrogates"),
        ('"\\udc00x"', "lone surrogates"),
        ('"a\\u0000b"', "NUL"),
        ("18446744073709551616", "64-bit"),
        ("1e999", "finite"),
        ("NaN", "finite"),
    ],
)
def test_values_no_database_stores_are_422_field_errors(widgets, raw, detail):
    body = '{"name": ' + raw + "}"
    answer = widgets.post("/api/widgets/v1/widgets", data=body, content_type="application/json")
    assert answer.status_code == 422
    assert answer.mimetype == PROBLEM
    [error] = answer.get_json()["errors"]
    assert error["pointer"] == "/name"
    assert detail in error["detail"]
    assert widgets.get("/api/widgets/v1/widgets").get_json()["items"] == []


def test_a_paired_surrogate_is_one_character_and_stored(widgets):
    body = json.dumps({"name": "smile \U0001f600"})  # written as \\ud83d\\ude00
    answer = widgets.post("/api/widgets/v1/widgets", data=body, content_type="application/json")
    assert answer.status_code == 201
    assert answer.get_json()["name"] == "smile \U0001f600"


def test_nul_in_a_query_value_is_a_422_naming_the_parameter(widgets):
    answer = widgets.get("/api/widgets/v1/widgets?cursor=a%00b")
    assert answer.status_code == 422
    assert answer.get_json()["errors"][0]["parameter"] == "cursor"


def test_an_integer_path_parameter_past_64_bits_is_a_404_problem(widgets):
    _add(widgets, "a")
    assert widgets.get("/api/widgets/v1/widgets/1").status_code == 200
    for beyond in (2**63, 2**64, 10**40):
        answer = widgets.get(f"/api/widgets/v1/widgets/{beyond}")
        assert answer.status_code == 404
        assert answer.mimetype == PROBLEM
    assert widgets.get(f"/api/widgets/v1/widgets/{2**63 - 1}").status_code == 404


def test_the_openapi_document_bounds_integer_path_parameters(widgets):
    document = widgets.get("/api/widgets/v1/openapi.json").get_json()
    [parameter] = document["paths"]["/api/widgets/v1/widgets/{widget_id}"]["parameters"]
    assert parameter["schema"] == {
        "type": "integer",
        "format": "int64",
        "minimum": 0,
        "maximum": 2**63 - 1,
    }
