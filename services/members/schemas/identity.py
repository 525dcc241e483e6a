"""Request and response schemas of sign-in, people, memberships, invitations and API clients."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.auth import ORG_ADMIN, ORG_MEMBER
from shared.i18n import LOCALES
from shared.pagination import page_schema

from ..domain.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, time_zones
from ..domain.tokens import SCOPES

ROLE = fields.String(required=True, validate=validate.OneOf((ORG_ADMIN, ORG_MEMBER)))
EMAIL = {"validate": validate.Length(max=254)}


def _password(**kwargs):
    return fields.String(
        required=True, validate=validate.Length(min=1, max=MAX_PASSWORD_LENGTH), **kwargs
    )


def _new_password(**kwargs):
    """A password being chosen: the domain's policy (`check_password_policy`) documented."""
    return _password(metadata={"minLength": MIN_PASSWORD_LENGTH}, **kwargs)


def timezone_field(**kwargs):
    """An IANA time zone, documented as the list the domain checks (`check_timezone`)."""
    return fields.String(
        validate=validate.Length(min=1, max=64), metadata={"enum": time_zones()}, **kwargs
    )


# A name the domain keeps stripped: at least one character that is not white space.
VISIBLE = {"pattern": r"\S"}


def _language(**kwargs):
    return fields.String(validate=validate.OneOf(LOCALES), **kwargs)


class TokenResponse(Schema):
    """RFC 6749 section 5.1 successful token response."""

    access_token = fields.String(required=True)
    token_type = fields.String(required=True)
    expires_in = fields.Integer(required=True)
    refresh_token = fields.String()
    scope = fields.String()


class TokenRequest(Schema):
    """The token endpoint's parameters, form-encoded (RFC 6749) or JSON."""

    # Documented as the grants there are; any other is RFC 6749's `unsupported_grant_type`.
    grant_type = fields.String(
        required=True,
        validate=validate.Length(max=60),
        metadata={"enum": ["password", "refresh_token", "client_credentials"]},
    )
    username = fields.String(validate=validate.Length(max=254))
    password = fields.String(validate=validate.Length(max=MAX_PASSWORD_LENGTH))
    refresh_token = fields.String(validate=validate.Length(max=200))
    client_id = fields.String(validate=validate.Length(max=64))
    client_secret = fields.String(validate=validate.Length(max=200))
    scope = fields.String(validate=validate.Length(max=500))


class RevokeRequest(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    token_type_hint = fields.String(validate=validate.Length(max=40))


class PasswordResetRequest(Schema):
    email = fields.Email(required=True, **EMAIL)


class PasswordResetConfirm(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=200))
    password = _new_password()


class Profile(Schema):
    id = fields.UUID()
    email = fields.String()
    full_name = fields.String()
    language = fields.String()
    timezone = fields.String()
    is_platform_admin = fields.Boolean()
    organisation_id = fields.UUID(allow_none=True)
    role = fields.String(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ProfileChanges(Schema):
    full_name = fields.String(validate=validate.Length(min=1, max=200), metadata=VISIBLE)
    language = _language()
    timezone = timezone_field()


class PasswordChange(Schema):
    current_password = _password()
    new_password = _new_password()


class AccountDeletion(Schema):
    password = _password()
    # The only person of an organisation closes it with their account, by saying so.
    close_organisation = fields.Boolean(load_default=False)


class Export(Schema):
    id = fields.UUID()
    status = fields.String()
    created_at = fields.DateTime()
    completed_at = fields.DateTime(allow_none=True)
    download_url = fields.String(allow_none=True)
    download_expires_at = fields.DateTime(allow_none=True)


class InvitationIn(Schema):
    email = fields.Email(required=True, **EMAIL)
    role = ROLE
    language = _language(metadata={"description": "of the e-mail; default: the inviter's"})


class InvitationOut(Schema):
    id = fields.UUID()
    organisation_id = fields.UUID()
    email = fields.String()
    role = fields.String()
    language = fields.String()
    invited_by = fields.UUID(allow_none=True)
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    accepted_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
    sent_at = fields.DateTime(allow_none=True)
    status = fields.Method("_status")

    def _status(self, invitation):
        from shared.db import utcnow

        return invitation.status(utcnow())


class InvitationToken(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=200))


class InvitedOrganisation(Schema):
    id = fields.UUID()
    name = fields.String()
    name_zh = fields.String(allow_none=True)


class InvitationPreview(Schema):
    email = fields.String()
    role = fields.String()
    language = fields.String()
    expires_at = fields.DateTime()
    organisation = fields.Nested(InvitedOrganisation)
    inviter_name = fields.String(allow_none=True)


class InvitationAccept(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=200))
    full_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    password = _new_password()
    language = _language()
    timezone = timezone_field()


class Member(Schema):
    user_id = fields.UUID()
    email = fields.String()
    full_name = fields.String()
    language = fields.String()
    role = fields.String()
    joined_at = fields.DateTime()


class RoleChange(Schema):
    role = ROLE


class ClientIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    scopes = fields.List(
        fields.String(validate=validate.OneOf(SCOPES)),
        required=True,
        validate=validate.Length(min=1, max=len(SCOPES)),
    )


class ClientOut(Schema):
    id = fields.UUID()
    client_id = fields.String()
    organisation_id = fields.UUID()
    name = fields.String()
    scopes = fields.List(fields.String())
    created_by = fields.UUID(allow_none=True)
    created_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)
    last_used_at = fields.DateTime(allow_none=True)


class ClientCreated(ClientOut):
    client_secret = fields.String(metadata={"description": "shown once; store it now"})


MemberPage = page_schema(Member, "MemberPage")
InvitationPage = page_schema(InvitationOut, "InvitationPage")
ClientPage = page_schema(ClientOut, "ClientPage")
