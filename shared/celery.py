"""One Celery app per service from one factory: JSON only, its own queue, safe acknowledgement."""

from __future__ import annotations

from collections.abc import Callable

from celery import Celery, signals
from kombu.utils.imports import symbol_by_name

from shared import broker
from shared.config import env
from shared.context import get_correlation_id, set_correlation_id

# Not "correlation_id": Celery already uses that name for the task id.
CORRELATION_HEADER = "x_correlation_id"
TASK_TIME_LIMIT = 15 * 60
# Redis hands an unacknowledged task to another worker after this long: longer than any task
# may run, so a running task is never doubled; a task whose worker died is redelivered then.
VISIBILITY_TIMEOUT_DEFAULT = 30 * 60


def make_celery(service: str, create_app: str | Callable | None = None, **overrides) -> Celery:
    """The service's Celery app; every task named `<service>.*` goes to the `<service>` queue.

    With `create_app`, each task runs inside the service's Flask app context, so it sees the
    same configuration, database and templates as the web process. Given as an import path
    (`"services.members:create_app"`, as gunicorn and Celery's `-A` take it), the factory is
    found when the first task runs: the service's views enqueue its tasks, and its tasks
    module then need not import the package that imports those views.
    """
    broker_url = env.str("REDIS_URL", "redis://127.0.0.1:6379/0")
    app = Celery(service, broker=broker_url)
    flask_app: list = []

    def get_flask_app():
        if not flask_app:
            factory = symbol_by_name(create_app) if isinstance(create_app, str) else create_app
            flask_app.append(factory())
        return flask_app[0]

    class ContextTask(app.Task):
        def __call__(self, *args, **kwargs):
            if create_app is None:
                return self.run(*args, **kwargs)
            with get_flask_app().app_context():
                return self.run(*args, **kwargs)

    app.Task = ContextTask
    app.flask_app = get_flask_app
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        task_ignore_result=True,
        result_backend=None,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=4,
        task_default_queue=service,
        task_routes={f"{service}.*": {"queue": service}},
        broker_transport_options={
            "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", VISIBILITY_TIMEOUT_DEFAULT)
        },
        broker_connection_retry_on_startup=True,
        # A worker holding tasks when Redis goes away reconnects instead of exiting.
        broker_transport=broker.transport_for(broker_url),
        # On a lost connection, a task being handled is given up (its message comes again: the
        # publisher sends what is unconfirmed); this also spares a warning at every reconnect.
        worker_cancel_long_running_tasks_on_connection_loss=True,
        broker_connection_timeout=2,
        task_time_limit=TASK_TIME_LIMIT,
        task_soft_time_limit=TASK_TIME_LIMIT - 30,
        worker_hijack_root_logger=False,
        # Our JSON or text handler alone (see _platform_logging): no second copy of each line.
        worker_redirect_stdouts=False,
        # Monitoring events cost extra Redis publishes per task; Flower turns them on when it runs.
        worker_send_task_events=False,
        task_send_sent_event=False,
        timezone="UTC",
        enable_utc=True,
    )
    app.conf.update(overrides)

    def platform_logging(**_kwargs):
        """Workers and beat log as web processes do: one handler, service and correlation id."""
        from shared.observability import configure_logging

        configure_logging(service, env.str("LOG_LEVEL", "INFO"), env.bool("LOG_JSON", True))

    # Connected, Celery leaves logging to us; the first service app of a process names it.
    signals.setup_logging.connect(platform_logging, weak=False, dispatch_uid="platform-logging")
    return app


@signals.before_task_publish.connect
def _stamp_correlation_id(headers=None, **_kwargs):
    """The work that publishes a task passes its correlation id on in the task's headers."""
    if headers is not None and CORRELATION_HEADER not in headers:
        headers[CORRELATION_HEADER] = get_correlation_id()


@signals.task_prerun.connect
def _restore_correlation_id(task=None, **_kwargs):
    if task is None:
        return
    cid = getattr(task.request, CORRELATION_HEADER, None)
    if cid is None:
        cid = (task.request.headers or {}).get(CORRELATION_HEADER) if task.request.headers else None
    set_correlation_id(cid)
