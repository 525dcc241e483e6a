"""Matchmaking: recommended projects for an organisation, partners for a project."""

from __future__ import annotations

import uuid

from flask import jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from shared import organisation_status, policy
from shared.auth import authenticated
from shared.organisation_status import DRAFTS, MEMBERS_ONLY

from ..domain import matchmaking, search
from ..models import Organisation, db
from ..schemas import (
    DashboardArgs,
    DashboardOut,
    RecommendationArgs,
    RecommendedPartnerOut,
    RecommendedProjectOut,
)
from .common import answers, language

blp = Blueprint("recommendations", __name__, description="Matchmaking")


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


@blp.route("/organisations/<uuid:organisation_id>/dashboard")
class Dashboard(MethodView):
    @policy.member("projects:read", DRAFTS, organisation="organisation_id")
    @blp.arguments(DashboardArgs, location="query")
    @blp.response(200, DashboardOut)
    def get(self, args, organisation_id):
        """The organisation's panels of its people's dashboard in one read: its newest projects
        (drafts included), the open calls that fit it (once it is verified: members-only
        content), and the partners that fit its newest open or active project."""
        caller = authenticated()
        session = db.session()
        limit, lang = args["limit"], language(args["lang"])
        mine = [
            *search.search(
                session,
                caller,
                answers(),
                organisation_id=organisation_id,
                state="draft",
                limit=limit,
                language=lang,
            )["items"],
            *search.search(
                session,
                caller,
                answers(),
                organisation_id=organisation_id,
                limit=limit,
                language=lang,
            )["items"],
        ]
        mine.sort(key=lambda p: p["created_at"], reverse=True)
        mine = mine[:limit]
        organisation = session.get(Organisation, organisation_id)
        status = organisation.status if organisation is not None else None
        fitting = []
        if caller.is_platform_admin or organisation_status.allows(status, MEMBERS_ONLY):
            fitting = matchmaking.projects_for(
                session, caller, organisation_id, limit=limit, language=lang, answers=answers()
            )
        seeking = next((p for p in mine if p["state"] in ("open", "active")), None)
        partners = []
        if seeking is not None:
            partners = matchmaking.partners_for(
                session,
                caller,
                uuid.UUID(seeking["id"]),
                limit=limit,
                language=lang,
                answers=answers(),
            )
        return jsonify(
            {
                "projects": mine,
                "recommended_projects": RecommendedProjectOut(many=True).dump(fitting),
                "seeking": seeking,
                "recommended_partners": RecommendedPartnerOut(many=True).dump(partners),
            }
        )
