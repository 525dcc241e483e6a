"""No 5xx on any input: every operation of every service's OpenAPI document, fed the corpus.

The four API apps come from their factories on the run's databases (SQLite, or PostgreSQL with
TEST_DATABASE_URL); the operations come from the documents they serve. Each case is sent as an
anonymous caller and as a signed-in organisation admin (a members token every service verifies
with members' own keys). Every answer must be below 500, and every 4xx a problem+json (the
OAuth2 token endpoint answers its errors as RFC 6749 §5.2 JSON). A write refused as a whole must
leave its service's tables as they were.
"""

from __future__ import annotations

import json
import uuid
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from tests.contracts import bad_input
from tests.contracts.conftest import SERVICES, database_of

TOKEN_ENDPOINT = "POST /api/members/v1/auth/token"
# Tables a refused request may write by design: sign-in attempts are counted to slow guessing.
BOOKKEEPING = frozenset({"sign_in_attempts", "rate_limits", "organisations_version"})


def _document(app) -> dict:
    service = app.config["SERVICE_NAME"]
    return app.test_client().get(f"/api/{service}/v1/openapi.json").get_json()


def _path_value(parameter: dict, person: dict) -> str:
    name, schema = parameter["name"], parameter.get("schema", {})
    if name in person:
        return person[name]
    if schema.get("type") == "integer":
        return "1"
    if schema.get("format") == "uuid" or name.endswith("_id"):
        return str(uuid.uuid4())
    if name == "language":
        return "en"
    return "x"


def _url(operation: bad_input.Operation, person: dict, **overrides) -> str:
    path = operation.path
    for parameter in operation.parameters:
        if parameter["in"] == "path":
            value = overrides.get(parameter["name"]) or _path_value(parameter, person)
            path = path.replace("{" + parameter["name"] + "}", quote(value, safe=""))
    return path


def _requests(operation: bad_input.Operation, examples: bad_input.Examples, person: dict):
    """(description, url, body, content type) for every case of the corpus for `operation`."""
    url = _url(operation, person)
    # One row a page where the operation pages: a `Link` header built from the bad value too.
    paged = "limit=1&" if "limit" in operation.query_names else ""
    for name in [*operation.query_names, "x"]:
        values = bad_input.CURSORS if name == "cursor" else bad_input.QUERY_VALUES
        for value in values:
            query = f"{paged if name != 'limit' else ''}{name}={quote(value)}"
            yield f"query {name}={value[:40]!r}", f"{url}?{query}", None, None
    for name in operation.integer_path_names:
        for value in (str(2**63), str(2**64), "9" * 40):
            yield f"path {name}={value}", _url(operation, person, **{name: value}), None, None
    if operation.method not in ("POST", "PUT", "PATCH"):
        return
    for body, content_type in bad_input.RAW_BODIES:
        yield f"body {body[:30]!r} as {content_type}", url, body, content_type
    example = examples.value(operation.body_schema) if operation.body_schema else {}
    if not isinstance(example, dict):
        return
    for name in example:
        for raw in bad_input.FIELD_VALUES:
            yield f"field {name}={raw[:30]}", url, bad_input.with_field(example, name, raw), None
    if operation.form:
        for value in ("a\x00b", bad_input.OVERLONG, bad_input.CRLF_INJECTION):
            form = "&".join(f"{k}={quote(value)}" for k in example)
            yield (
                f"form with {value[:20]!r}",
                url,
                form.encode(),
                "application/x-www-form-urlencoded",
            )


def _row_counts(service: str) -> dict[str, int]:
    database = database_of(service)
    with database.engine.connect() as connection:
        return {
            table.name: connection.scalar(select(func.count()).select_from(table))
            for table in database.metadata.sorted_tables
            if table.name not in BOOKKEEPING
        }


def _wrong(operation, answer) -> str | None:
    if answer.status_code >= 500:
        return f"{answer.status_code}: {answer.get_data(as_text=True)[:200]}"
    if answer.status_code < 400:
        return None
    if operation.name == TOKEN_ENDPOINT:
        body = answer.get_json(silent=True) or {}
        if answer.mimetype == "application/json" and "error" in body:
            return None
        return f"{answer.status_code} {answer.mimetype}, not an RFC 6749 error"
    if answer.mimetype != "application/problem+json":
        return f"{answer.status_code} answered as {answer.mimetype}"
    if answer.get_json().get("status") != answer.status_code:
        return f"{answer.status_code} with a problem whose status is not the response's"
    link = answer.headers.get("Link", "")
    if any(ch in link for ch in "\r\n"):
        return "a control character in Link"
    return None


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
@pytest.mark.parametrize("service", SERVICES)
def test_no_operation_answers_bad_input_with_a_5xx_or_a_non_problem(
    apps, person, service, signed_in
):
    app = apps[service]
    document = _document(app)
    examples = bad_input.Examples(document)
    client = app.test_client()
    headers = person["headers"] if signed_in else {}
    failures, sent, unchanged_checked = [], 0, 0
    for operation in bad_input.operations(service, document):
        before = _row_counts(service) if operation.method != "GET" else None
        all_refused = True
        for description, url, body, content_type in _requests(operation, examples, person):
            answer = client.open(
                url,
                method=operation.method,
                data=body,
                content_type=content_type or ("application/json" if body is not None else None),
                headers=headers,
            )
            sent += 1
            all_refused = all_refused and answer.status_code >= 400
            problem = _wrong(operation, answer)
            if problem:
                failures.append(f"{operation.name} [{description}]: {problem}")
            for line in answer.headers.get("Link", "").split(","):
                assert 'rel="preload"' not in line, f"{operation.name}: Link injected"
        if before is not None and all_refused:
            unchanged_checked += 1
            after = _row_counts(service)
            if after != before:
                changed = {k for k in after if after[k] != before.get(k)}
                failures.append(f"{operation.name}: refused writes changed {sorted(changed)}")
    assert sent > 100, "the corpus reached too few operations"
    assert unchanged_checked, "no refused write was checked for leftovers"
    assert not failures, f"{len(failures)} of {sent} answers wrong:\n" + "\n".join(
        sorted(set(failures))[:80]
    )


def test_the_corpus_covers_every_operation_of_every_document(apps):
    counts = {s: len(bad_input.operations(s, _document(apps[s]))) for s in SERVICES}
    assert all(count > 3 for count in counts.values()), counts
    assert json.dumps(counts)
