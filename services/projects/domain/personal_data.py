"""projects' part of a person's data export: what they did in projects, by their id."""

from __future__ import annotations

from shared.personal_data import rows

from ..models import Application, Milestone, Project, StaffAction, StateChange

README = {
    "projects_created.json": "Projects you created for your organisation.",
    "state_changes.json": "Changes of a project's state (opened, started, completed...) you made.",
    "applications_submitted.json": "Applications you submitted, with their messages.",
    "applications_decided.json": "Applications you accepted or declined.",
    "milestones_updated.json": "Milestones whose state you updated.",
    "staff_actions.json": "Actions you took as platform staff on projects.",
}


def collect(session, user_id) -> tuple[dict, dict]:
    files = {
        "projects_created.json": rows(session, Project, Project.created_by == user_id),
        "state_changes.json": rows(session, StateChange, StateChange.changed_by == user_id),
        "applications_submitted.json": rows(
            session, Application, Application.submitted_by == user_id
        ),
        "applications_decided.json": rows(session, Application, Application.decided_by == user_id),
        "milestones_updated.json": rows(session, Milestone, Milestone.updated_by == user_id),
        "staff_actions.json": rows(session, StaffAction, StaffAction.user_id == user_id),
    }
    return files, README
