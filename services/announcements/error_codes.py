"""The problem codes announcements' rules name, beyond the shared ones (`shared.error_codes`)."""

CODES = {
    "registration.not_an_event": "Only events take registrations.",
    "registration.event_started": "The event has already started.",
    "registration.already_registered": "The person is already registered or waitlisted.",
    "matchmaking.not_enabled": "The event has no one-to-one meetings.",
    "matchmaking.slots_in_use": "Meetings hold slots: sessions and meeting length stay fixed.",
    "participant.not_registered": "Only people registered for the event take part in its meetings.",
    "participant.already_joined": "The person takes part in the event's meetings already.",
    "meeting.booking_closed": "The event's booking window is not open.",
    "meeting.same_organisation": "Meetings are between different organisations.",
    "meeting.no_common_format": "The two cannot meet that way (in person or online).",
    "meeting.limit_reached": "A party has the most meetings the event allows.",
    "meeting.already_requested": "The two have an open meeting request already.",
    "meeting.not_open": "The request is no longer open to this decision.",
    "meeting.slot_not_common": "The slot is not in a session both attend, in the meeting's format.",
    "meeting.outside_working_hours": "The slot is outside a party's working hours.",
    "meeting.slot_taken": "A party or the last table is booked in that slot already.",
    "meeting.no_table": "Every table is taken in that slot.",
    "meeting.not_scheduled": "The meeting has no published time yet.",
    "schedule.running": "The scheduler is running for this event already.",
    "meeting.time_passed": "The proposed time has passed.",
}
