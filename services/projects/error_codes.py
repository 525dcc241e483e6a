"""The problem codes projects' rules name, beyond the shared ones (`shared.error_codes`)."""

CODES = {
    "project.transition_not_allowed": "The project cannot move from its state to the one asked.",
    "project.not_editable": "A closed or cancelled project is not edited any more.",
    "project.call_not_allowed": "Only a draft or open project carries a call for partners.",
    "project.owner_shown": "A discreet project that accepted a partner stays shown.",
    "project.milestones_need_active": "Milestones are added to active projects only.",
    "project.milestones_frozen": "Milestones of a project that is not active are frozen.",
    "application.own_project": "An organisation does not apply to its own project.",
    "application.call_closed": "The call for partners is closed or past its deadline.",
    "application.already_partner": "The organisation is already a partner.",
    "application.already_pending": "The organisation already has a pending application.",
    "application.already_decided": "The application was already accepted, declined or withdrawn.",
    "application.project_closed": "The project takes no new partners in its state.",
}
