"""The problem codes members' rules name, beyond the shared ones (`shared.error_codes`)."""

CODES = {
    "oauth_error": "A refused OAuth2 request outside the token endpoint: see `error`.",
    "account.last_member": "The last person of an organisation closes it with their account.",
    "organisation.registration_number_invalid": "Not a valid SIREN, SIRET or USCC.",
    "organisation.registration_number_missing": "A registration number is required.",
    "invitation.already_member": "The invited address already belongs to a member.",
    "invitation.already_pending": "An invitation to this address is already pending.",
    "invitation.already_accepted": "The invitation was accepted; there is nothing to revoke.",
    "invitation.expired_or_revoked": "The invitation expired or was revoked (`reason`).",
    "invitation.organisation_gone": "The inviting organisation no longer exists.",
}
