"""A second step before an action that cannot be undone or disrupts others, without JavaScript.

The action's form posts as usual; its view asks `confirmed()` and, until then, answers with a
page that says what will happen and posts the same fields again with `confirmed=yes` (or goes
back). Nothing changes on the first post, so a slip of the finger costs one page.
"""

from __future__ import annotations

from flask import render_template, request

FIELD = "confirmed"
_KEPT_OUT = ("csrf_token", FIELD)


def confirmed() -> bool:
    """Whether this post is the confirmation of the action."""
    return request.form.get(FIELD) == "yes"


def ask(*, title: str, consequence: str, button: str, back: str, danger: bool = True) -> str:
    """The confirmation page for the action this request posted to, its fields kept."""
    fields = [
        (name, value)
        for name, values in request.form.lists()
        if name not in _KEPT_OUT
        for value in values
    ]
    return render_template(
        "confirm.html",
        title=title,
        consequence=consequence,
        button=button,
        back=back,
        danger=danger,
        action=request.path,
        fields=fields,
    )
