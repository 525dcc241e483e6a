"""A person's copy of their data, gathered from every service into one ZIP.

Asking records the export and emits `personal_data.export_requested`; each service that keeps
something about people answers with its part (`personal_data.<service>_part_ready`, through the
backbone, so none is lost); when the last part arrives members writes the archive: a folder per
service with a README saying what each file is, members' own folder, and an index for people.
Files live under VAR_DIR/exports/<user id>/, so deleting an account removes them in one go. Only
the person, signed in, downloads it, until EXPORT_TTL after it was ready.
"""

from __future__ import annotations

import html
import json
import shutil
import uuid
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from shared.config import var_dir
from shared.db import utcnow
from shared.errors import Gone, NotFound
from shared.events import emit
from shared.events.catalogue.personal_data import PART_SERVICES

from .. import settings
from ..models import (
    ApiClient,
    DataExport,
    DataExportPart,
    Invitation,
    Membership,
    Organisation,
    RefreshToken,
)
from . import accounts

MEMBERS_README = {
    "profile.json": "Your account: name, e-mail, language, time zone, when you joined.",
    "membership.json": "Your organisation and your role in it.",
    "invitations_sent.json": "Invitations you sent to colleagues.",
    "clients_created.json": "API clients you created for your organisation (never their secret).",
    "sessions.json": "Your signed-in sessions (never their tokens).",
}


def exports_dir(user_id) -> Path:
    return var_dir() / "exports" / str(user_id)


def request_export(session, caller) -> DataExport:
    user = accounts._user(session, caller)
    export = DataExport(id=uuid.uuid4(), user_id=user.id)
    session.add(export)
    session.flush()
    emit(
        session,
        "personal_data.export_requested",
        {"export_id": str(export.id), "user_id": str(user.id)},
    )
    return export


def latest_exports(session, caller, limit: int = 5) -> list[DataExport]:
    user = accounts._user(session, caller)
    return list(
        session.scalars(
            select(DataExport)
            .where(DataExport.user_id == user.id)
            .order_by(DataExport.created_at.desc())
            .limit(limit)
        )
    )


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


def receive_part(session, data: dict, envelope: dict) -> None:
    """Keep one service's part; write the archive once every part is there."""
    export = session.get(DataExport, data["export_id"])
    if export is None:  # the person deleted the export, or their account, meanwhile
        return
    service = envelope["source"]
    if session.get(DataExportPart, (export.id, service)) is None:
        session.add(
            DataExportPart(
                export_id=export.id, service=service, files=data["files"], readme=data["readme"]
            )
        )
        session.flush()
    build(session, export.id)


def build(session, export_id) -> bool:
    """Write the ZIP of a pending export whose parts have all arrived; whether it was written."""
    export = session.get(DataExport, export_id)
    if export is None or export.status != "pending":
        return False
    parts = {
        part.service: part
        for part in session.scalars(
            select(DataExportPart).where(DataExportPart.export_id == export_id)
        )
    }
    if set(parts) < set(PART_SERVICES):
        return False
    folders = {"members": (collect(session, export.user_id), MEMBERS_README)}
    for service in PART_SERVICES:
        folders[service] = (parts[service].files, parts[service].readme)
    directory = exports_dir(export.user_id)
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{export.id}.zip"
    partial = directory / (name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for service, (files, readme) in folders.items():
            for filename, content in files.items():
                text = json.dumps(content, default=str, ensure_ascii=False, indent=2)
                archive.writestr(f"{service}/{filename}", text)
            archive.writestr(f"{service}/README.txt", _readme(service, readme))
        archive.writestr("README.txt", _index_text(folders))
        archive.writestr("index.html", _index_html(folders))
    partial.replace(directory / name)  # atomic: a download never sees half a file
    export.status, export.file_name, export.completed_at = "ready", name, utcnow()
    session.execute(DataExportPart.__table__.delete().where(DataExportPart.export_id == export.id))
    return True


def _readme(service: str, readme: dict) -> str:
    lines = [f"What the {service} service keeps about you, file by file.", ""]
    lines += [f"{filename}: {what}" for filename, what in sorted(readme.items())]
    return "\n".join(lines) + "\n"


def _index_text(folders: dict) -> str:
    lines = [
        "Your data on the Sino-Sophipolitan Cooperation Platform, from every service that",
        "keeps something about you: one folder per service, JSON files, and a README in each",
        "folder saying what every file holds. index.html shows it all in a browser.",
        "",
    ]
    lines += [f"{service}/: {len(files)} files" for service, (files, _) in folders.items()]
    return "\n".join(lines) + "\n"


def _index_html(folders: dict) -> str:
    """Everything in one page a person can read, each file's content under its description."""
    out = [
        "<!doctype html><html><head><meta charset='utf-8'><title>Your data</title></head><body>",
        "<h1>Your data on the Sino-Sophipolitan Cooperation Platform</h1>",
    ]
    for service, (files, readme) in folders.items():
        out.append(f"<h2>{html.escape(service)}</h2>")
        for filename, content in files.items():
            out.append(
                f"<h3>{html.escape(filename)}</h3><p>{html.escape(readme.get(filename, ''))}</p>"
            )
            text = json.dumps(content, default=str, ensure_ascii=False, indent=2)
            out.append(f"<pre>{html.escape(text)}</pre>")
    out.append("</body></html>")
    return "\n".join(out)


def expires_at(export: DataExport) -> datetime | None:
    if export.completed_at is None:
        return None
    return export.completed_at + timedelta(seconds=float(settings.get("EXPORT_TTL")))


def download_path(session, caller, export_id) -> Path:
    """The archive of the caller's own ready export, until it expires."""
    export = get_export(session, caller, export_id)
    if export.status != "ready":
        raise Gone("This export is not ready, or no longer exists.")
    if expires_at(export) <= utcnow():
        raise Gone("This export has expired; ask for a new one.")
    path = exports_dir(export.user_id) / export.file_name
    if not path.is_file():
        raise Gone("This export no longer exists.")
    return path


def discard(user_id) -> None:
    """Remove a deleted person's export files."""
    shutil.rmtree(exports_dir(user_id), ignore_errors=True)
