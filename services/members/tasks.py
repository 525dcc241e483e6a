"""Celery tasks on the `members` queue: account e-mails, the parts of data exports, the relay."""

import logging
import smtplib
import uuid

from shared.celery import make_celery
from shared.events.inbox import register_event_tasks

from .domain import accounts, mail, rate_limits
from .events import HANDLERS
from .models import User, db

log = logging.getLogger(__name__)
celery_app = make_celery("members", "services.members:create_app")
# The parts of data exports other services send; and the relay of members' outbox.
register_event_tasks(celery_app, db, HANDLERS)

# --- Account e-mails and personal-data exports (ids in, never objects or secrets) ---


@celery_app.task(
    name="members.send_account_email",
    bind=True,
    autoretry_for=mail.TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
    time_limit=120,
    soft_time_limit=90,
)
def send_account_email(self, kind: str, row_id: str) -> bool:
    """Send an invitation or password-reset e-mail once; SMTP 4xx answers are retried."""
    if kind not in mail.KINDS:
        log.error("unknown account e-mail kind %r", kind)
        return False
    try:
        with db.transaction() as session:
            return mail.deliver(session, kind, uuid.UUID(row_id))
    except smtplib.SMTPResponseException as exc:
        if 400 <= exc.smtp_code < 500:
            raise self.retry(exc=exc, countdown=min(600, 5 * 2**self.request.retries)) from exc
        log.error("account e-mail %s %s refused: %s", kind, row_id, exc)
        return False


@celery_app.task(name="members.request_password_reset", time_limit=60, soft_time_limit=45)
def request_password_reset(email: str) -> bool:
    """After the 202: look the address up and queue its reset e-mail, unless the account had
    enough of them lately. Done here so the answer takes the same time for every address."""
    if not rate_limits.account_email_allowed("reset", email):
        log.info("password reset e-mail held back: too many for one account")
        return False
    with db.transaction() as session:
        reset = accounts.request_password_reset(session, email)
    if reset is None:
        return False
    enqueue(send_account_email, "password_reset", str(reset.id))
    return True


def mail_task(name: str):
    """A task that sends e-mail: retried with backoff while the mail server is unreachable."""
    return celery_app.task(
        name=name,
        autoretry_for=mail.TRANSIENT,
        retry_backoff=5,
        retry_backoff_max=600,
        retry_jitter=True,
        max_retries=8,
        time_limit=120,
        soft_time_limit=90,
    )


@mail_task("members.send_registration_notice")
def send_registration_notice(user_id: str) -> bool:
    """Tell the owner of an address that someone tried to register with it."""
    with db.transaction() as session:
        user = session.get(User, uuid.UUID(user_id))
        if user is None or not rate_limits.account_email_allowed("notice", user.email):
            return False
        return mail.send_registration_notice(session, user.id)


@mail_task("members.send_registration_received")
def send_registration_received(organisation_id: str) -> int:
    """The registrant's acknowledgement and the platform admins' notice of a new registration."""
    with db.transaction() as session:
        return mail.send_registration_received(session, uuid.UUID(organisation_id))


@celery_app.task(name="members.send_unsent_account_emails", time_limit=120, soft_time_limit=100)
def send_unsent_account_emails() -> int:
    """Beat sweeper: enqueue account e-mails whose enqueue was lost (broker down at commit)."""
    with db.transaction() as session:
        due = mail.unsent(session)
    for kind, row_id in due:
        send_account_email.delay(kind, str(row_id))
    return len(due)


def enqueue(task, *args, quiet: bool = False) -> None:
    """Enqueue after commit; a broker outage is logged, and the beat sweeper catches up.

    `quiet` keeps the arguments (an e-mail address typed by anyone) out of the logs.
    """
    shown = "(...)" if quiet else repr(args)
    try:
        task.apply_async(args=args, argsrepr=shown, retry=False)
    except Exception:  # the write is committed: never turn it into an error page
        log.warning("could not enqueue %s%s; the sweeper will", task.name, shown, exc_info=True)
