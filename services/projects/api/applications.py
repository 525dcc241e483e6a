"""Applications: an organisation applies, the owner's admins decide, the applicant withdraws."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy.exc import IntegrityError

from shared import policy
from shared.auth import authenticated
from shared.errors import Conflict
from shared.openapi import problems
from shared.organisation_status import PUBLISH
from shared.pagination import next_link

from ..domain import applications
from ..models import db
from ..schemas import (
    ApplicationIn,
    ApplicationOut,
    DecisionIn,
    SentApplicationArgs,
    SentApplicationPage,
)
from .common import language

blp = Blueprint("applications", __name__, description="Applications to calls for partners")


@blp.route("/projects/<uuid:project_id>/applications")
class ProjectApplications(MethodView):
    @policy.member("projects:read")
    @blp.response(200, ApplicationOut(many=True))
    def get(self, project_id):
        """All applications for the owner; your organisation's own otherwise."""
        return applications.of_project(db.session(), authenticated(), project_id)

    @policy.member("projects:apply", PUBLISH)
    @blp.arguments(ApplicationIn)
    @blp.response(201, ApplicationOut)
    @problems(409)
    def post(self, payload, project_id):
        """Apply to the project's open call, for your organisation."""
        try:
            with db.transaction() as session:
                return applications.submit(session, authenticated(), project_id, payload["message"])
        except IntegrityError as exc:  # a concurrent application won the race
            raise Conflict(
                "Your organisation already has a pending application to this project.",
                code="application.already_pending",
            ) from exc


@blp.route("/applications/<uuid:application_id>")
class ApplicationItem(MethodView):
    @policy.member("projects:read")
    @blp.response(200, ApplicationOut)
    def get(self, application_id):
        """One application, for the owner's and the applicant's members."""
        return applications.visible(db.session(), authenticated(), application_id)


@blp.route("/applications/<uuid:application_id>/decision")
class Decision(MethodView):
    @policy.admin("projects:write", PUBLISH)
    @blp.arguments(DecisionIn)
    @blp.response(200, ApplicationOut)
    @problems(409)
    def post(self, payload, application_id):
        """Accept (as lead or partner) or reject, with a reason: the owner's admins."""
        with db.transaction() as session:
            return applications.decide(
                session,
                authenticated(),
                application_id,
                payload["decision"],
                payload["reason"],
                payload["role"],
            )


@blp.route("/applications/<uuid:application_id>/withdrawal")
class Withdrawal(MethodView):
    @policy.member("projects:apply", PUBLISH)
    @blp.response(200, ApplicationOut)
    @problems(409)
    def post(self, application_id):
        """Withdraw a pending application: the applicant's members."""
        with db.transaction() as session:
            return applications.withdraw(session, authenticated(), application_id)


@blp.route("/organisations/<uuid:organisation_id>/applications")
class SentApplications(MethodView):
    @policy.member("projects:read", organisation="organisation_id")
    @blp.arguments(SentApplicationArgs, location="query")
    @blp.response(200, SentApplicationPage)
    def get(self, args, organisation_id):
        """The applications the organisation sent, newest first, with each project's title and
        state: its own members and platform staff."""
        result = applications.of_organisation(
            db.session(),
            authenticated(),
            organisation_id,
            status=args["status"],
            cursor=args["cursor"],
            limit=args["limit"],
            language=language(args["lang"]),
        )
        return result, 200, next_link(result["next"])
