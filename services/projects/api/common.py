"""What the views share: the reader's language, and a project as this reader may see it."""

from __future__ import annotations

from flask import current_app, request

from shared.auth import Caller, current_caller
from shared.data_version import AnswerCache
from shared.i18n import DEFAULT_LOCALE, negotiate

from ..domain import applications, projects
from ..domain.views import call_shown, owner_shown
from ..domain.vocabulary import TRANSITIONS
from ..models import Organisation, Project, matchmaking_version


def language(requested: str | None = None) -> str:
    """`lang` first, then Accept-Language, then the signed-in person's language."""
    if requested:
        return requested
    if request.headers.get("Accept-Language"):
        return negotiate(request.headers["Accept-Language"])
    caller = current_caller()
    return (caller.language if caller else None) or DEFAULT_LOCALE


def project_out(session, project: Project, caller: Caller) -> dict:
    """The whole project for one reader: owner hidden while discreet, budget as a range."""
    owner = session.get(Organisation, project.organisation_id)
    budget = None
    if project.budget_min is not None or project.budget_max is not None:
        budget = {
            "min": project.budget_min,
            "max": project.budget_max,
            "currency": project.budget_currency,
        }
    return {
        "id": project.id,
        "kind": project.kind,
        "state": project.state,
        "owner": owner_shown(project, owner, caller),
        "title": project.title,
        "summary": project.summary,
        "description": project.description,
        "description_html": project.description_html,
        "sectors": project.sectors,
        "keywords": project.keywords,
        "partner_sought": {
            "countries": project.seeks_countries,
            "kinds": project.seeks_kinds,
            "skills": project.seeks_skills,
        },
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "budget": budget,
        "funding_scheme": project.funding_scheme,
        "visibility": project.visibility,
        "attachments": project.attachments,
        "call": call_shown(project),
        "allowed_transitions": list(TRANSITIONS[project.state]),
        "milestones": projects.milestones(session, project.id),
        "partners": applications.partners(session, project.id),
        "created_at": project.created_at,
        "updated_at": project.updated_at,
    }


def answers() -> AnswerCache:
    """This app's kept answers (recommendations, searches), valid while no write came."""
    kept = current_app.extensions.get("matchmaking_answers")
    if kept is None:
        kept = current_app.extensions["matchmaking_answers"] = AnswerCache(
            matchmaking_version.current
        )
    return kept
