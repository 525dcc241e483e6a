"""What an API refusal means, in the reader's language, found by its stable `code`.

The APIs answer problem+json with a `code` (docs/errors.md) and, per field, an error `code` with
`params`; the portal never reads their English `detail`. A problem's code has one message here;
a field error's code too, with its parameters filled in. A form that knows what a domain rule
means for one of its fields (`invalid` on `ends_on`: the project ends before it starts) names it
in its `FIELD_MESSAGES`, looked up by pointer before the generic field message. Codes this
module does not know (a service newer than the portal) fall back to a generic sentence, never to
the English detail.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .api_client import ApiError

UNREADABLE = _l("The request could not be understood. Reload the page and try again.")

# Every problem `code` any service answers (shared.error_codes and each service's error_codes).
PROBLEMS = {
    "bad_request": UNREADABLE,
    "invalid_json": UNREADABLE,
    "json_too_deep": UNREADABLE,
    "unauthorized": _l("Sign in to do this."),
    "token_expired": _l("Your session has expired: sign in again."),
    "token_revoked": _l("Your access has changed since you signed in: sign in again."),
    "organisation.pending": _l(
        "Your organisation is not verified yet: until the platform team verifies it, you can "
        "edit its profile, invite colleagues and write drafts."
    ),
    "organisation.suspended": _l(
        "Your organisation is suspended: you can read your notifications and export your data."
    ),
    "organisation.closed": _l("Your organisation is closed."),
    "organisation.none": _l("Only members of an organisation may do this."),
    "access.scope_missing": _l("This client's scopes do not allow this."),
    "access.people_only": _l("Only a signed-in person may do this."),
    "access.staff_only": _l("Only the platform team may do this."),
    "access.admin_only": _l("Only your organisation's administrators may do this."),
    "access.other_organisation": _l("You do not act for this organisation."),
    "organisation.unknown": _l("Your organisation is still being set up. Try again in a minute."),
    "forbidden": _l("You may not do this."),
    "not_found": _l("This no longer exists, or you may not see it."),
    "method_not_allowed": UNREADABLE,
    "not_acceptable": UNREADABLE,
    "conflict": _l("This conflicts with something that already exists."),
    "gone": _l("This is no longer available."),
    "precondition_failed": _l(
        "Someone changed this while you were editing it: reload the page to see their change."
    ),
    "precondition_required": _l(
        "Someone changed this while you were editing it: reload the page to see their change."
    ),
    "payload_too_large": _l("What you sent is too large."),
    "unsupported_media_type": UNREADABLE,
    "validation_failed": _l("Some fields need your attention."),
    "too_many_requests": _l("Too many attempts. Wait a few minutes and try again."),
    "internal_error": _l("Something went wrong on our side. Try again in a moment."),
    # members
    "oauth.invalid_request": UNREADABLE,
    "oauth.invalid_client": _l("This client's identifier or secret is not correct."),
    "oauth.invalid_grant": _l("The e-mail address or the password is not correct."),
    "oauth.unauthorized_client": _l("This client may not sign in this way."),
    "oauth.unsupported_grant_type": _l("This client may not sign in this way."),
    "oauth.invalid_scope": _l("A scope asked for is not granted to this client."),
    "password.too_short": _l("The password is too short."),
    "password.too_long": _l("The password is too long."),
    "password.current_wrong": _l("The current password is not correct."),
    "password.wrong": _l("The password is not correct."),
    "account.last_member": _l(
        "You are the last person of your organisation: close the organisation with your account."
    ),
    "organisation.registration_number_invalid": _l(
        "This is not a valid registration number: a SIREN has 9 digits, a SIRET 14 and a "
        "unified social credit code 18 characters. Check for a typing error."
    ),
    "organisation.registration_number_missing": _l("Give the organisation's registration number."),
    "invitation.already_member": _l("This person is already a member."),
    "invitation.already_pending": _l("Already invited."),
    "invitation.already_accepted": _l("This invitation was accepted: there is nothing to revoke."),
    "invitation.expired_or_revoked": _l("This invitation has expired or was withdrawn."),
    "invitation.organisation_gone": _l("The organisation that sent this invitation is closed."),
    # projects
    "project.transition_not_allowed": _l(
        "The project cannot move to this state from its present one."
    ),
    "project.not_editable": _l("A completed or cancelled project is not edited any more."),
    "project.call_not_allowed": _l("Only a draft or open project has a call for partners."),
    "project.owner_shown": _l("A project that accepted a partner shows its owner for good."),
    "project.milestones_need_active": _l("Milestones belong to active projects."),
    "project.milestones_frozen": _l(
        "The milestones of a project that is not active cannot change."
    ),
    "application.own_project": _l("An organisation does not apply to its own project."),
    "application.call_closed": _l("This project's call for partners is closed."),
    "application.already_partner": _l("Your organisation is already a partner of this project."),
    "application.already_pending": _l(
        "Your organisation already has a pending application to this project."
    ),
    "application.already_decided": _l("This application is already decided or withdrawn."),
    "application.project_closed": _l(
        "A project that is neither open nor active takes no new partners."
    ),
    # announcements
    "registration.not_an_event": _l("Only events take registrations."),
    "registration.event_started": _l("This event has already started."),
    "registration.already_registered": _l("You are already signed up for this event."),
    "matchmaking.not_enabled": _l("This event has no one-to-one meetings."),
    "matchmaking.slots_in_use": _l(
        "Meetings are booked: the sessions and the length of meetings stay as they are."
    ),
    "participant.not_registered": _l(
        "Only people registered for the event take part in its meetings."
    ),
    "participant.already_joined": _l("You already take part in this event's meetings."),
    "meeting.booking_closed": _l("Meetings of this event cannot be booked now."),
    "meeting.same_organisation": _l("Meetings are between different organisations."),
    "meeting.no_common_format": _l("You cannot meet this way (in person or online)."),
    "meeting.limit_reached": _l("One of you has the most meetings this event allows."),
    "meeting.already_requested": _l("A meeting request between you is already open."),
    "meeting.not_open": _l("This meeting request is no longer open."),
    "meeting.slot_not_common": _l("This time is not in a session you both attend."),
    "meeting.outside_working_hours": _l("This time is outside the working hours of one of you."),
    "meeting.slot_taken": _l("This time is already booked."),
    "meeting.no_table": _l("Every table is taken at this time."),
    "meeting.not_scheduled": _l("This meeting has no time yet."),
    "schedule.running": _l("The schedule is being made already. Try again in a minute."),
    "meeting.time_passed": _l("This time has passed."),
    "meeting.no_break": _l("One of you would have no break between two meetings."),
    # notifications
    "webhook.url_refused": _l(
        "This address is refused: give a public address starting with https://."
    ),
    "webhook.event_type_unknown": _l("This event type no longer exists: reload the page."),
    "webhook.endpoint_disabled": _l("Enable the endpoint before sending its messages again."),
}

FALLBACK = _l("The request was refused.")


def _field_messages() -> dict[str, str]:
    """Every field error `code` (shared.field_errors), said with its `params`."""
    return {
        "required": _l("This field is required."),
        "null": _l("This field is required."),
        "invalid": _l("This value is not valid."),
        "invalid_type": _l("This value is not valid."),
        "unknown": _l("This field is not expected: reload the page."),
        "too_short": _l("Use at least %(min)s characters."),
        "too_long": _l("Use at most %(max)s characters."),
        "length_out_of_range": _l("Use from %(min)s to %(max)s characters."),
        "length_not_equal": _l("Use exactly %(equal)s characters."),
        "one_of": _l("Choose one of the values offered."),
        "none_of": _l("This value is not allowed."),
        "invalid_email": _l("Give a valid e-mail address."),
        "invalid_url": _l("Give a web address starting with https://."),
        "invalid_format": _l("This value is not in the expected form."),
        "not_equal": _l("This value is not the one expected."),
        "too_small": _l("Give a number of at least %(min)s."),
        "too_large": _l("Give a number of at most %(max)s."),
        "out_of_range": _l("Give a number from %(min)s to %(max)s."),
        "format": _l("Give a valid date, time or number."),
        "overflow": _l("This number is too large."),
        "special": _l("Give a finite number."),
        "invalid_utf8": _l("This text contains characters that cannot be stored."),
        "invalid_uuid": _l("This value is not valid."),
        "invalid_json": UNREADABLE,
        "not_storable": _l("This text contains characters that cannot be stored."),
    }


def problem(code: str | None) -> str:
    """The message of a problem's `code`, in the reader's language."""
    return str(PROBLEMS.get(code or "", FALLBACK))


def field(
    entry: Mapping, specific: Mapping[str, str] | None = None, rule: str | None = None
) -> str:
    """One field error's message: the form's own for its pointer (`invalid` only), else its
    code's with its `params`, else the rule the problem names
    (`organisation.registration_number_invalid`), else a generic one."""
    pointer = str(entry.get("pointer") or entry.get("parameter") or "").strip("/")
    code = str(entry.get("code") or "invalid")
    ruled = str(PROBLEMS[rule]) if rule in PROBLEMS and rule != "validation_failed" else None
    if code == "invalid":
        keys = (pointer, *(pointer.split(sep)[i] for sep in "/." for i in (0, -1)))
        for key in keys:
            found = (specific or {}).get(key)
            if found is not None:
                return str(found)
        return ruled or _("This value is not valid.")
    template = _field_messages().get(code)
    params = entry.get("params") if isinstance(entry.get("params"), Mapping) else {}
    wanted = re.findall(r"%\((\w+)\)s", str(template or ""))
    if template is None or any(name not in params for name in wanted):
        return ruled or _("This value is not valid.")
    return str(template) % {name: params[name] for name in wanted} if wanted else str(template)


def translated(error: ApiError, specific: Mapping[str, str] | None = None) -> ApiError:
    """`error` with its detail and each field error's detail said from their codes (in place);
    `specific` names what `invalid` means on some of the form's fields, by pointer."""
    error.errors = [
        {**entry, "detail": field(entry, specific, error.code)} for entry in error.errors
    ]
    error.detail = problem(error.code)
    return error
