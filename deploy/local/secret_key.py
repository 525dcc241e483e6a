"""`make run`'s SECRET_KEY: generated once under var/ and reused, unless the operator sets one.

Services refuse to start with a missing, short or placeholder key (shared.config), so the local
run needs a real one; keeping it in var/ means sign-in keys and links survive a restart.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

FILE_NAME = "secret_key"


def ensure_secret_key(env: dict, var: Path) -> str:
    """Put a strong SECRET_KEY into `env` (the one given, else var/secret_key's) and return it."""
    if env.get("SECRET_KEY"):
        return env["SECRET_KEY"]
    path = var / FILE_NAME
    if not path.exists():
        var.mkdir(parents=True, exist_ok=True)
        # Created readable by its owner only, then written: never world-readable, even briefly.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(48))
    env["SECRET_KEY"] = path.read_text().strip()
    return env["SECRET_KEY"]
