"""One SMTP connection as the configuration describes it: plain, STARTTLS or SSL, with login."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable

from shared.config import env


def settings() -> dict:
    """The SMTP_* and MAIL_FROM settings every service that sends e-mail merges into its own."""
    return {
        "SMTP_HOST": env.str("SMTP_HOST", "localhost"),
        "SMTP_PORT": env.int("SMTP_PORT", 25),
        "SMTP_USERNAME": env.str("SMTP_USERNAME"),
        "SMTP_PASSWORD": env.str("SMTP_PASSWORD"),
        "SMTP_SECURITY": env.str("SMTP_SECURITY", "none"),  # none | starttls | ssl
        "SMTP_TIMEOUT": env.float("SMTP_TIMEOUT", 30.0),
        "MAIL_FROM": env.str(
            "MAIL_FROM",
            "Sino-Sophipolitan Cooperation Platform <no-reply@sino-sophipolitan.example>",
        ),
    }


def connect(setting: Callable[[str], object]) -> smtplib.SMTP:
    """An open, authenticated connection; `setting(name)` gives SMTP_HOST, SMTP_PORT, ...

    The caller closes it (`with connect(...) as server:`), so a batch of messages shares one.
    """
    host, port = setting("SMTP_HOST"), int(setting("SMTP_PORT"))
    security = str(setting("SMTP_SECURITY") or "none").lower()
    timeout = float(setting("SMTP_TIMEOUT"))
    context = ssl.create_default_context()
    if security == "ssl":
        server = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        server = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if security == "starttls":
            server.starttls(context=context)
        username = setting("SMTP_USERNAME")
        if username:
            server.login(str(username), str(setting("SMTP_PASSWORD") or ""))
    except BaseException:
        server.close()
        raise
    return server
