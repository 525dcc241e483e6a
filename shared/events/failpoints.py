"""Fault injection for the backbone's crash tests: a worker that stops dead at a named stage.

With `EVENTS_FAILPOINT=<stage>` a consumer process that reaches that stage of handling an event
logs `failpoint <stage> reached by event <id>` and blocks there for good, so a test can wait for
that line and kill the process exactly there. Unset (always, outside those tests), it costs one
dictionary lookup.
"""

from __future__ import annotations

import logging
import threading

from shared.config import env

log = logging.getLogger(__name__)

STAGES = ("before-inbox", "after-inbox", "before-commit", "after-commit")


def reach(stage: str, envelope) -> None:
    """Block forever when this process was started to stop at `stage`."""
    if env.str("EVENTS_FAILPOINT") != stage:
        return
    event_id = envelope.get("id") if isinstance(envelope, dict) else None
    log.warning("failpoint %s reached by event %s", stage, event_id)
    for handler in logging.getLogger().handlers:
        handler.flush()
    threading.Event().wait()
