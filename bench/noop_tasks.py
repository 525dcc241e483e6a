"""The yardstick for the event benchmark: a Celery task that does nothing, on the same broker.

Built by `shared.celery.make_celery` like every service's app, so it has the same settings
(JSON, late acknowledgement, prefetch); only a result backend is added, for the round trip.
"""

from shared.celery import make_celery
from shared.config import env

QUEUE = "benchnoop"

celery_app = make_celery(
    QUEUE,
    result_backend=env.str("REDIS_URL", "redis://127.0.0.1:6379/0"),
    task_ignore_result=False,
)


@celery_app.task(name=f"{QUEUE}.noop")
def noop():
    """Nothing: what remains is the broker, the worker and Celery themselves."""
    return None
