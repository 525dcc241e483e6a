"""A person's preferences, and the one-click unsubscribe link of every e-mail (RFC 8058)."""

from __future__ import annotations

import uuid

from flask.views import MethodView
from flask_smorest import Blueprint

from shared import policy
from shared.app import accepts_form
from shared.auth import authenticated
from shared.errors import Forbidden, NotFound
from shared.openapi import problems
from shared.organisation_status import NOTIFICATIONS

from ..domain import mail, preferences
from ..models import db
from ..schemas.preferences import PreferencesIn, PreferencesOut, UnsubscribeArgs, UnsubscribedOut

blp = Blueprint("preferences", __name__, description="Notification preferences")


def _person():
    caller = authenticated()
    if caller.user_id is None:
        raise Forbidden("Only a person has notification preferences.")
    return caller.user_id


@blp.route("/preferences")
class Preferences(MethodView):
    @policy.person(NOTIFICATIONS)
    @blp.response(200, PreferencesOut)
    def get(self):
        """Your mode for each category and your quiet hours."""
        with db.transaction() as session:
            return preferences.view(session, _person())

    @policy.person(NOTIFICATIONS)
    @blp.arguments(PreferencesIn)
    @blp.response(200, PreferencesOut)
    def patch(self, payload):
        """Change some categories' modes or your quiet hours (critical ones never off)."""
        with db.transaction() as session:
            return preferences.update(session, _person(), payload)


@blp.route("/unsubscribe")
class Unsubscribe(MethodView):
    @policy.anyone()
    @accepts_form
    @problems(404)
    @blp.arguments(UnsubscribeArgs, location="query")
    @blp.response(200, UnsubscribedOut)
    def post(self, args):
        """One-click unsubscribe: that category's e-mails stop; it stays in the inbox."""
        found = mail.read_unsubscribe_token(args["token"])
        if found is None:
            # Like every other link whose token names nothing (password reset, invitation).
            raise NotFound("This unsubscribe link is not valid.")
        user_id, category = found
        with db.transaction() as session:
            preferences.update(session, uuid.UUID(user_id), {"categories": {category: "in_app"}})
        return {"category": category, "mode": "in_app"}
