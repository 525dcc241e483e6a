"""The machine-readable `code` of every problem a service can answer, with what it means.

Clients branch on `code`, never on `title` or `detail` (which may be reworded or translated). The
codes every service shares are here; each service adds the rules its domain names (a module
`error_codes.py` of its own, passed to `create_service_app`). Each OpenAPI document lists its
service's codes (`x-error-codes`, and an enum on `Problem.code`); docs/errors.md lists them all.
"""

from __future__ import annotations

GENERIC = {
    "bad_request": "The request cannot be understood as sent.",
    "invalid_json": "The body is not valid JSON.",
    "json_too_deep": "The JSON body nests deeper than the platform accepts.",
    "unauthorized": "No valid access token: sign in, or send `Authorization: Bearer <token>`.",
    "token_expired": "The access token has expired: refresh it.",
    "organisation.pending": "The caller's organisation is not verified yet: drafts, profile and "
    "colleagues only.",
    "organisation.suspended": "The caller's organisation is suspended: notifications and data "
    "export only.",
    "organisation.closed": "The caller's organisation is closed.",
    "organisation.unknown": "The caller's organisation has not reached this service yet.",
    "organisation.none": "The caller belongs to no organisation.",
    "token_revoked": "Access was taken away since the token was issued: sign in again.",
    "forbidden": "The caller is known but may not do this.",
    "access.scope_missing": "The integrator client's token lacks the operation's scope (`scope`).",
    "access.people_only": "Only a signed-in person may do this, not an integrator client.",
    "access.staff_only": "Only platform staff may do this.",
    "access.admin_only": "Only the organisation's admins may do this.",
    "access.other_organisation": "The caller does not act for the organisation in the path.",
    "not_found": "Nothing here, or nothing the caller may see.",
    "method_not_allowed": "The path does not take this method (see `Allow`).",
    "not_acceptable": "No representation in an accepted media type.",
    "conflict": "The request conflicts with the record's current state.",
    "gone": "It existed but is no longer available.",
    "precondition_failed": "The record changed since the caller read it.",
    "precondition_required": "Send the ETag read with `If-Match`.",
    "payload_too_large": "The body is larger than the platform accepts.",
    "unsupported_media_type": "Send the body as application/json.",
    "validation_failed": "One or more fields are invalid: see `errors`.",
    "too_many_requests": "Too many attempts: wait as `Retry-After` says.",
    "internal_error": "Our fault; the `request_id` helps us find it.",
}


def catalogue(service_codes: dict[str, str] | None = None) -> dict[str, str]:
    """Every code a service answers: the shared ones, then its own (which may not redefine)."""
    overlap = set(GENERIC) & set(service_codes or {})
    if overlap:
        raise ValueError(f"codes already shared by every service: {sorted(overlap)}")
    return {**GENERIC, **(service_codes or {})}
