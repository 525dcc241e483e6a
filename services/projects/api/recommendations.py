"""Matchmaking: recommended projects for an organisation, partners for a project."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from shared import policy
from shared.auth import authenticated
from shared.data_version import AnswerCache
from shared.organisation_status import DRAFTS, MEMBERS_ONLY

from ..domain import matchmaking
from ..models import db, matchmaking_version
from ..schemas import RecommendationArgs, RecommendedPartnerOut, RecommendedProjectOut
from .common import language

blp = Blueprint("recommendations", __name__, description="Matchmaking")


def answers() -> AnswerCache:
    """This app's kept recommendations (domain/matchmaking.py), valid while no write came."""
    kept = current_app.extensions.get("matchmaking_answers")
    if kept is None:
        kept = current_app.extensions["matchmaking_answers"] = AnswerCache(
            matchmaking_version.current
        )
    return kept


@blp.route("/organisations/<uuid:organisation_id>/recommended-projects")
class RecommendedProjects(MethodView):
    @policy.member("projects:read", MEMBERS_ONLY, organisation="organisation_id")
    @blp.arguments(RecommendationArgs, location="query")
    @blp.response(200, RecommendedProjectOut(many=True))
    def get(self, args, organisation_id):
        """Open calls that fit the organisation, best first, each with its reasons."""
        return matchmaking.projects_for(
            db.session(),
            authenticated(),
            organisation_id,
            limit=args["limit"],
            language=language(args["lang"]),
            answers=answers(),
        )


@blp.route("/projects/<uuid:project_id>/recommended-partners")
class RecommendedPartners(MethodView):
    @policy.member("projects:read", DRAFTS)
    @blp.arguments(RecommendationArgs, location="query")
    @blp.response(200, RecommendedPartnerOut(many=True))
    def get(self, args, project_id):
        """Verified organisations that fit the project, best first, each with its reasons."""
        return matchmaking.partners_for(
            db.session(),
            authenticated(),
            project_id,
            limit=args["limit"],
            language=language(args["lang"]),
            answers=answers(),
        )
