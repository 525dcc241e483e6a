"""Account e-mails members sends itself: invitations and password resets.

Rendered in the recipient's language from Jinja2 templates (plain text and HTML), sent through
the configured SMTP server. `deliver` marks the row sent in the same transaction as the send,
so a retried or duplicated task never mails twice.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy import select

from shared import mail_headers, smtp
from shared.db import utcnow
from shared.i18n import LOCALES

from .. import settings
from ..models import Invitation, Membership, Organisation, PasswordReset, User
from . import credentials

log = logging.getLogger(__name__)
KINDS = ("invitation", "password_reset")
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "templates" / "mail"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
)
SUBJECTS = {
    "invitation": {
        "en": "{organisation} invites you to the Sino-Sophipolitan Cooperation Platform",
        "fr": "{organisation} vous invite sur la plateforme de coopération sino-sophipolitaine",
        "zh": "{organisation} 邀请您加入中法索菲亚合作平台",
    },
    "registration_attempt": {
        "en": "Someone tried to register with your e-mail address",
        "fr": "Quelqu'un a tenté de s'inscrire avec votre adresse e-mail",
        "zh": "有人尝试使用您的电子邮件地址注册",
    },
    "registration_received": {
        "en": "We received the registration of {organisation}",
        "fr": "Nous avons reçu l'inscription de {organisation}",
        "zh": "我们已收到{organisation}的注册申请",
    },
    "registration_to_verify": {
        "en": "New registration to verify: {organisation}",
        "fr": "Nouvelle inscription à vérifier\u202f: {organisation}",
        "zh": "待认证的新注册：{organisation}",  # noqa: RUF001 - Chinese punctuation
    },
    "password_reset": {
        "en": "Reset your password",
        "fr": "Réinitialisez votre mot de passe",
        "zh": "重置您的密码",
    },
}
ROLE_NAMES = {
    "org_admin": {"en": "administrator", "fr": "administrateur", "zh": "管理员"},
    "org_member": {"en": "member", "fr": "membre", "zh": "成员"},
}
# Transient: worth a retry with backoff. Anything else (5xx, bad address) is final.
TRANSIENT = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
)


def _language(code: str | None) -> str:
    return code if code in LOCALES else "en"


def render(kind: str, language: str, subject_values: dict, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) of one e-mail in one language."""
    language = _language(language)
    subject = SUBJECTS[kind][language].format(**subject_values)
    text = _templates.get_template(f"{kind}.{language}.txt").render(**context)
    html = _templates.get_template(f"{kind}.{language}.html").render(**context)
    return subject, text, html


def _local_time(moment, timezone: str | None) -> str:
    try:
        zone = ZoneInfo(timezone or "UTC")
    except (ValueError, KeyError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def _invitation_message(session, invitation: Invitation):
    organisation = session.get(Organisation, invitation.organisation_id)
    inviter = session.get(User, invitation.invited_by) if invitation.invited_by else None
    token = credentials.derived_token("invitation", invitation.id, invitation.nonce)
    language = _language(invitation.language)
    context = {
        "organisation": organisation.name,
        "inviter": inviter.full_name if inviter else organisation.name,
        "role": ROLE_NAMES[invitation.role][language],
        "link": f"{settings.get('PUBLIC_BASE_URL')}/invitations/accept?token={token}",
        "expires": _local_time(invitation.expires_at, inviter.timezone if inviter else None),
    }
    return invitation.email, render("invitation", language, context, context)


def _reset_message(session, reset: PasswordReset):
    user = session.get(User, reset.user_id)
    token = credentials.derived_token("password_reset", reset.id, reset.nonce)
    context = {
        "name": user.full_name,
        "link": f"{settings.get('PUBLIC_BASE_URL')}/password/reset?token={token}",
        "expires": _local_time(reset.expires_at, user.timezone),
    }
    return user.email, render("password_reset", user.language, {}, context)


def send_registration_notice(session, user_id) -> bool:
    """Tell a person that someone registered an organisation with their address: registration
    answers such a request as it answers a new one, so this e-mail is where the owner learns."""
    user = session.get(User, user_id)
    if user is None:
        return False
    context = {
        "name": user.full_name,
        "sign_in": f"{settings.get('PUBLIC_BASE_URL')}/sign-in",
        "reset": f"{settings.get('PUBLIC_BASE_URL')}/password/forgot",
    }
    subject, text, html = render("registration_attempt", user.language, {}, context)
    send(build(user.email, subject, text, html))
    return True


def send_registration_received(session, organisation_id) -> int:
    """After a registration: the registrant hears it arrived and what they can do meanwhile;
    every platform admin hears there is one to verify. The number of e-mails sent."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or organisation.status != "pending":
        return 0
    registrant = session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == organisation.id, Membership.role == "org_admin")
        .order_by(Membership.created_at)
    ).first()
    base = settings.get("PUBLIC_BASE_URL")
    values = {"organisation": organisation.name}
    sent = 0
    if registrant is not None:
        context = {
            **values,
            "name": registrant.full_name,
            "registration_number": organisation.registration_number,
            "sign_in": f"{base}/sign-in",
        }
        subject, text, html = render("registration_received", registrant.language, values, context)
        send(build(registrant.email, subject, text, html))
        sent += 1
    staff = session.scalars(select(User).where(User.is_platform_admin.is_(True))).all()
    for person in staff:
        context = {
            **values,
            "name": person.full_name,
            "country": organisation.country,
            "registration_number": organisation.registration_number,
            "registrant": registrant.full_name if registrant else "",
            "registrant_email": registrant.email if registrant else "",
            "link": f"{base}/admin/organisations/{organisation.id}",
        }
        subject, text, html = render("registration_to_verify", person.language, values, context)
        send(build(person.email, subject, text, html))
        sent += 1
    return sent


def build(recipient: str, subject: str, text: str, html: str) -> EmailMessage:
    """One account e-mail, with its Date and a Message-ID in the platform's domain."""
    message = mail_headers.new_message()
    message["From"] = settings.get("MAIL_FROM")
    message["To"] = recipient
    message["Subject"] = subject
    mail_headers.stamp(message, settings.get("PUBLIC_BASE_URL"))
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def send(message: EmailMessage) -> None:
    """Hand one message to the configured SMTP server."""
    with smtp.connect(settings.get) as server:
        server.send_message(message)


def deliver(session, kind: str, row_id) -> bool:
    """Send the e-mail for an invitation or reset once; False when there is nothing to send."""
    model = Invitation if kind == "invitation" else PasswordReset
    row = session.scalars(select(model).where(model.id == row_id).with_for_update()).first()
    if row is None or row.sent_at is not None:
        return False
    if kind == "invitation" and row.status(utcnow()) != "pending":
        return False
    if kind == "password_reset" and (row.used_at is not None or row.expires_at <= utcnow()):
        return False
    recipient, (subject, text, html) = (
        _invitation_message(session, row) if kind == "invitation" else _reset_message(session, row)
    )
    send(build(recipient, subject, text, html))
    row.sent_at = utcnow()
    return True


def unsent(session, grace_seconds: int = 120) -> list[tuple[str, object]]:
    """(kind, id) of account e-mails still due whose task should have run by now."""
    now = utcnow()
    settled = now - timedelta(seconds=grace_seconds)
    invitations = session.scalars(
        select(Invitation.id).where(
            Invitation.sent_at.is_(None),
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
            Invitation.created_at < settled,
        )
    ).all()
    resets = session.scalars(
        select(PasswordReset.id).where(
            PasswordReset.sent_at.is_(None),
            PasswordReset.used_at.is_(None),
            PasswordReset.expires_at > now,
            PasswordReset.created_at < settled,
        )
    ).all()
    return [("invitation", i) for i in invitations] + [("password_reset", r) for r in resets]
