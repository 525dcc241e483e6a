"""Celery tasks on the `members` queue: account e-mails, the parts of data exports, the relay."""

import logging
import smtplib
import uuid

from shared.celery import make_celery
from shared.events.inbox import register_event_tasks

from . import create_app
from .domain import mail
from .events import HANDLERS
from .models import db

log = logging.getLogger(__name__)
celery_app = make_celery("members", create_app)
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


@celery_app.task(name="members.send_unsent_account_emails", time_limit=120, soft_time_limit=100)
def send_unsent_account_emails() -> int:
    """Beat sweeper: enqueue account e-mails whose enqueue was lost (broker down at commit)."""
    with db.transaction() as session:
        due = mail.unsent(session)
    for kind, row_id in due:
        send_account_email.delay(kind, str(row_id))
    return len(due)


def enqueue(task, *args) -> None:
    """Enqueue after commit; a broker outage is logged, and the beat sweeper catches up."""
    try:
        task.apply_async(args=args, retry=False)
    except Exception:  # the write is committed: never turn it into an error page
        log.warning("could not enqueue %s%r; the sweeper will", task.name, args, exc_info=True)
