"""notifications' part of a person's data export: their inbox, choices, e-mails and endpoints."""

from __future__ import annotations

from shared.personal_data import rows

from ..models import Email, Notification, Preference, QuietHours, User, WebhookEndpoint

README = {
    "inbox.json": "Your notifications, read and unread, in every language they were written in.",
    "preferences.json": "How you chose to hear of each category (in the portal, e-mail, digest).",
    "quiet_hours.json": "Your quiet hours, during which e-mails wait.",
    "emails.json": "The e-mails sent to you, or waiting to be sent.",
    "webhook_endpoints_created.json": "Webhook endpoints you added for your organisation.",
    "profile_copy.json": "The copy of your name, e-mail, language and time zone kept here to "
    "reach you.",
}


def collect(session, user_id) -> tuple[dict, dict]:
    files = {
        "inbox.json": rows(session, Notification, Notification.user_id == user_id),
        "preferences.json": rows(session, Preference, Preference.user_id == user_id),
        "quiet_hours.json": rows(session, QuietHours, QuietHours.user_id == user_id),
        "emails.json": rows(session, Email, Email.user_id == user_id),
        "webhook_endpoints_created.json": rows(
            session, WebhookEndpoint, WebhookEndpoint.created_by == str(user_id)
        ),
        "profile_copy.json": rows(session, User, User.id == user_id),
    }
    return files, README
