"""Every operation of every API declares its access rule, shows it, and is held to it.

The walk reads each service's OpenAPI document, not the code: for every operation it takes the
rule the document shows (`x-access`, and the client scope in `security`) and calls the operation
as each kind of caller the rule concerns. Each refusal must come from the policy, with its code;
each grant must get past the policy (whatever the domain then answers about the made-up ids and
the empty body). The callers' organisations are unknown to the services, so the status the
policy judges is the token's `org_status` claim; `test_organisation_status.py` checks that a
service's own copy of the status wins over it.
"""

from __future__ import annotations

import re
import uuid

import pytest

from tests.contracts.conftest import SERVICES

STATUSES = ("pending", "verified", "suspended", "closed")
POLICY_CODES = re.compile(r"^(access\.|organisation\.|unauthorized|token_)")


def _operations(apps):
    for service in SERVICES:
        document = apps[service].test_client().get(f"/api/{service}/v1/openapi.json").get_json()
        for path, item in document["paths"].items():
            for method, operation in item.items():
                if method in ("get", "post", "put", "patch", "delete"):
                    parameters = [*item.get("parameters", []), *operation.get("parameters", [])]
                    yield service, method, path, {**operation, "parameters": parameters}


@pytest.fixture(scope="module")
def operations(apps):
    return list(_operations(apps))


class Callers:
    """Tokens members signs for made-up people and clients of made-up organisations."""

    def __init__(self, members_app):
        self.members_app = members_app
        self.organisation_id = str(uuid.uuid4())

    def _token(self, claims: dict) -> dict:
        from services.members.domain import keys
        from services.members.models import db

        with self.members_app.app_context(), db.transaction() as session:
            token, _ttl = keys.sign(session, claims)
        return {"Authorization": f"Bearer {token}"}

    def person(self, role="org_admin", status="verified", organisation_id=None) -> dict:
        return self._token(
            {
                "sub": str(uuid.uuid4()),
                "roles": [role],
                "org": organisation_id or self.organisation_id,
                "org_status": status,
                "lang": "en",
            }
        )

    def staff(self) -> dict:
        return self._token({"sub": str(uuid.uuid4()), "roles": ["platform_admin"], "lang": "en"})

    def client(self, scopes, status="verified") -> dict:
        client_id = f"client-{uuid.uuid4().hex[:12]}"
        return self._token(
            {
                "sub": client_id,
                "client_id": client_id,
                "org": self.organisation_id,
                "org_status": status,
                "roles": [],
                "scope": " ".join(scopes),
            }
        )


def _call(apps, callers, service, method, path, operation, headers):
    def value(match):
        name = match.group(1)
        if name == "organisation_id":
            return callers.organisation_id
        parameter = next((p for p in operation.get("parameters", []) if p.get("name") == name), {})
        schema = parameter.get("schema", {})
        if schema.get("type") == "integer":
            return "1"
        if schema.get("format") == "uuid":
            return str(uuid.uuid4())
        if "enum" in schema:
            return schema["enum"][0]
        return "en"

    url = re.sub(r"{([^}]+)}", value, path)
    kwargs = {"headers": headers}
    if "requestBody" in operation:
        kwargs["json"] = {}
    return apps[service].test_client().open(url, method=method.upper(), **kwargs)


def _refused(response, code: str) -> bool:
    body = response.get_json(silent=True) or {}
    return response.status_code == 403 and body.get("code") == code


def _granted(response) -> bool:
    """Past the policy: whatever the domain answers, it is not the policy's refusal."""
    body = response.get_json(silent=True) or {}
    code = body.get("code") if isinstance(body, dict) else None
    return response.status_code != 401 and not (code and POLICY_CODES.match(code))


def test_every_operation_shows_its_rule(operations):
    assert len(operations) > 80
    undeclared = [f"{m.upper()} {p}" for _s, m, p, op in operations if "x-access" not in op]
    assert undeclared == []
    for _service, _method, _path, operation in operations:
        access = operation["x-access"]
        requirements = operation["security"]
        assert (requirements == [] or {} in requirements) == access["anonymous"]
        scopes = [scope for r in requirements for scope in r.get("bearerAuth", [])]
        assert scopes == ([access["scope"]] if access["clients"] and access["scope"] else [])
        assert set(access["organisation_statuses"]) <= set(STATUSES)


def _refusals(callers: Callers, access: dict):
    """(who, their headers, the code the policy must refuse them with) for one rule."""
    from services.members.domain.tokens import SCOPES

    if access["clients"] and access["scope"]:
        others = [scope for scope in SCOPES if scope != access["scope"]]
        yield "client without the scope", callers.client(others), "access.scope_missing"
    staff_only = access["roles"] == ["platform_admin"]
    if not access["clients"]:
        code = "access.staff_only" if staff_only else "access.people_only"
        yield "client", callers.client(SCOPES), code
    if staff_only:
        yield "organisation admin", callers.person("org_admin"), "access.staff_only"
    elif access["roles"] == ["org_admin"]:
        yield "plain member", callers.person("org_member"), "access.admin_only"
    if access.get("acts_for_path_organisation"):
        stranger = callers.person(organisation_id=str(uuid.uuid4()))
        yield "another organisation's admin", stranger, "access.other_organisation"
    if staff_only or access["anonymous"]:
        return
    for status in set(STATUSES) - set(access["organisation_statuses"]):
        yield f"{status} admin", callers.person(status=status), f"organisation.{status}"
        if access["clients"]:
            yield f"{status} client", callers.client(SCOPES, status), f"organisation.{status}"


def test_every_refusal_comes_from_the_policy_with_its_code(apps, operations, members_app):
    callers = Callers(members_app)
    failures = []
    for service, method, path, operation in operations:
        access = operation["x-access"]
        name = f"{method.upper()} {path}"
        if not access["anonymous"]:
            response = _call(apps, callers, service, method, path, operation, {})
            if response.status_code != 401:
                failures.append((name, "anonymous", response.status_code))
        for who, headers, code in _refusals(callers, access):
            response = _call(apps, callers, service, method, path, operation, headers)
            if not _refused(response, code):
                failures.append((name, who, response.status_code, response.get_data()[:120]))
    assert failures == [], "\n".join(map(str, failures))


def test_every_grant_gets_past_the_policy(apps, operations, members_app):
    callers = Callers(members_app)
    failures = []
    for service, method, path, operation in operations:
        access = operation["x-access"]
        allowed = []
        if access["roles"] == ["platform_admin"]:
            allowed.append(("staff", callers.staff()))
        else:
            for status in access["organisation_statuses"]:
                allowed.append((f"{status} admin", callers.person(status=status)))
            if "org_member" in access["roles"]:
                allowed.append(("member", callers.person("org_member")))
            if access["clients"]:
                scopes = [access["scope"]] if access["scope"] else []
                allowed.append(("client with the scope", callers.client(scopes)))
            allowed.append(("staff", callers.staff()))
        if access["anonymous"]:
            allowed.append(("anonymous", {}))
        for who, headers in allowed:
            response = _call(apps, callers, service, method, path, operation, headers)
            if not _granted(response):
                failures.append((f"{method.upper()} {path}", who, response.get_data()[:160]))
    assert failures == [], "\n".join(map(str, failures))
