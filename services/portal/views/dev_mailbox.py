"""The development mailbox: the e-mails `make run`'s SMTP sink received, newest first.

Exists only when DEV_MAILBOX is on (run.py sets it when it starts the sink); otherwise a 404,
so no deployment with a real mail server ever shows people's e-mails on a page.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from shared import dev_mailbox

from .. import moments

bp = Blueprint("dev_mailbox", __name__)
moments.install(bp)


@bp.get("/dev/mailbox")
def index():
    if not current_app.config.get("DEV_MAILBOX"):
        abort(404)
    messages = dev_mailbox.received(current_app.config["DEV_MAILBOX_DIR"])
    return render_template(
        "dev_mailbox.html", messages=messages, split_links=dev_mailbox.split_links
    )
