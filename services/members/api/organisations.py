"""Organisations: registration, profile, verification."""

from __future__ import annotations

from flask import Response, jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy.exc import IntegrityError

from shared import policy
from shared.auth import (
    Caller,
    authenticated,
    current_caller,
)
from shared.errors import Conflict, NotFound
from shared.openapi import problems
from shared.organisation_status import PROFILE
from shared.pagination import next_link

from ..domain import organisations as domain
from ..models import Organisation, db, read_connection
from ..schemas.organisations import (
    BatchArgs,
    OrganisationBatch,
    OrganisationOut,
    OrganisationPage,
    OrganisationPatch,
    QueueArgs,
    RegistrationIn,
    RegistrationOut,
    SuspendIn,
    VerifyIn,
)

blp = Blueprint(
    "organisations",
    __name__,
    url_prefix="/organisations",
    description="Organisations: registration, profile, verification",
)

_COLUMNS = [c.name for c in domain.READ_COLUMNS]


def _audience(caller: Caller | None, organisation_id) -> str:
    if caller is not None and caller.is_platform_admin:
        return "staff"
    if caller is not None and caller.belongs_to(organisation_id):
        return "member"
    return "public"


def _shown(row: dict, caller: Caller | None) -> dict:
    """The row as this caller may see it: hints for staff, the status reason for members too."""
    audience = _audience(caller, row["id"])
    data = dict(row)
    if audience != "staff":
        data.pop("hints", None)
    if audience == "public":
        data.pop("status_reason", None)
    return data


def _row(org: Organisation) -> dict:
    row = {name: getattr(org, name) for name in _COLUMNS}
    return domain.with_contacts(db.session(), [row])[0]


def _json(row: dict) -> dict:
    """JSON-ready values without marshmallow: this is the hot path."""
    data = dict(row)
    data["id"] = str(row["id"])
    for key in ("created_at", "updated_at"):
        if data.get(key) is not None:
            data[key] = data[key].isoformat()
    return data


@blp.route("")
class Organisations(MethodView):
    @policy.anyone()
    @blp.arguments(RegistrationIn)
    @blp.response(201, RegistrationOut)
    @problems(409)
    def post(self, payload):
        """Register an organisation and its first admin; it stays pending until staff verify it."""
        try:
            with db.transaction() as session:
                org, user = domain.register(session, payload["organisation"], payload["admin"])
        except domain.AddressTaken as taken:  # the same answer; the owner hears of it by e-mail
            from ..tasks import enqueue, send_registration_notice

            enqueue(send_registration_notice, str(taken.owner_id))
            org, user = taken.answer
        except IntegrityError as exc:  # a concurrent registration won the race
            raise Conflict("This organisation was registered meanwhile.") from exc
        else:  # the registrant's acknowledgement and the platform admins' notice
            from ..tasks import enqueue, send_registration_received

            enqueue(send_registration_received, str(org.id))
        return {"organisation": _shown(_row(org), None), "admin": user}

    @policy.staff()
    @blp.arguments(QueueArgs, location="query")
    @blp.response(200, OrganisationPage)
    def get(self, args):
        """Organisations in one status, oldest first (staff's verification queue)."""
        result = domain.queue(db.session(), args["status"], args["cursor"], args["limit"])
        return result, 200, next_link(result["next"])


@blp.route("/batch")
class OrganisationBatchRead(MethodView):
    @policy.anyone(scope="directory:read")
    @blp.arguments(BatchArgs, location="query")
    @blp.response(200, OrganisationBatch)
    def get(self, args):
        """Several organisations in one call (a page's cards): each as `GET /organisations/<id>`
        would show it to the caller; unknown ones and those the caller may not see left out."""
        caller = current_caller()
        with read_connection() as connection:
            rows = domain.fetch_many(connection, args["ids"])
        shown = [
            _json(_shown(row, caller))
            for row in rows
            if domain.can_see(caller, row["id"], row["status"])
        ]
        response = jsonify({"items": shown})
        response.headers["Cache-Control"] = "private, no-cache"
        return response


@blp.route("/<uuid:organisation_id>")
class OrganisationItem(MethodView):
    @policy.anyone(scope="directory:read")
    @blp.response(200, OrganisationOut)
    @blp.alt_response(304, description="Not modified since the ETag given in If-None-Match")
    def get(self, organisation_id):
        """One organisation: verified ones are public, others only for members and staff."""
        caller = current_caller()
        with read_connection() as connection:
            row = domain.fetch(connection, organisation_id)
        if row is None or not domain.can_see(caller, row["id"], row["status"]):
            raise NotFound("No such organisation.")
        # What the caller may see is part of the version: staff get hints the public does not.
        view = _audience(caller, row["id"])
        etag = f"{row['id'].hex}-{int(row['updated_at'].timestamp() * 1_000_000)}-{view}"
        if request.if_none_match.contains_weak(etag):
            response = Response(status=304)
        else:
            response = jsonify(_json(_shown(row, caller)))
        response.set_etag(etag)
        response.headers["Cache-Control"] = "public, no-cache" if view == "public" else "private"
        response.headers["Vary"] = "Authorization"
        return response

    @policy.admin("organisation:admin", PROFILE, organisation="organisation_id")
    @blp.arguments(OrganisationPatch)
    @blp.response(200, OrganisationOut)
    def patch(self, changes, organisation_id):
        """Change the profile: the organisation's admins and platform staff only. Its contact
        person (`contact_user_id`, null for none) is one of its members, shown to everyone."""
        caller = authenticated()
        with db.transaction() as session:
            org = domain.update(session, caller, organisation_id, changes)
        return _shown(_row(org), caller)


@blp.route("/<uuid:organisation_id>/verify")
class Verify(MethodView):
    @policy.staff()
    @blp.arguments(VerifyIn)
    @blp.response(200, OrganisationOut)
    @problems(409)
    def post(self, payload, organisation_id):
        """Verify a pending organisation, or reinstate a suspended one (platform staff)."""
        caller = authenticated()
        with db.transaction() as session:
            org = domain.verify(session, caller, organisation_id, payload["reason"])
        return _shown(_row(org), caller)


@blp.route("/<uuid:organisation_id>/suspend")
class Suspend(MethodView):
    @policy.staff()
    @blp.arguments(SuspendIn)
    @blp.response(200, OrganisationOut)
    @problems(409)
    def post(self, payload, organisation_id):
        """Suspend an organisation, or turn a pending one down, with a reason (platform staff)."""
        caller = authenticated()
        with db.transaction() as session:
            org = domain.suspend(session, caller, organisation_id, payload["reason"])
        return _shown(_row(org), caller)
