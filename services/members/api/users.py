"""The signed-in person: profile, password, personal data."""

from __future__ import annotations

import uuid

from flask import current_app, request, send_file, url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from shared import policy
from shared.auth import authenticated, verify_token
from shared.openapi import problems
from shared.organisation_status import EXPORT

from ..domain import accounts, personal_data
from ..models import db
from ..schemas.identity import (
    AccountDeletion,
    Export,
    PasswordChange,
    Profile,
    ProfileChanges,
)

blp = Blueprint(
    "users", __name__, description="The signed-in person: profile, password, personal data"
)


def _current_session_id():
    """The sign-in session (`sid` claim) of the bearer token, spared by a password change."""
    token = request.headers.get("Authorization", "").partition(" ")[2].strip()
    claims = verify_token(
        token,
        current_app.extensions["auth_key_source"],
        current_app.config["TOKEN_ISSUER"],
        current_app.config["TOKEN_AUDIENCE"],
    )
    sid = claims.get("sid")
    return uuid.UUID(sid) if sid else None


@blp.route("/me")
class Me(MethodView):
    @policy.person()
    @blp.response(200, Profile)
    def get(self):
        """The signed-in person, with their organisation and role."""
        with db.transaction() as session:
            return accounts.profile(session, authenticated())

    @policy.person(EXPORT)
    @blp.arguments(ProfileChanges)
    @blp.response(200, Profile)
    def patch(self, changes):
        """Change name, language (en, fr, zh) or IANA time zone."""
        with db.transaction() as session:
            return accounts.update_profile(session, authenticated(), changes)

    @policy.person(EXPORT)
    @blp.arguments(AccountDeletion)
    @blp.response(204)
    @problems(409)
    def delete(self, payload):
        """Delete the account (password required); an organisation's last admin hands over first."""
        with db.transaction() as session:
            user_id = accounts.delete_account(
                session, authenticated(), payload["password"], payload["close_organisation"]
            )
        personal_data.discard(user_id)


@blp.route("/me/password")
class Password(MethodView):
    @policy.person()
    @blp.arguments(PasswordChange)
    @blp.response(204)
    def post(self, payload):
        """Change the password; every other session is signed out."""
        caller = authenticated()
        with db.transaction() as session:
            accounts.change_password(
                session,
                caller,
                payload["current_password"],
                payload["new_password"],
                keep_session=_current_session_id(),
            )


def _described(export) -> dict:
    """Status, which services' parts are in, and for a ready export where and until when it
    can be downloaded (signed in as its person)."""
    body = {
        "id": export.id,
        "status": export.status,
        "created_at": export.created_at,
        "completed_at": export.completed_at,
        "download_url": None,
        "download_expires_at": None,
    }
    if export.status == "ready":
        body["download_url"] = url_for("users.ExportDownload", export_id=export.id, _external=False)
        body["download_expires_at"] = personal_data.expires_at(export)
    return body


@blp.route("/me/exports")
class Exports(MethodView):
    @policy.person(EXPORT)
    @blp.response(200, Export(many=True))
    def get(self):
        """One's latest exports (at most five), newest first, with their status."""
        with db.transaction() as session:
            return [
                _described(export)
                for export in personal_data.latest_exports(session, authenticated())
            ]

    @policy.person(EXPORT)
    @blp.response(202, Export)
    def post(self):
        """Ask for a copy of one's data; poll the export until it is ready."""
        with db.transaction() as session:
            export = personal_data.request_export(session, authenticated())
        return _described(export)


@blp.route("/me/exports/<uuid:export_id>")
class ExportStatus(MethodView):
    @policy.person(EXPORT)
    @blp.response(200, Export)
    def get(self, export_id):
        """The export's status and, once ready, a download link that expires."""
        with db.transaction() as session:
            return _described(personal_data.get_export(session, authenticated(), export_id))


@blp.route("/me/exports/<uuid:export_id>/download")
class ExportDownload(MethodView):
    @policy.person(EXPORT)
    @blp.response(200, description="The ZIP: a folder of JSON files per service, READMEs, index")
    @problems(410)
    def get(self, export_id):
        """Download one's own export, signed in as oneself, until it expires."""
        with db.transaction() as session:
            path = personal_data.download_path(session, authenticated(), export_id)
        return send_file(
            path,
            mimetype="application/zip",
            as_attachment=True,
            download_name=f"personal-data-{export_id}.zip",
            max_age=0,
        )
