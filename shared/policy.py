"""Who may call each operation: declared once beside the view, enforced here for every service.

Every operation of every API carries one `Rule`, written with the helpers below:

    @policy.anyone(scope="projects:read")              # anonymous too; clients need the scope
    @policy.member(scope="projects:write", capability=DRAFTS)
    @policy.admin(scope="organisation:admin", capability=COLLEAGUES, organisation="organisation_id")
    @policy.person(capability=NOTIFICATIONS)           # people only: clients are refused
    @policy.staff()                                    # platform staff only

The declaration only labels the view; `init_app` checks it before the view runs (and before its
body or query is parsed), so refusals look the same everywhere:

- no token where one is needed: 401;
- an integrator client without the operation's scope: 403 `access.scope_missing`;
  a client on a people-only or staff operation: 403 `access.people_only` / `access.staff_only`;
- a person without the role: 403 `access.admin_only` / `access.staff_only`;
- a person or client whose organisation's status does not allow the capability: 403
  `organisation.<status>` (`shared.organisation_status` holds the table);
- a caller who does not act for the organisation named in the path: 403 `access.other_organisation`.

Platform staff pass every role, status and organisation check (they act for no organisation).
A service whose operation declares no rule does not start: `init_app` refuses it, so no
operation ships undecided. The OpenAPI documents show each rule (`shared.openapi`): the
security requirement with the client's scope, and `x-access` with the roles and statuses.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, g, request

from shared import organisation_status
from shared.auth import Caller
from shared.errors import Forbidden, Unauthorized
from shared.organisation_status import PUBLIC

ANYONE = "anyone"  # anonymous callers too; a token, if sent, is still judged
SIGNED_IN = "signed_in"  # a person or an integrator client
PEOPLE = "people"  # a signed-in person; integrator clients are refused
STAFF = "staff"  # platform staff only
ATTRIBUTE = "__access_rule__"


@dataclass(frozen=True)
class Rule:
    """What an operation asks of its caller."""

    who: str
    scope: str | None = None  # the scope an integrator client's token must hold
    admin: bool = False  # people need their organisation's admin role
    capability: str = PUBLIC  # what the caller organisation's status must allow
    organisation: str | None = None  # the view argument naming the organisation acted for

    @property
    def clients_allowed(self) -> bool:
        return self.who in (ANYONE, SIGNED_IN)

    def statuses(self) -> list[str]:
        """The organisation statuses whose people (and clients) pass."""
        return [
            status
            for status in organisation_status.ALLOWED
            if status != organisation_status.NO_ORGANISATION
            and organisation_status.allows(status, self.capability)
        ]

    def describe(self) -> dict:
        """The rule as the OpenAPI document's `x-access` shows it."""
        if self.who == STAFF:
            roles = ["platform_admin"]
        else:
            roles = ["org_admin"] if self.admin else ["org_member", "org_admin"]
        described = {
            "anonymous": self.who == ANYONE,
            "clients": self.clients_allowed,
            "scope": self.scope,
            "roles": roles,
            "capability": self.capability,
            "organisation_statuses": self.statuses(),
        }
        if self.organisation:
            described["acts_for_path_organisation"] = self.organisation
        return described

    def security(self) -> list[dict]:
        """The OpenAPI security requirement: the client's scope, or none for anonymous reads."""
        scopes = [self.scope] if self.scope and self.clients_allowed else []
        required = [{"bearerAuth": scopes}]
        return [{}, *required] if self.who == ANYONE else required


def _declare(rule: Rule):
    def decorator(view):
        setattr(view, ATTRIBUTE, rule)
        return view

    return decorator


def anyone(scope: str | None = None) -> Callable:
    """Anyone may call (the view narrows what anonymous readers see); a client needs `scope`."""
    return _declare(Rule(ANYONE, scope))


def member(
    scope: str, capability: str = PUBLIC, *, admin: bool = False, organisation: str | None = None
) -> Callable:
    """A person of an organisation (its admin if `admin`) or a client holding `scope`."""
    return _declare(Rule(SIGNED_IN, scope, admin, capability, organisation))


def admin(scope: str, capability: str = PUBLIC, *, organisation: str | None = None) -> Callable:
    """An organisation's admin, or its client holding `scope`."""
    return member(scope, capability, admin=True, organisation=organisation)


def person(
    capability: str = PUBLIC, *, admin: bool = False, organisation: str | None = None
) -> Callable:
    """A signed-in person only (their own account, inbox, sessions): clients are refused."""
    return _declare(Rule(PEOPLE, None, admin, capability, organisation))


def staff() -> Callable:
    """Platform staff only."""
    return _declare(Rule(STAFF))


def rule_of(function) -> Rule | None:
    """The rule declared on a view function (or any function it wraps)."""
    while function is not None:
        rule = getattr(function, ATTRIBUTE, None)
        if rule is not None:
            return rule
        function = getattr(function, "__wrapped__", None)
    return None


def operation_function(view, method: str):
    """The function serving `method` of a view: a MethodView's method, or the view itself."""
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        return view
    return getattr(view_class, method.lower(), None)


def check(rule: Rule, caller: Caller | None, view_args: dict, status_of) -> None:
    """Refuse the caller unless the rule lets them through (see the module's doc)."""
    if caller is None:
        if rule.who == ANYONE:
            return
        raise Unauthorized()
    if caller.kind == "client":
        if rule.who == STAFF:
            raise Forbidden("Only platform staff may do this.", code="access.staff_only")
        if rule.who == PEOPLE:
            raise Forbidden(
                "Only a signed-in person may do this, not an integrator client.",
                code="access.people_only",
            )
        if rule.scope and rule.scope not in caller.scopes:
            raise Forbidden(
                f"This needs the scope `{rule.scope}`.",
                code="access.scope_missing",
                scope=rule.scope,
            )
    elif caller.is_platform_admin:
        return
    elif rule.who == STAFF:
        raise Forbidden("Only platform staff may do this.", code="access.staff_only")
    elif rule.admin and "org_admin" not in caller.roles:
        raise Forbidden("Only your organisation's admins may do this.", code="access.admin_only")
    if rule.organisation:
        named = view_args.get(rule.organisation)
        if not caller.belongs_to(named):
            raise Forbidden(
                "You do not act for this organisation.", code="access.other_organisation"
            )
    if rule.capability != PUBLIC:
        organisation_status.ensure(status_of(caller), rule.capability)


def init_app(app: Flask, status_of: Callable[[uuid.UUID], str | None]) -> None:
    """Enforce every operation's rule before its view runs; refuse to start with an undeclared one.

    `status_of(organisation_id)` reads the organisation's status from the service's own data
    (members' table, the others' projection); when it does not know the organisation yet, the
    token's `org_status` claim (as members saw it when signing) decides.
    """

    def caller_status(caller: Caller) -> str | None:
        if caller.organisation_id is None:
            return organisation_status.NO_ORGANISATION
        return status_of(caller.organisation_id) or caller.organisation_status

    @app.before_request
    def _enforce_rule():
        if not request.path.startswith("/api/") or request.method == "OPTIONS":
            return
        view = app.view_functions.get(request.endpoint or "")
        if view is None:
            return
        function = operation_function(view, "get" if request.method == "HEAD" else request.method)
        rule = rule_of(function)
        if rule is None:
            return  # the documents and the docs' assets: served to anyone
        check(rule, g.get("caller"), request.view_args or {}, caller_status)

    app.extensions["policy"] = caller_status


def undeclared(app: Flask) -> list[str]:
    """Every API operation of `app` that declares no rule: "METHOD /path"."""
    missing = []
    for url_rule in app.url_map.iter_rules():
        if not url_rule.rule.startswith("/api/") or url_rule.endpoint.startswith("api-docs"):
            continue
        view = app.view_functions[url_rule.endpoint]
        for method in sorted((url_rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if rule_of(operation_function(view, method)) is None:
                missing.append(f"{method} {url_rule.rule}")
    return missing
