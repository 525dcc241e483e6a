"""The portal's pages, one blueprint a part of the site, and what every template sees."""

from __future__ import annotations

from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from shared.i18n import LOCALES, pick

from .. import badge, i18n, layout_reads, standing
from ..auth import current_person

# The main navigation. An entry shows once its endpoint exists, so the projects, announcements and
# notifications pages light up here as their blueprints are registered.
NAVIGATION = [
    ("public.home", _l("Home")),
    ("dashboard.index", _l("Dashboard")),
    ("public.directory", _l("Directory")),
    ("projects.index", _l("Projects")),
    ("announcements.index", _l("Announcements")),
    ("notifications.inbox", _l("Notifications")),
    ("contacts.index", _l("Contacts")),
]


SIGNED_IN_ONLY = {"dashboard.index", "notifications.inbox", "contacts.index"}


def init_app(app: Flask) -> None:
    from importlib import import_module

    from . import (
        account,
        admin,
        announcements,
        contacts,
        dashboard,
        integrations,
        meeting_agenda,
        meeting_organiser,
        meetings,
        notifications,
        organisation,
        personal_data,
        projects,
        public,
    )

    for module in (
        public,
        account,
        personal_data,
        dashboard,
        projects,
        announcements,
        meetings,
        meeting_agenda,
        notifications,
        organisation,
        integrations,
        admin,
        meeting_organiser,
        contacts,
    ):
        app.register_blueprint(module.bp)
    app.register_blueprint(import_module("services.portal.views.dev_mailbox").bp)

    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    app.before_request(layout_reads.start)

    @app.context_processor
    def _globals():
        language = str(get_locale())
        person = current_person()
        return {
            "person": person,
            "language": language,
            "languages": [(code, i18n.LANGUAGE_NAMES[code]) for code in LOCALES],
            "navigation": [
                (e, label)
                for e, label in NAVIGATION
                if e in endpoints and (e not in SIGNED_IN_ONLY or person is not None)
            ],
            "unread_count": badge.unread_count,
            "organisation_status": standing.organisation_status_of_reader,
            "pending_registrations": standing.pending_registrations,
            "label": lambda kind, code: i18n.label(kind, code, language),
            "country_name": lambda code: i18n.country_name(code, language),
            "country_groups": lambda choices: i18n.country_groups(choices, language),
            "pick": lambda text: pick(text, language),
            "fallback_note": lambda text: i18n.fallback_note(text, language),
            "lang_of": lambda text: i18n.lang_attribute(text, language),
            "here": request.full_path.rstrip("?") if request else "/",
            "url_for": url_for,
        }
