"""Each service's OpenAPI document tells the truth: schemathesis calls every operation in-process.

schemathesis reads the document each app serves, generates requests from it (data that fits the
schemas, and data that does not), sends them to the real app over WSGI, anonymous and with a
signed-in organisation admin's token, and runs every built-in check on each answer: no server
error, the status, content type, headers and body as documented, invalid data refused, valid data
accepted, authentication not ignored. Any finding fails the test, named by operation.

Examples are bounded (`MAX_EXAMPLES` per operation and mode, no shrinking, no deadline) so the
suite stays fast; the bad-input corpus (`test_bad_input.py`) covers the hostile extremes.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks

from tests.contracts.conftest import SERVICES

MAX_EXAMPLES = 20
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def all_checks() -> list:
    load_all_checks()
    return CHECKS.get_all()


def findings(app, service: str, headers: dict) -> list[str]:
    """Every operation run through schemathesis; one line per operation and mode that failed."""
    schema = schemathesis.openapi.from_wsgi(f"/api/{service}/v1/openapi.json", app)
    checks = all_checks()
    found = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in MODES:

            @given(case=operation.as_strategy(generation_mode=mode))
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


# Known findings still open (issue #15 point 3): schema-valid bodies refused with 422 by rules the
# schemas do not state (registration numbers, ISO codes, date order, password rules), and some
# domain statuses (409, 410) not yet declared with @problems. Strict: the test fails once it passes,
# so the mark goes as soon as the findings are fixed.
@pytest.mark.xfail(strict=True, reason="open schemathesis findings, see the comment above")
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
@pytest.mark.parametrize("service", SERVICES)
def test_schemathesis_finds_nothing(apps, person, service, signed_in):
    headers = person["headers"] if signed_in else {}
    found = findings(apps[service], service, headers)
    assert not found, "\n\n".join(found)
