"""Real servers and processes for the tests: Redis, databases, SMTP, Celery workers."""
