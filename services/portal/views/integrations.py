"""Integrations of an organisation: webhook endpoints, their deliveries, replay, test events,
changes and recovery of what failed since a time.

Only the organisation's admins come here, and every path names their own organisation: an id
of another organisation's endpoint is simply not found by the API.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from .. import api_vocabulary, confirmation, i18n, moments
from ..api_client import ApiError, call, notifications
from ..auth import (
    api,
    current_person,
    keep_for_next_page,
    org_admin_required,
    take_from_last_page,
)
from ..forms import EmptyForm, flash_refusal, show_api_error
from ..notification_forms import FLAVOURS, EndpointEditForm, EndpointForm, RecoverForm

bp = Blueprint("integrations", __name__, url_prefix="/my-organisation/integrations")
moments.install(bp)
PAGE_SIZE = 25
# The overlap notifications documents for a rotated secret (its WEBHOOKS_SECRET_OVERLAP).
OVERLAP_HOURS = 24


@bp.context_processor
def _helpers():
    return {"flavours": FLAVOURS}


def _path(suffix: str = "") -> str:
    return notifications(f"/organisations/{current_person()['organisation_id']}/webhooks{suffix}")


def _descriptions() -> dict[str, str]:
    """Each event type's description in the reader's language."""
    return {
        e["name"]: api_vocabulary.event_type(e["name"], e["description"]) for e in event_types()
    }


def event_types() -> list[dict]:
    """The catalogue of event types webhooks can receive (name, description), kept per app."""
    known = current_app.extensions.get("portal_event_types")
    if known is None:
        listing = call("GET", notifications("/webhooks/event-types")).json()
        known = [{"name": e["name"], "description": e.get("description", "")} for e in listing]
        current_app.extensions["portal_event_types"] = known
    return known


def offered_flavours() -> list[str]:
    """The formats the API accepts, as its OpenAPI document lists them, in the portal's order."""
    known = current_app.extensions.get("portal_webhook_flavours")
    if known is None:
        document = call("GET", notifications("/openapi.json")).json()
        schema = document["components"]["schemas"]["EndpointIn"]["properties"]["flavour"]
        offered = set(schema.get("enum") or ["standard"])
        known = [f for f in FLAVOURS if f in offered]
        current_app.extensions["portal_webhook_flavours"] = known
    return known


def _endpoint_form(form_class=EndpointForm, **kwargs) -> EndpointForm:
    form = form_class(**kwargs)
    if form.flavour is not None:
        form.flavour.choices = [(f, FLAVOURS[f]) for f in offered_flavours()]
    form.language.choices = list(i18n.LANGUAGE_NAMES.items())
    form.event_types.choices = [(e["name"], e["name"]) for e in event_types()]
    if not form.language.data:
        form.language.data = str(get_locale())
    return form


@bp.route("", methods=["GET", "POST"])
@org_admin_required
def index():
    form = _endpoint_form()
    if form.validate_on_submit():
        try:
            created = api("POST", _path(), json=form.payload()).json()
        except ApiError as error:
            if not show_api_error(form, error):
                flash_refusal(error)
        else:  # the secret is shown once, on the page the redirect leads to
            shown = {k: created.get(k) for k in ("id", "url", "secret")}
            keep_for_next_page("created_endpoint", shown)
            return redirect(url_for("integrations.index"))
    created = take_from_last_page("created_endpoint") if request.method == "GET" else None
    cursor = request.args.get("cursor") or None
    try:
        listing = api("GET", _path(), params={"limit": PAGE_SIZE, "cursor": cursor}).json()
    except ApiError as error:
        if cursor and error.status in (400, 422):
            return redirect(url_for("integrations.index"))
        raise
    page = render_template(
        "integrations/index.html",
        form=form,
        listing=listing,
        cursor=cursor,
        created=created,
        descriptions=_descriptions(),
    )
    return _private(page) if created else page


def _edit_form(endpoint: dict, posted: bool = False) -> EndpointEditForm:
    """The edit form: what was posted, else the endpoint's current values."""
    flavour = endpoint.get("flavour", "standard")
    if posted:
        return _endpoint_form(EndpointEditForm, flavour=flavour)
    current = {
        "url": endpoint["url"],
        "description": endpoint.get("description") or "",
        "language": endpoint.get("language"),
        "scope": "all" if endpoint.get("event_types") is None else "selected",
        "event_types": endpoint.get("event_types") or [],
        "rate_limit": endpoint.get("rate_limit"),
    }
    return _endpoint_form(EndpointEditForm, flavour=flavour, formdata=None, data=current)


def _recover_form(endpoint: dict) -> RecoverForm:
    """Since when to send again: when failures began, else a day ago."""
    start = endpoint.get("failing_since") or (datetime.now(UTC) - timedelta(days=1)).isoformat()
    return RecoverForm(formdata=None, data={"since": moments.wall_time(start)})


def _endpoint_page(
    endpoint_id: uuid.UUID,
    secret: str | None = None,
    rotated: bool = False,
    edit: EndpointEditForm | None = None,
    recover: RecoverForm | None = None,
):
    endpoint = api("GET", _path(f"/{endpoint_id}")).json()
    page = render_template(
        "integrations/endpoint.html",
        endpoint=endpoint,
        secret=secret,
        rotated=rotated,
        overlap=OVERLAP_HOURS,
        action=EmptyForm(),
        edit=edit or _edit_form(endpoint),
        recover=recover or _recover_form(endpoint),
        descriptions=_descriptions(),
        zone=moments.reader_zone(),
    )
    return _private(page) if secret else page


def _private(page: str) -> Response:
    """A page showing a secret: kept in no cache, so Back does not show it again."""
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<uuid:endpoint_id>")
@org_admin_required
def endpoint(endpoint_id: uuid.UUID):
    return _endpoint_page(endpoint_id)


@bp.get("/<uuid:endpoint_id>/deliveries")
@org_admin_required
def deliveries(endpoint_id: uuid.UUID):
    """The delivery log, on its own tab: each message (the request's body) and every attempt
    at it, newest first, with the receiver's status and response body as stored."""
    endpoint = api("GET", _path(f"/{endpoint_id}")).json()
    cursor = request.args.get("cursor") or None
    try:
        messages = api(
            "GET", _path(f"/{endpoint_id}/messages"), params={"limit": PAGE_SIZE, "cursor": cursor}
        ).json()
    except ApiError as error:
        if cursor and error.status in (400, 422):
            return redirect(url_for("integrations.deliveries", endpoint_id=endpoint_id))
        raise
    attempts = api("GET", _path(f"/{endpoint_id}/attempts"), params={"limit": 100}).json()
    tries: dict[str, list[dict]] = {}
    for attempt in attempts["items"]:  # newest first
        tries.setdefault(attempt["message_id"], []).append(attempt)
    for message in messages["items"]:
        if message["attempt_count"] and message["id"] not in tries:  # older than the 100 above
            tries[message["id"]] = api(
                "GET", _path(f"/{endpoint_id}/attempts"), params={"message_id": message["id"]}
            ).json()["items"]
    return render_template(
        "integrations/deliveries.html",
        endpoint=endpoint,
        messages=messages,
        tries=tries,
        cursor=cursor,
        bodies={m["id"]: _request_body(m.get("payload")) for m in messages["items"]},
        action=EmptyForm(),
    )


def _request_body(payload) -> str:
    """The message as the receiver gets it in the standard format: its JSON, made readable."""
    if payload is None:
        return ""
    return json.dumps(payload, indent=2, ensure_ascii=False)


def _answered(form, method: str, suffix: str, **kwargs):
    """The API's answer to what the form asks of the endpoint; None when it refuses, the
    refusal shown next to its field or flashed. An endpoint that is not found is a 404."""
    try:
        return api(method, _path(suffix), **kwargs)
    except ApiError as error:
        if error.status == 404:
            raise
        if not show_api_error(form, error):
            flash_refusal(error)
        return None


def _act(
    endpoint_id: uuid.UUID,
    method: str,
    suffix: str,
    done: str,
    then: str = "integrations.endpoint",
    **kwargs,
):
    """One change of an endpoint from a button; a refusal said at the top of the page `then`."""
    form = EmptyForm()
    if form.validate_on_submit() and (
        _answered(form, method, f"/{endpoint_id}{suffix}", **kwargs) is not None
    ):
        flash(done, "success")
    return redirect(url_for(then, endpoint_id=endpoint_id))


@bp.post("/<uuid:endpoint_id>/test")
@org_admin_required
def send_test(endpoint_id: uuid.UUID):
    return _act(
        endpoint_id,
        "POST",
        "/test",
        _("A test event is on its way. Reload the page to see its delivery."),
        then="integrations.deliveries",
    )


@bp.post("/<uuid:endpoint_id>/messages/<string:message_id>/replay")
@org_admin_required
def replay(endpoint_id: uuid.UUID, message_id: str):
    return _act(
        endpoint_id,
        "POST",
        f"/messages/{message_id}/replay",
        _("The message is sent again, with the same webhook-id."),
        then="integrations.deliveries",
    )


@bp.post("/<uuid:endpoint_id>/disable")
@org_admin_required
def disable(endpoint_id: uuid.UUID):
    return _act(
        endpoint_id,
        "PATCH",
        "",
        _("The endpoint is disabled: its messages are held until you enable it."),
        json={"enabled": False},
    )


@bp.post("/<uuid:endpoint_id>/enable")
@org_admin_required
def enable(endpoint_id: uuid.UUID):
    return _act(endpoint_id, "PATCH", "", _("The endpoint is enabled."), json={"enabled": True})


@bp.post("/<uuid:endpoint_id>/rotate")
@org_admin_required
def rotate(endpoint_id: uuid.UUID):
    """A new secret, shown on this answer only (never stored in the session or a redirect)."""
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("integrations.endpoint", endpoint_id=endpoint_id))
    if not confirmation.confirmed():
        api("GET", _path(f"/{endpoint_id}"))  # another organisation's endpoint: a 404 here
        return confirmation.ask(
            title=_("Create a new signing secret?"),
            consequence=_(
                "For 24 hours messages are signed with both the old and the new secret; then "
                "only the new one works, so give it to your receiver in time."
            ),
            button=_("Create a new secret"),
            back=url_for("integrations.endpoint", endpoint_id=endpoint_id),
            danger=False,
        )
    secret = api("POST", _path(f"/{endpoint_id}/secret/rotate")).json()["secret"]
    return _endpoint_page(endpoint_id, secret=secret, rotated=True)


@bp.post("/<uuid:endpoint_id>/edit")
@org_admin_required
def edit(endpoint_id: uuid.UUID):
    """Change the endpoint; refusals next to their fields, on the endpoint's page."""
    endpoint = api("GET", _path(f"/{endpoint_id}")).json()
    form = _edit_form(endpoint, posted=True)
    if form.validate_on_submit() and (
        _answered(form, "PATCH", f"/{endpoint_id}", json=form.payload()) is not None
    ):
        flash(_("The endpoint is saved."), "success")
        return redirect(url_for("integrations.endpoint", endpoint_id=endpoint_id))
    return _endpoint_page(endpoint_id, edit=form)


@bp.post("/<uuid:endpoint_id>/recover")
@org_admin_required
def recover(endpoint_id: uuid.UUID):
    """Send again every failed or held message since a time typed in the reader's zone."""
    form = RecoverForm()
    if not form.validate_on_submit():
        return _endpoint_page(endpoint_id, recover=form)
    since = moments.from_wall_time(form.since.data).astimezone(UTC)
    answer = _answered(form, "POST", f"/{endpoint_id}/recover", json={"since": since.isoformat()})
    if answer is None:  # a refusal of the time is shown next to it, any other above the page
        if form.errors:
            return _endpoint_page(endpoint_id, recover=form)
        return redirect(url_for("integrations.endpoint", endpoint_id=endpoint_id))
    count = answer.json().get("recovered")
    if count is None:
        flash(_("The messages are queued to be sent again."), "success")
    elif count:
        message = ngettext(
            "%(num)d message is queued to be sent again.",
            "%(num)d messages are queued to be sent again.",
            count,
        )
        flash(message, "success")
    else:
        flash(_("No message failed or was held since then: nothing to send."), "info")
    return redirect(url_for("integrations.endpoint", endpoint_id=endpoint_id))


@bp.post("/<uuid:endpoint_id>/delete")
@org_admin_required
def delete(endpoint_id: uuid.UUID):
    if EmptyForm().validate_on_submit():
        if not confirmation.confirmed():
            api("GET", _path(f"/{endpoint_id}"))  # another organisation's endpoint: a 404 here
            return confirmation.ask(
                title=_("Delete this endpoint?"),
                consequence=_(
                    "No message is sent to it any more and its delivery log is deleted. "
                    "This cannot be undone."
                ),
                button=_("Delete the endpoint"),
                back=url_for("integrations.endpoint", endpoint_id=endpoint_id),
            )
        api("DELETE", _path(f"/{endpoint_id}"))
        flash(_("The endpoint is deleted."), "success")
        return redirect(url_for("integrations.index"))
    return redirect(url_for("integrations.endpoint", endpoint_id=endpoint_id))
