"""Members, roles and invitations of an organisation."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from shared import policy
from shared.auth import authenticated
from shared.openapi import problems
from shared.organisation_status import COLLEAGUES
from shared.pagination import PageArgs, next_link

from ..domain import invitations, memberships
from ..models import db
from ..schemas.identity import (
    InvitationAccept,
    InvitationIn,
    InvitationOut,
    InvitationPage,
    InvitationPreview,
    InvitationToken,
    Member,
    MemberPage,
    Profile,
    RoleChange,
)

blp = Blueprint(
    "memberships", __name__, description="Members, roles and invitations of an organisation"
)
ORG = "/organisations/<uuid:organisation_id>"


@blp.route(f"{ORG}/members")
class Members(MethodView):
    @policy.member("organisation:read", COLLEAGUES, organisation="organisation_id")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, MemberPage)
    def get(self, args, organisation_id):
        """The organisation's people and roles, in joining order (members of it, staff)."""
        with db.transaction() as session:
            result = memberships.listing(
                session, authenticated(), organisation_id, args["cursor"], args["limit"]
            )
        return result, 200, next_link(result["next"])


@blp.route(f"{ORG}/members/<uuid:user_id>")
class MemberDetail(MethodView):
    @policy.admin("organisation:admin", COLLEAGUES, organisation="organisation_id")
    @blp.arguments(RoleChange)
    @blp.response(200, Member)
    @problems(409)
    def patch(self, payload, organisation_id, user_id):
        """Change a member's role (org admin); the last admin cannot step down."""
        with db.transaction() as session:
            return memberships.change_role(
                session, authenticated(), organisation_id, user_id, payload["role"]
            )

    @policy.member("organisation:admin", COLLEAGUES, organisation="organisation_id")
    @blp.response(204)
    @problems(409)
    def delete(self, organisation_id, user_id):
        """Remove a member (org admin), or leave (the member); never the last admin."""
        with db.transaction() as session:
            memberships.remove(session, authenticated(), organisation_id, user_id)


@blp.route(f"{ORG}/invitations")
class Invitations(MethodView):
    @policy.admin("organisation:admin", COLLEAGUES, organisation="organisation_id")
    @blp.arguments(InvitationIn)
    @blp.response(201, InvitationOut)
    @problems(409)
    def post(self, payload, organisation_id):
        """Invite someone by e-mail with a role (org admin); the e-mail follows shortly."""
        with db.transaction() as session:
            invitation = invitations.create(session, authenticated(), organisation_id, payload)
        from ..tasks import enqueue, send_account_email

        enqueue(send_account_email, "invitation", str(invitation.id))
        return invitation

    @policy.admin("organisation:admin", COLLEAGUES, organisation="organisation_id")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, InvitationPage)
    def get(self, args, organisation_id):
        """The organisation's invitations, newest first (org admin)."""
        with db.transaction() as session:
            result = invitations.listing(
                session, authenticated(), organisation_id, args["cursor"], args["limit"]
            )
        return result, 200, next_link(result["next"])


@blp.route(f"{ORG}/invitations/<uuid:invitation_id>")
class InvitationDetail(MethodView):
    @policy.admin("organisation:admin", COLLEAGUES, organisation="organisation_id")
    @blp.response(204)
    @problems(409)
    def delete(self, organisation_id, invitation_id):
        """Revoke a pending invitation (org admin): its link stops working."""
        with db.transaction() as session:
            invitations.revoke(session, authenticated(), organisation_id, invitation_id)


@blp.route("/invitations/preview")
class InvitationPreviewing(MethodView):
    @policy.anyone()
    @blp.arguments(InvitationToken)
    @blp.response(200, InvitationPreview)
    @blp.doc(security=[])
    @problems(404, 410)
    def post(self, payload):
        """What an invitation link is for (organisation, inviter, address, role), before the
        account form; the token travels in the body, never in a URL that logs keep."""
        with db.transaction() as session:
            return invitations.preview(session, payload["token"])


@blp.route("/invitations/accept")
class InvitationAcceptance(MethodView):
    @policy.anyone()
    @blp.arguments(InvitationAccept)
    @blp.response(201, Profile)
    @blp.doc(security=[])
    @problems(404, 409, 410)
    def post(self, payload):
        """Sign up through an invitation's token; then sign in at the token endpoint."""
        with db.transaction() as session:
            user, membership = invitations.accept(session, payload)
        return {
            "id": user.id,
            "email": user.email,
            "full_name": user.full_name,
            "language": user.language,
            "timezone": user.timezone,
            "is_platform_admin": user.is_platform_admin,
            "organisation_id": membership.organisation_id,
            "role": membership.role,
            "created_at": user.created_at,
            "updated_at": user.updated_at,
        }
