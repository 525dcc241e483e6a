"""Projects: creation, reading, search, edits, state moves, history and milestones."""

from __future__ import annotations

from flask import jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from shared import policy
from shared.auth import authenticated, current_caller
from shared.openapi import problems
from shared.organisation_status import DRAFTS, PUBLISH
from shared.pagination import next_link

from ..domain import access, audit, projects, search
from ..models import db
from ..schemas import (
    MilestoneIn,
    MilestoneOut,
    MilestonePatch,
    ProjectIn,
    ProjectOut,
    ProjectPage,
    ProjectPatch,
    SearchArgs,
    StaffActionOut,
    StateChangeOut,
    TransitionIn,
)
from .common import answers, language, project_out

blp = Blueprint(
    "projects",
    __name__,
    url_prefix="/projects",
    description="Cooperation projects, their calls for partners and milestones",
)


@blp.route("")
class Projects(MethodView):
    @policy.anyone(scope="projects:read")
    @blp.arguments(SearchArgs, location="query")
    @blp.response(200, ProjectPage)
    def get(self, args):
        """Find projects by words (en, fr, zh, pinyin) and filters, newest first; anonymous
        readers find published public projects only."""
        caller = current_caller()
        lang = language(args.pop("lang"))
        result = search.search(db.session(), caller, answers(), language=lang, **args)
        response = jsonify(result)  # already JSON-ready: no serializer on the hot path
        response.headers.update(next_link(result["next"]))
        return response

    @policy.member("projects:write", DRAFTS)
    @blp.arguments(ProjectIn)
    @blp.response(201, ProjectOut)
    def post(self, payload):
        """Create a draft project owned by your (verified) organisation."""
        caller = authenticated()
        with db.transaction() as session:
            project = projects.create(session, caller, payload)
            return project_out(session, project, caller)


@blp.route("/<uuid:project_id>")
class ProjectItem(MethodView):
    @policy.anyone(scope="projects:read")
    @blp.response(200, ProjectOut)
    def get(self, project_id):
        """One project: published public ones for anyone, members-only for verified members."""
        caller = current_caller()
        session = db.session()
        return project_out(session, access.readable(session, caller, project_id), caller)

    @policy.member("projects:write", DRAFTS)
    @blp.arguments(ProjectPatch)
    @blp.response(200, ProjectOut)
    @problems(409)
    def patch(self, payload, project_id):
        """Change a project (the owner organisation's members)."""
        caller = authenticated()
        with db.transaction() as session:
            project = projects.update(session, caller, project_id, payload)
            return project_out(session, project, caller)


@blp.route("/<uuid:project_id>/transitions")
class Transitions(MethodView):
    @policy.admin("projects:write", PUBLISH)
    @blp.arguments(TransitionIn)
    @blp.response(200, ProjectOut)
    @problems(409)
    def post(self, payload, project_id):
        """Move the project to another state (the owner's admins); recorded with who and when."""
        caller = authenticated()
        with db.transaction() as session:
            project = projects.transition(
                session, caller, project_id, payload["to_state"], payload["note"]
            )
            return project_out(session, project, caller)


@blp.route("/<uuid:project_id>/history")
class History(MethodView):
    @policy.member("projects:read")
    @blp.response(200, StateChangeOut(many=True))
    def get(self, project_id):
        """Every state the project went through, who moved it and when."""
        return projects.history(db.session(), authenticated(), project_id)


@blp.route("/<uuid:project_id>/staff-actions")
class StaffActions(MethodView):
    @policy.staff()
    @blp.response(200, StaffActionOut(many=True))
    def get(self, project_id):
        """What platform admins did to the project in its owner's stead (platform admins only)."""
        return audit.of_project(db.session(), authenticated(), project_id)


@blp.route("/<uuid:project_id>/milestones")
class Milestones(MethodView):
    @policy.member("projects:read")
    @blp.response(200, MilestoneOut(many=True))
    def get(self, project_id):
        """The project's milestones, by due date."""
        session = db.session()
        access.readable(session, authenticated(), project_id)
        return projects.milestones(session, project_id)

    @policy.member("projects:write", DRAFTS)
    @blp.arguments(MilestoneIn)
    @blp.response(201, MilestoneOut)
    @problems(409)
    def post(self, payload, project_id):
        """Add a milestone to an active project (the owner's members)."""
        with db.transaction() as session:
            return projects.add_milestone(session, authenticated(), project_id, payload)


@blp.route("/<uuid:project_id>/milestones/<uuid:milestone_id>")
class MilestoneItem(MethodView):
    @policy.member("projects:write", DRAFTS)
    @blp.arguments(MilestonePatch)
    @blp.response(200, MilestoneOut)
    @problems(409)
    def patch(self, payload, project_id, milestone_id):
        """Change a milestone's dates or progress."""
        with db.transaction() as session:
            return projects.update_milestone(
                session, authenticated(), project_id, milestone_id, payload
            )
