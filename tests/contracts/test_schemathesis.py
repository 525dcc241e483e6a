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
    # Dates compared with each other or with today (no JSON Schema keyword compares two values):
    # ends_on after starts_on, call_deadline in the future; budget_max above budget_min.
    "POST /api/projects/v1/projects": "starts_on/ends_on, call_deadline, budget_min/budget_max",
    "PATCH /api/projects/v1/projects/{project_id}": "starts_on/ends_on, call_deadline, budget",
    # due_on not before starts_on.
    "POST /api/projects/v1/projects/{project_id}/milestones": "starts_on/due_on",
    "PATCH /api/projects/v1/projects/{project_id}/milestones/{milestone_id}": "starts_on/due_on",
    # Quiet hours' start and end differ.
    "PATCH /api/notifications/v1/preferences": "quiet_hours",
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


def test_each_exception_names_an_operation_that_documents_the_422(apps):
    """A misspelt entry would scope nothing; an operation without a 422 would not say it refuses."""
    for name in REFUSES_VALID_DATA:
        method, path = name.split(" ", 1)
        service = path.split("/")[2]
        document = apps[service].test_client().get(f"/api/{service}/v1/openapi.json").get_json()
        operation = document["paths"].get(path, {}).get(method.lower())
        assert operation is not None, f"{name}: no such operation"
        assert "422" in operation["responses"], f"{name}: no 422 documented"
