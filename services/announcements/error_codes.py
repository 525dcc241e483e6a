"""The problem codes announcements' rules name, beyond the shared ones (`shared.error_codes`)."""

CODES = {
    "registration.not_an_event": "Only events take registrations.",
    "registration.event_started": "The event has already started.",
    "registration.already_registered": "The person is already registered or waitlisted.",
}
