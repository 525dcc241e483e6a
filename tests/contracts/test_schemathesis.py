"""Each service's OpenAPI document tells the truth: schemathesis calls every operation in-process.

schemathesis reads the document each app serves, generates requests from it (data that fits the
schemas, and data that does not), sends them to the real app over WSGI, anonymous and with a
signed-in organisation admin's token, and runs every built-in check on each answer: no server
error, the status, content type, headers and body as documented, invalid data refused, valid data
accepted, authentication not ignored. Any finding fails the test, named by operation.

Examples are bounded (`MAX_EXAMPLES` per operation and mode, no shrinking, no deadline) so the
suite stays fast; the bad-input corpus (`test_bad_input.py`) covers the hostile extremes.

The documents state every rule JSON Schema can (enums, patterns, lengths, formats, at least one
locale); the few exceptions below are named, scoped to one check or one parameter, and say why.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from jsonschema import Draft202012Validator
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config._checks import POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES

from tests.contracts.conftest import SERVICES

MAX_EXAMPLES = 20
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)

# Operations whose schema-valid requests a rule JSON Schema cannot state may still refuse with a
# 422 (documented on each of them). For these operations only, and for the positive-data check
# only, 422 joins schemathesis's default expected statuses; every other check, and that check
# everywhere else, stays as it is. Each entry says which rule, and why a schema cannot state it.
REFUSES_VALID_DATA = {
    # A check digit: a SIREN/SIRET's Luhn digit, a USCC's check character.
    "POST /api/members/v1/organisations": "registration_number",
    # A secret: the password must be the caller's own.
    "POST /api/members/v1/me/password": "current_password",
    "DELETE /api/members/v1/me": "password",
    # Values compared with each other or with today (no JSON Schema keyword compares two
    # values): ends_on after starts_on, budget_max above budget_min, call_deadline in the future.
    # (A project's or a milestone's change names it by id: schemathesis's random ids are a 404
    # before any such rule, so those operations need no exception.)
    "POST /api/projects/v1/projects": "starts_on/ends_on, budget_min/budget_max, call_deadline",
    # Quiet hours' start and end differ.
    "PATCH /api/notifications/v1/preferences": "quiet_hours",
    # Proposed meeting times lie ahead and differ from one another.
    "POST /api/announcements/v1/contacts": "proposed_times",
}

# For each exception, a request its operation's schema accepts and its rule refuses: proof that
# the exception is needed (the schema cannot say it) and that the refusal is the documented 422,
# on the field the rule names (`REFUSED_FIELD`).
REFUSED_BUT_SCHEMA_VALID = {
    "POST /api/members/v1/organisations": {
        "organisation": {
            "name": "Acme Robotics",
            "country": "FR",
            "park": "sophia_antipolis",
            "kind": "company",
            "sectors": ["software"],
            "registration_number": "123456789",  # nine digits, Luhn digit wrong
        },
        "admin": {
            "email": "someone@acme.example",
            "password": "a long enough password",
            "full_name": "Someone",
        },
    },
    "POST /api/members/v1/me/password": {
        "current_password": "not the password at all",
        "new_password": "a long enough password",
    },
    "DELETE /api/members/v1/me": {"password": "not the password at all"},
    "POST /api/projects/v1/projects": {
        "kind": "rd_partnership",
        "title": {"en": "A project"},
        "summary": {"en": "What it is about"},
        "sectors": ["software"],
        "starts_on": "2030-01-02",
        "ends_on": "2030-01-01",
    },
    "PATCH /api/notifications/v1/preferences": {"quiet_hours": {"start": "22:00", "end": "22:00"}},
    "POST /api/announcements/v1/contacts": {
        "recipient_organisation_id": "6f1c0f6e-3c39-4a7e-9d55-1b8c2f1f6a10",
        "message": "Shall we meet?",
        "proposed_times": ["2001-01-01T09:00:00Z"],
    },
}

# Opaque values only the API makes, which schema-valid strings cannot be: positive requests
# leave them out (they are optional); negative requests still send them, broken.
# - `cursor`: a page's sort key, base64url JSON typed per keyset column (`shared.pagination`).
OPAQUE_QUERY_PARAMETERS = ("cursor",)


def config() -> schemathesis.config.SchemathesisConfig:
    return schemathesis.config.SchemathesisConfig.from_dict(
        {
            # NUL is refused wherever it sits (`shared.input_safety`, docs/architecture.md
            # "Edges"): PostgreSQL cannot store it. Schemathesis's own switch for such APIs.
            "generation": {
                "allow-x00": False,
                # Parameters an operation does not list (query, headers) are ignored, as HTTP
                # and OpenAPI have them; only bodies are closed (`additionalProperties`).
                "allow-extra-parameters": False,
            },
            "operations": [
                {
                    "include-name": name,
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": [
                                *POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES,
                                "422",
                            ]
                        }
                    },
                }
                for name in REFUSES_VALID_DATA
            ],
        }
    )


def without_opaque_values(case):
    for name in OPAQUE_QUERY_PARAMETERS:
        if case.query:
            case.query.pop(name, None)
    return case


def all_checks() -> list:
    load_all_checks()
    return CHECKS.get_all()


def findings(app, service: str, headers: dict) -> list[str]:
    """Every operation run through schemathesis; one line per operation and mode that failed."""
    schema = schemathesis.openapi.from_wsgi(f"/api/{service}/v1/openapi.json", app, config=config())
    checks = all_checks()
    found = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in MODES:
            strategy = operation.as_strategy(generation_mode=mode)
            if mode is GenerationMode.POSITIVE:
                strategy = strategy.map(without_opaque_values)

            @given(case=strategy)
            @settings(
                max_examples=MAX_EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def run(case):
                case.call_and_validate(headers=headers, checks=checks)

            try:
                run()
            except Unsatisfiable:
                # schemathesis limitation, not a finding: an operation with no parameter and no
                # body (or only a path enum it cannot break without leaving the route) has no
                # negative request to make, and hypothesis reports that as unsatisfiable.
                continue
            except (Exception, BaseExceptionGroup) as failure:  # a check failed, or the call
                found.append(f"{operation.label} [{mode.value}]: {failure}")
    return found


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
@pytest.mark.parametrize("service", SERVICES)
def test_schemathesis_finds_nothing(apps, person, service, signed_in):
    headers = person["headers"] if signed_in else {}
    found = findings(apps[service], service, headers)
    assert not found, "\n\n".join(found)


REFUSED_FIELD = {
    "POST /api/members/v1/organisations": "/organisation/registration_number",
    "POST /api/members/v1/me/password": "/current_password",
    "DELETE /api/members/v1/me": "/password",
    "POST /api/projects/v1/projects": "/ends_on",
    "PATCH /api/notifications/v1/preferences": "/quiet_hours.end",
    "POST /api/announcements/v1/contacts": "/proposed_times/0",
}


@pytest.mark.parametrize("name", sorted(REFUSES_VALID_DATA))
def test_each_exception_is_a_schema_valid_request_refused_with_the_documented_422(
    apps, person, name
):
    method, path = name.split(" ", 1)
    service = path.split("/")[2]
    client = apps[service].test_client()
    document = client.get(f"/api/{service}/v1/openapi.json").get_json()
    operation = document["paths"].get(path, {}).get(method.lower())
    assert operation is not None, f"{name}: no such operation"
    assert "422" in operation["responses"], f"{name}: no 422 documented"
    body = REFUSED_BUT_SCHEMA_VALID[name]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    Draft202012Validator({**schema, "components": document["components"]}).validate(body)
    response = client.open(path, method=method, json=body, headers=person["headers"])
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert [error["pointer"] for error in response.json["errors"]] == [REFUSED_FIELD[name]]
