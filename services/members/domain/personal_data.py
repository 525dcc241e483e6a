"""A person's copy of their data: a ZIP of JSON built by a task, downloaded by a signed link.

Files live under VAR_DIR/exports/<user id>/, so deleting an account removes them in one go. The
link carries its own expiry, signed with SECRET_KEY: no session is needed to follow it.
"""

from __future__ import annotations

import json
import shutil
import time
import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from shared.config import var_dir
from shared.db import utcnow
from shared.errors import Forbidden, Gone, NotFound

from .. import settings
from ..models import ApiClient, DataExport, Invitation, Membership, Organisation, RefreshToken
from . import accounts

SALT = "members.personal-data-export"


def exports_dir(user_id) -> Path:
    return var_dir() / "exports" / str(user_id)


def request_export(session, caller) -> DataExport:
    user = accounts._user(session, caller)
    export = DataExport(id=uuid.uuid4(), user_id=user.id)
    session.add(export)
    session.flush()
    return export


def get_export(session, caller, export_id) -> DataExport:
    export = session.get(DataExport, export_id)
    if export is None or caller.kind != "user" or export.user_id != caller.user_id:
        raise NotFound("No such export.")
    return export


def _rows(session, model, *where) -> list[dict]:
    rows = session.scalars(select(model).where(*where)).all()
    hidden = {"password_hash", "token_hash", "secret_hash", "nonce"}
    return [
        {c.key: getattr(row, c.key) for c in model.__table__.columns if c.key not in hidden}
        for row in rows
    ]


def collect(session, user_id) -> dict[str, object]:
    """Everything members keeps about one person, file name by file name."""
    from ..models import User

    membership = session.scalars(select(Membership).where(Membership.user_id == user_id)).first()
    organisation = session.get(Organisation, membership.organisation_id) if membership else None
    return {
        "profile.json": _rows(session, User, User.id == user_id)[0],
        "membership.json": (
            {
                "organisation_id": membership.organisation_id,
                "organisation_name": organisation.name if organisation else None,
                "role": membership.role,
                "joined_at": membership.created_at,
            }
            if membership
            else None
        ),
        "invitations_sent.json": _rows(session, Invitation, Invitation.invited_by == user_id),
        "clients_created.json": _rows(session, ApiClient, ApiClient.created_by == user_id),
        "sessions.json": _rows(session, RefreshToken, RefreshToken.user_id == user_id),
    }


def build(session, export_id) -> bool:
    """Write the ZIP of a pending export and mark it ready; False when there is nothing to do."""
    export = session.get(DataExport, export_id)
    if export is None or export.status != "pending":
        return False
    directory = exports_dir(export.user_id)
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{export.id}.zip"
    partial = directory / (name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for filename, content in collect(session, export.user_id).items():
            text = json.dumps(content, default=str, ensure_ascii=False, indent=2)
            archive.writestr(filename, text)
    partial.replace(directory / name)  # atomic: a download never sees half a file
    export.status, export.file_name, export.completed_at = "ready", name, utcnow()
    return True


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def describe(export: DataExport) -> dict:
    """Status, and for a ready export a download link valid for EXPORT_TTL seconds."""
    body = {
        "id": export.id,
        "status": export.status,
        "created_at": export.created_at,
        "completed_at": export.completed_at,
        "download_url": None,
        "download_expires_at": None,
    }
    if export.status == "ready":
        expires = time.time() + float(settings.get("EXPORT_TTL"))
        token = _serializer().dumps({"e": str(export.id), "x": expires})
        body["download_url"] = url_for(
            "users.ExportDownload", export_id=export.id, token=token, _external=False
        )
        body["download_expires_at"] = datetime.fromtimestamp(expires, UTC)
    return body


def download_path(session, export_id, token: str) -> Path:
    """The file a download link names, if the link is genuine and not expired."""
    try:
        claims = _serializer().loads(token)
    except BadSignature as exc:
        raise Forbidden("This download link is not valid.") from exc
    if not isinstance(claims, dict) or claims.get("e") != str(export_id):
        raise Forbidden("This download link is not valid.")
    if float(claims.get("x", 0)) <= time.time():
        raise Gone("This download link has expired; ask for a new one.")
    export = session.get(DataExport, export_id)
    if export is None or export.status != "ready":
        raise Gone("This export no longer exists.")
    path = exports_dir(export.user_id) / export.file_name
    if not path.is_file():
        raise Gone("This export no longer exists.")
    return path


def discard(user_id) -> None:
    """Remove a deleted person's export files."""
    shutil.rmtree(exports_dir(user_id), ignore_errors=True)


def mark_failed(session, export_id) -> None:
    export = session.get(DataExport, export_id)
    if export is not None and export.status == "pending":
        export.status, export.completed_at = "failed", utcnow()
