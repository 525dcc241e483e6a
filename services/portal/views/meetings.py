"""B2B meetings at an event, the participant's side: taking part with a profile, finding whom to
meet, requests in and out, accepting into a slot (the agenda is in meeting_agenda.py).

Everything goes through the announcements API with the reader's own token: the API decides who
may take part and what may be booked; the portal offers what can be chosen and says the API's
refusals in the reader's language. Times are shown in the event's zone and the reader's.
"""

from __future__ import annotations

import uuid

from babel import Locale
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from .. import confirmation, i18n, moments
from .. import meeting_reads as reads
from ..api_client import ApiError, ApiUnavailable, projects, quietly
from ..auth import api, current_person, keep_for_next_page, login_required, take_from_last_page
from ..forms import show_api_error
from ..meeting_forms import SPOKEN, AcceptForm, NoteForm, ParticipationForm, RequestForm
from ..problem_messages import problem

bp = Blueprint("meetings", __name__, url_prefix="/announcements/<uuid:announcement_id>/meetings")
moments.install(bp)

FILTERS = ("country", "park", "sector", "kind", "q", "attendance")


def _refused(form, error: ApiError) -> None:
    if not show_api_error(form, error):
        flash(problem(error.code), "error")


# --- The event page's panel ---


@bp.app_context_processor
def _event_panel():
    return {"meetings_panel": meetings_panel}


def meetings_panel(item: dict, registration: dict | None) -> dict | None:
    """What the event page says of its B2B meetings; None when it has none (or the API is
    down: the event page renders anyway)."""
    # The API shows an event's meeting settings to signed-in readers only.
    if item.get("kind") != "event" or item.get("status") != "published" or not current_person():
        return None
    try:
        settings = api("GET", reads.path(item["id"], "/matchmaking")).json()
    except (ApiError, ApiUnavailable):
        return None
    panel = {"settings": settings, "participant": None, "registered": False}
    panel["registered"] = bool(registration and registration.get("status") == "registered")
    if panel["registered"]:
        panel["participant"] = quietly(lambda: reads.own_participation(item["id"])) or None
    return panel


# --- Taking part ---


def _own_projects() -> list[tuple[str, str]]:
    organisation_id = (current_person() or {}).get("organisation_id")
    if not organisation_id:
        return []
    params = {"organisation_id": organisation_id, "limit": 50, "lang": reads.language()}
    found = quietly(lambda: api("GET", projects("/projects"), params=params).json()["items"])
    return [(str(p["id"]), p.get("title") or str(p["id"])) for p in found]  # in `lang` already


def _choices(form: ParticipationForm, settings: dict) -> None:
    language = reads.language()
    form.sectors.choices = i18n.choices("sector", language)
    form.countries_sought.choices = i18n.country_choices(language)
    form.project_ids.choices = _own_projects()
    names = Locale.parse(i18n.babel_locale(language)).languages
    form.languages.choices = [(code, names.get(code, code)) for code in SPOKEN]
    form.session_ids.choices = [
        (s["id"], _session_label(s, n, settings["timezone"]))
        for n, s in enumerate(settings["sessions"], 1)
    ]
    if not settings.get("online"):
        form.attendance.choices = [c for c in form.attendance.choices if c[0] == "in_person"]


def _session_label(session: dict, position: int, zone: str) -> str:
    """A session as a choice: its name, day and hours in the event's zone, and its format."""
    start = moments.moment_parts(session["starts_at"]["utc"], zone)
    end = moments.moment_parts(session["ends_at"]["utc"], zone)
    way = _("in person") if session["in_person"] else _("online")
    return _(
        "%(name)s: %(start)s to %(end)s (%(zone)s, %(way)s)",
        name=reads.session_name(session, position),
        start=start["text"],
        end=end["time"],
        zone=zone,
        way=way,
    )


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile(announcement_id: uuid.UUID):
    """Take part (a profile for the event), or change the profile."""
    settings = reads.matchmaking(announcement_id)
    me = reads.own_participation(announcement_id)
    if me is None and not reads.registered(announcement_id):
        return reads.page("meetings/not_registered.html", announcement_id), 403
    form = ParticipationForm() if request.method == "POST" or me is None else None
    if form is None:
        form = ParticipationForm.from_profile(me)
    _choices(form, settings)
    if request.method == "GET" and me is None:
        form.attendance.data = "both" if settings["online"] else "in_person"
        form.timezone.data = form.timezone.data or moments.reader_zone()
        form.languages.data = form.languages.data or [reads.language()]
    if form.validate_on_submit():
        try:
            if me is None:
                done = api(
                    "POST",
                    reads.path(announcement_id, "/matchmaking/participants"),
                    json=form.payload(),
                ).json()
                keep_for_next_page(reads.CALENDAR_URL, done.get("calendar_url"))
                flash(_("You take part in the B2B meetings of this event."), "success")
            else:
                api(
                    "PATCH",
                    reads.path(announcement_id, "/matchmaking/participants/me"),
                    json=form.payload(),
                )
                flash(_("Your participation profile is saved."), "success")
        except ApiError as error:
            _refused(form, error)
        else:
            return redirect(url_for("meetings.home", announcement_id=announcement_id))
    return reads.page(
        "meetings/profile.html", announcement_id, form=form, joining=me is None, settings=settings
    )


# --- Requests in and out ---


bp.register_error_handler(reads.NotTakingPart, reads.to_profile)


@bp.get("")
@login_required
def home(announcement_id: uuid.UUID):
    """My meetings: requests received and sent, with what can be done with each."""
    me = reads.joined(announcement_id)
    settings = reads.matchmaking(announcement_id)
    everyone = reads.directory(announcement_id)
    mine = api("GET", reads.path(announcement_id, "/meetings")).json()
    slots = reads.slot_index(settings)
    rows = []
    for meeting in mine:
        received = str(meeting["recipient_id"]) == str(me["id"])
        other_id = meeting["requester_id"] if received else meeting["recipient_id"]
        rows.append(
            {
                **meeting,
                "received": received,
                "other": everyone.get(str(other_id)),
                "slot": slots.get(meeting.get("slot_id") or ""),
            }
        )
    return reads.page(
        "meetings/home.html",
        announcement_id,
        me=me,
        settings=settings,
        received=[r for r in rows if r["received"] and r["status"] == "requested"],
        sent=[r for r in rows if not r["received"] and r["status"] == "requested"],
        accepted=[r for r in rows if r["status"] == "accepted"],
        closed=[r for r in rows if r["status"] in ("declined", "cancelled")],
        calendar_url=take_from_last_page(reads.CALENDAR_URL),
        note_form=NoteForm(),
    )


@bp.get("/participants")
@login_required
def participants(announcement_id: uuid.UUID):
    """Whom to meet: suggestions with their reasons, and every participant, filtered."""
    me = reads.joined(announcement_id)
    language = reads.language()
    filters = {name: request.args.get(name) or None for name in FILTERS}
    invalid = False
    try:
        page = api(
            "GET",
            reads.path(announcement_id, "/matchmaking/participants"),
            params={**filters, "cursor": request.args.get("cursor"), "limit": 50},
        ).json()
    except ApiError as error:
        if error.status not in (400, 422):
            raise
        page, invalid = {"items": [], "next": None}, True
    suggestions = api(
        "GET",
        reads.path(announcement_id, "/matchmaking/suggestions"),
        params={"lang": language, "limit": 5},
    ).json()
    return reads.page(
        "meetings/participants.html",
        announcement_id,
        me=me,
        page=page,
        invalid=invalid,
        filters=filters,
        suggestions=suggestions,
        sectors=i18n.choices("sector", language),
        kinds=i18n.choices("kind", language),
        parks=i18n.choices("park", language),
        countries=i18n.country_choices(language),
    )


def _formats(me: dict, other: dict, online_offered: bool) -> tuple[str, ...]:
    """The ways the two can meet, as the request form's choices."""
    can_online = online_offered and "in_person" not in (me["attendance"], other["attendance"])
    can_in_person = "online" not in (me["attendance"], other["attendance"])
    if can_online and can_in_person:
        return ("", "no", "yes")
    return ("yes",) if can_online else ("no",)


@bp.route("/request/<uuid:participant_id>", methods=["GET", "POST"])
@login_required
def ask(announcement_id: uuid.UUID, participant_id: uuid.UUID):
    """Ask a participant for a meeting, with a reason."""
    me = reads.joined(announcement_id)
    other = reads.directory(announcement_id).get(str(participant_id))
    if other is None:
        abort(404)
    settings = reads.matchmaking(announcement_id)
    form = RequestForm(formats=_formats(me, other, settings["online"]))
    if form.validate_on_submit():
        try:
            api(
                "POST",
                reads.path(announcement_id, "/meetings"),
                json=form.payload(str(participant_id)),
            )
        except ApiError as error:
            _refused(form, error)
        else:
            flash(_("Your request is sent. You will be told of the answer."), "success")
            return redirect(url_for("meetings.home", announcement_id=announcement_id))
    return reads.page("meetings/request.html", announcement_id, form=form, other=other, me=me)


def _meeting(announcement_id, meeting_id) -> dict:
    return reads.get_or_404(reads.path(announcement_id, f"/meetings/{meeting_id}"))


def free_slots(settings: dict, me: dict, other: dict, meeting: dict, taken: set) -> list[dict]:
    """Slots the two might meet in: sessions both attend, in the meeting's format, inside both
    parties' working hours when online, not already on the reader's agenda. The API checks the
    rest (the other's bookings, tables, breaks) and says why it refuses."""
    shared = set(me["session_ids"]) & set(other["session_ids"])
    found = []
    for position, session in enumerate(settings["sessions"], 1):
        if session["id"] not in shared or (not meeting["online"] and not session["in_person"]):
            continue
        for slot in session["slots"]:
            if slot["id"] in taken:
                continue
            starts, ends = (moments.parse(slot[end]["utc"]) for end in ("starts_at", "ends_at"))
            if meeting["online"] and not all(
                reads.within_working_hours(party, starts, ends) for party in (me, other)
            ):
                continue
            found.append({**slot, "session_name": reads.session_name(session, position)})
    return found


@bp.route("/<uuid:meeting_id>/accept", methods=["GET", "POST"])
@login_required
def accept(announcement_id: uuid.UUID, meeting_id: uuid.UUID):
    """Accept a request; when participants schedule, into a free time common to both."""
    me = reads.joined(announcement_id)
    meeting = _meeting(announcement_id, meeting_id)
    if str(meeting["recipient_id"]) != str(me["id"]):
        abort(403)
    settings = reads.matchmaking(announcement_id)
    other = reads.directory(announcement_id).get(str(meeting["requester_id"])) or {
        "session_ids": []
    }
    picking = settings["mode"] == "participants"
    form = AcceptForm()
    slots: list[dict] = []
    if picking:
        agenda = api("GET", reads.path(announcement_id, "/matchmaking/agenda")).json()
        taken = {_slot_of(item, settings) for item in agenda["meetings"]}
        slots = free_slots(settings, me, other, meeting, taken)
        form.slot_id.choices = [(s["id"], s["id"]) for s in slots]
    else:
        del form.slot_id
    if meeting["status"] != "requested":
        flash(problem("meeting.not_open"), "error")
        return redirect(url_for("meetings.home", announcement_id=announcement_id))
    if form.validate_on_submit():
        body = {"slot_id": form.slot_id.data} if picking else {}
        try:
            api("POST", reads.path(announcement_id, f"/meetings/{meeting_id}/accept"), json=body)
        except ApiError as error:
            _refused(form, error)
        else:
            flash(_("The meeting is accepted."), "success")
            target = "meeting_agenda.agenda" if picking else "meetings.home"
            return redirect(url_for(target, announcement_id=announcement_id))
    return reads.page(
        "meetings/accept.html",
        announcement_id,
        form=form,
        meeting=meeting,
        other=other,
        slots=slots,
        picking=picking,
        settings=settings,
    )


def _slot_of(agenda_item: dict, settings: dict) -> str | None:
    for session in settings["sessions"]:
        for slot in session["slots"]:
            if slot["starts_at"]["utc"] == agenda_item["starts_at"]["utc"]:
                return slot["id"]
    return None


def _close(announcement_id, meeting_id, action: str, ask: dict, done: str):
    """Decline or cancel: a confirmation page first, then the API, then back to my meetings."""
    reads.joined(announcement_id)
    form = NoteForm()
    back = url_for("meetings.home", announcement_id=announcement_id)
    if not form.validate_on_submit():
        message = problem("bad_request") if form.csrf_token.errors else _("The note is too long.")
        flash(message, "error")
        return redirect(back)
    if not confirmation.confirmed():
        return confirmation.ask(back=back, **ask)
    try:
        api(
            "POST",
            reads.path(announcement_id, f"/meetings/{meeting_id}/{action}"),
            json={"note": (form.note.data or "").strip() or None},
        )
    except ApiError as error:
        if error.status in (403, 404):
            abort(404)
        flash(problem(error.code), "error")
    else:
        flash(done, "success")
    return redirect(back)


@bp.post("/<uuid:meeting_id>/decline")
@login_required
def decline(announcement_id: uuid.UUID, meeting_id: uuid.UUID):
    return _close(
        announcement_id,
        meeting_id,
        "decline",
        {
            "title": _("Decline this meeting request?"),
            "consequence": _(
                "The other participant is told, with your note if you wrote one. You cannot "
                "accept it afterwards."
            ),
            "button": _("Decline the request"),
        },
        _("The request is declined."),
    )


@bp.post("/<uuid:meeting_id>/cancel")
@login_required
def cancel(announcement_id: uuid.UUID, meeting_id: uuid.UUID):
    return _close(
        announcement_id,
        meeting_id,
        "cancel",
        {
            "title": _("Cancel this meeting?"),
            "consequence": _(
                "The other participant is told, with your note if you wrote one, and the time "
                "is free again. This cannot be undone."
            ),
            "button": _("Cancel the meeting"),
        },
        _("The meeting is cancelled."),
    )
