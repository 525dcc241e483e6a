"""The problem codes members' rules name, beyond the shared ones (`shared.error_codes`)."""

CODES = {
    # OAuth2 refusals (RFC 6749 section 5.2) answered as problems, outside the token endpoint.
    "oauth.invalid_request": "OAuth2 `invalid_request`: a parameter is missing or malformed.",
    "oauth.invalid_client": "OAuth2 `invalid_client`: the client's authentication failed.",
    "oauth.invalid_grant": "OAuth2 `invalid_grant`: the credentials or refresh token are refused.",
    "oauth.unauthorized_client": "OAuth2 `unauthorized_client`: the client may not use this grant.",
    "oauth.unsupported_grant_type": "OAuth2 `unsupported_grant_type`: not a grant we know.",
    "oauth.invalid_scope": "OAuth2 `invalid_scope`: a scope asked for is not granted.",
    "password.too_short": "The new password is shorter than the policy allows (`detail`).",
    "password.too_long": "The password is longer than the platform accepts.",
    "password.current_wrong": "The current password given to change it is not the person's.",
    "password.wrong": "The password given to confirm (e.g. closing the account) is not correct.",
    "account.last_member": "The last person of an organisation closes it with their account.",
    "organisation.registration_number_invalid": "Not a valid SIREN, SIRET or USCC.",
    "organisation.registration_number_missing": "A registration number is required.",
    "invitation.already_member": "The invited address already belongs to a member.",
    "invitation.already_pending": "An invitation to this address is already pending.",
    "invitation.already_accepted": "The invitation was accepted; there is nothing to revoke.",
    "invitation.expired_or_revoked": "The invitation expired or was revoked (`reason`).",
    "invitation.organisation_gone": "The inviting organisation no longer exists.",
}
