"""A beat with one task every 0.3 s on the platform's scheduler, for the outage test."""

from shared.beat import beat_schedule
from shared.celery import make_celery

celery_app = make_celery("beatcheck")
celery_app.conf.beat_schedule = beat_schedule({"beatcheck.tick": 0.3})
celery_app.conf.beat_scheduler = "shared.beat:QuietScheduler"
