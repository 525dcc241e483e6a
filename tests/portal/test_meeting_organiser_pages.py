"""The organiser's brokerage pages: matchmaking set up, scheduling runs and their results."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.portal.conftest import Browser
from tests.portal.support import csrf_token
from tests.portal.test_account_pages import _error_of
from tests.portal.test_announcements_pages import Announcements
from tests.support.waiting import wait_until

API = "/api/announcements/v1"
DAY = "2027-01-15"  # winter: Paris is UTC+1, Shanghai UTC+8


def _wall(delta: timedelta) -> str:
    moment = datetime.now(UTC).astimezone(ZoneInfo("Europe/Paris")) + delta
    return moment.strftime("%Y-%m-%dT%H:%M")


def _setup_form(**overrides) -> dict:
    data = {
        "sessions-0-name": "Morning in Nanjing",
        "sessions-0-starts_at": f"{DAY}T09:00",
        "sessions-0-ends_at": f"{DAY}T10:00",
        "sessions-0-in_person": "yes",
        "sessions-1-name": "Online afternoon",
        "sessions-1-starts_at": f"{DAY}T14:00",
        "sessions-1-ends_at": f"{DAY}T15:00",
        "sessions-1-in_person": "no",
        "meeting_minutes": "20",
        "tables": "2",
        "online": "y",
        "booking_opens_at": _wall(-timedelta(days=1)),
        "booking_closes_at": _wall(timedelta(days=20)),
        "max_meetings": "5",
        "gap_slots": "0",
        "mode": "organiser",
    }
    for row in (2, 3):
        data.update(
            {
                f"sessions-{row}-name": "",
                f"sessions-{row}-starts_at": "",
                f"sessions-{row}-ends_at": "",
                f"sessions-{row}-in_person": "yes",
            }
        )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


class Brokerage:
    """An event organised by one organisation, read and written through the announcements API."""

    def __init__(self, platform, make, staff):
        self.make = make
        self.client = platform.apps["announcements"].test_client()
        self.organiser_org = make.organisation(name="Fondation Sophia Antipolis")
        self.organiser = make.admin(self.organiser_org)
        self.event = Announcements(platform, make).create(
            staff,
            "event",
            title={"en": "China-France forum — B2B meetings"},
            author_organisation_id=str(self.organiser_org.id),
            capacity=None,
        )
        self.url = f"/announcements/{self.event['id']}/organise"
        self.api = f"{API}/announcements/{self.event['id']}"

    def settings(self, person=None):
        response = self.client.get(
            f"{self.api}/matchmaking", headers=self.make.headers(person or self.organiser)
        )
        return response.get_json() if response.status_code == 200 else None

    def join(self, name, park="sophia_antipolis", country="FR", **profile):
        organisation = self.make.organisation(name=name, park=park, country=country)
        person = self.make.user(organisation)
        headers = self.make.headers(person)
        registered = self.client.post(f"{self.api}/registrations", headers=headers)
        assert registered.status_code == 201, registered.get_json()
        sessions = [s["id"] for s in self.settings()["sessions"]]
        body = {
            "offers": {"en": "Sensors"},
            "seeks": {"en": "Partners"},
            "attendance": "both",
            "session_ids": sessions,
            "working_hours_start": "08:00",
            "working_hours_end": "18:00",
            "timezone": "Europe/Paris",
            **profile,
        }
        if profile.get("sessions") == "online":
            body.pop("sessions")
            body["session_ids"] = sessions[1:]
        joined = self.client.post(
            f"{self.api}/matchmaking/participants", json=body, headers=headers
        )
        assert joined.status_code == 201, joined.get_json()
        return {"headers": headers, "id": joined.get_json()["id"], "organisation": organisation}

    def meet(self, asker, asked, **fields):
        asked_for = self.client.post(
            f"{self.api}/meetings",
            json={"recipient_id": asked["id"], "reason": "Let us talk.", **fields},
            headers=asker["headers"],
        )
        assert asked_for.status_code == 201, asked_for.get_json()
        meeting = asked_for.get_json()
        accepted = self.client.post(
            f"{self.api}/meetings/{meeting['id']}/accept", json={}, headers=asked["headers"]
        )
        assert accepted.status_code == 200, accepted.get_json()
        return meeting

    def run(self, run_id):
        response = self.client.get(
            f"{self.api}/matchmaking/runs/{run_id}", headers=self.make.headers(self.organiser)
        )
        return response.get_json()


@pytest.fixture
def staff(make):
    return make.platform_admin(full_name="Platform Staff")


@pytest.fixture
def brokerage(platform, make, staff):
    return Brokerage(platform, make, staff)


def _text(response) -> str:
    return response.get_data(as_text=True)


def _switched_on(browser, brokerage, **overrides):
    response = browser.submit(brokerage.url, _setup_form(**overrides))
    assert response.status_code == 302, _text(response)
    return response


# --- Setting up ---


def test_staff_switch_meetings_on_and_the_page_shows_them_again(browser, brokerage, staff):
    browser.sign_in(staff.email)
    page = _text(browser.get(f"/announcements/{brokerage.event['id']}"))
    assert f'href="{brokerage.url}"' in page  # the event page links to the organiser's page
    first = _text(browser.get(brokerage.url))
    assert "Meetings are not switched on for this event yet." in first
    response = _switched_on(browser, brokerage)
    assert response.headers["Location"].endswith(brokerage.url)  # Post/Redirect/Get
    settings = brokerage.settings()
    assert [s["in_person"] for s in settings["sessions"]] == [True, False]
    assert settings["sessions"][0]["name"] == {"en": "Morning in Nanjing"}
    # 09:00 in Paris (the event's zone) is 08:00 UTC in January
    assert settings["sessions"][0]["starts_at"]["utc"].startswith(f"{DAY}T08:00")
    assert settings["meeting_minutes"] == 20 and settings["tables"] == 2
    assert settings["mode"] == "organiser" and settings["online"] is True
    assert len(settings["sessions"][0]["slots"]) == 3

    again = _text(browser.get(brokerage.url))
    assert "One-to-one meetings are switched on." in again
    assert f'value="{DAY}T09:00"' in again and 'value="Morning in Nanjing"' in again
    # saving the same settings again (a reload of the form) adds nothing
    _switched_on(browser, brokerage)
    assert len(brokerage.settings()["sessions"]) == 2


def test_the_organiser_organisations_admin_sets_up_meetings_in_french(browser, brokerage, make):
    admin = make.admin(brokerage.organiser_org, language="fr")
    browser.sign_in(admin.email)
    page = _text(browser.get(brokerage.url))
    assert "<h1>Rendez-vous individuels</h1>" in page
    _switched_on(browser, brokerage, mode="participants", tables="4")
    assert brokerage.settings()["mode"] == "participants"
    assert brokerage.settings()["tables"] == 4


def test_errors_are_shown_next_to_their_fields_and_nothing_is_saved(browser, brokerage, staff):
    browser.sign_in(staff.email)
    local = _text(
        browser.submit(
            brokerage.url,
            _setup_form(
                **{"sessions-0-ends_at": f"{DAY}T08:00"},
                booking_closes_at=_wall(-timedelta(days=2)),
                tables="",
            ),
        )
    )
    assert "The session ends after it starts." in _error_of(local, "sessions-0-ends_at")
    assert "closes after it opens" in _error_of(local, "booking_closes_at")
    assert "This field is required." in _error_of(local, "tables")
    empty = _text(
        browser.submit(
            brokerage.url,
            _setup_form(
                **{
                    f"sessions-{i}-{name}": ""
                    for i in (0, 1)
                    for name in ("name", "starts_at", "ends_at")
                }
            ),
        )
    )
    assert "Give at least one session." in empty
    # the API's own rules: a session shorter than one meeting, in-person sessions need tables
    remote = _text(
        browser.submit(
            brokerage.url,
            _setup_form(**{"sessions-1-ends_at": f"{DAY}T14:10"}),
        )
    )
    assert "at least one meeting" in _error_of(remote, "sessions-1-ends_at")
    tables = _text(browser.submit(brokerage.url, _setup_form(tables="0")))
    assert "Give tables for in-person sessions" in _error_of(tables, "tables")
    assert brokerage.settings() is None


def _signed_in(app, person) -> Browser:
    browser = Browser(app.test_client())
    browser.sign_in(person.email)
    return browser


def _token(browser) -> str:
    return csrf_token(_text(browser.get("/")))


def test_others_are_refused_and_nothing_changes(app, browser, brokerage, make):
    member = make.user(brokerage.organiser_org)  # a plain member of the organiser
    outsider = make.admin(make.organisation(name="Another Company"))
    for person in (member, outsider):
        other = _signed_in(app, person)
        assert other.get(brokerage.url).status_code == 403
        page = _text(other.get(f"/announcements/{brokerage.event['id']}"))
        assert f'href="{brokerage.url}"' not in page
        forged = other.client.post(
            brokerage.url, data={"csrf_token": _token(other), **_setup_form()}
        )
        assert forged.status_code == 403
    assert brokerage.settings() is None
    anonymous = browser.get(brokerage.url)
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.headers["Location"]


# --- Scheduling ---


def _run_page_when_done(browser, url):
    def done():
        page = browser.get(url)
        return page if "Refresh" not in page.headers else None

    return wait_until(done, timeout=60, interval=0.2)


def test_the_organiser_runs_the_scheduler_and_reads_the_results(browser, brokerage, staff):
    browser.sign_in(staff.email)
    _switched_on(browser, brokerage)
    a = brokerage.join("Valbonne Robotics")
    b = brokerage.join("Jiangning Sensors Lab", park="jiangning", country="CN")
    c = brokerage.join("Antibes Optics")
    lab = brokerage.join(
        "Nanjing Night Lab",
        park="jiangning",
        country="CN",
        attendance="online",
        sessions="online",
        working_hours_start="09:00",
        working_hours_end="17:00",
        timezone="Asia/Shanghai",
    )
    brokerage.meet(a, b)
    brokerage.meet(c, lab, online=True)  # Shanghai's 9 to 5 never meets Paris's afternoon

    setup_page = _text(browser.get(brokerage.url))
    assert "Run the scheduler" in setup_page
    started = browser.submit(
        f"{brokerage.url}/runs",
        {"keep_published": "yes", "publish": "y"},
        page=brokerage.url,
    )
    assert started.status_code == 302
    run_url = started.headers["Location"]
    run_id = run_url.rsplit("/", 1)[-1]
    waiting = browser.get(run_url)
    assert waiting.status_code == 200
    if brokerage.run(run_id)["status"] in ("queued", "running"):
        assert "Refresh" in waiting.headers or "Refresh" not in browser.get(run_url).headers

    page = _text(_run_page_when_done(browser, run_url))
    run = brokerage.run(run_id)
    assert run["status"] == "done" and run["scheduled"] == 1
    assert re.search(r'class="run-scheduled">1<', page)
    assert "Nanjing Night Lab" in page and "Antibes Optics" in page
    assert "Their working hours never overlap" in page
    assert run["solver"] and ("CP-SAT" in page or "First fit" in page)
    assert "Optimality gap" in page
    # the grid: the in-person meeting at table 1, in the event's zone (Paris)
    grid = page[page.index('class="schedule-grid"') :]
    assert "Valbonne Robotics — Jiangning Sensors Lab" in grid
    assert "9:00" in grid and "9:40" in grid and "Table 2" in grid  # 3 slots of 20 minutes
    # starting the run again from a reload of the run page creates nothing
    browser.get(run_url)
    assert brokerage.run(run_id)["id"] == run_id


def test_rescheduling_published_meetings_asks_first(browser, brokerage, staff):
    browser.sign_in(staff.email)
    _switched_on(browser, brokerage)
    a, b = brokerage.join("Valbonne Robotics"), brokerage.join("Antibes Optics")
    brokerage.meet(a, b)
    first = browser.submit(
        f"{brokerage.url}/runs", {"keep_published": "yes", "publish": "y"}, page=brokerage.url
    )
    _run_page_when_done(browser, first.headers["Location"])

    asked = browser.submit(
        f"{brokerage.url}/runs", {"keep_published": "no", "publish": "y"}, page=brokerage.url
    )
    assert asked.status_code == 200
    text = _text(asked)
    assert "Reschedule published meetings?" in text
    assert 'name="confirmed" value="yes"' in text
    before = brokerage.client.get(
        f"{brokerage.api}/matchmaking/schedule", headers=brokerage.make.headers(staff)
    ).get_json()
    assert len(before) == 1 and before[0]["published"]
    token = re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)
    confirmed = browser.client.post(
        f"{brokerage.url}/runs",
        data={"csrf_token": token, "keep_published": "no", "publish": "y", "confirmed": "yes"},
    )
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"] != first.headers["Location"]
    done = _text(_run_page_when_done(browser, confirmed.headers["Location"]))
    assert "Valbonne Robotics — Antibes Optics" in done


def _runs(platform) -> int:
    from services.announcements.models import ScheduleRun, db

    with platform.apps["announcements"].app_context():
        db.session.remove()
        return db.session.query(ScheduleRun).count()


def test_only_organisers_start_runs(app, platform, browser, brokerage, staff, make):
    browser.sign_in(staff.email)
    _switched_on(browser, brokerage)
    member = _signed_in(app, make.user(brokerage.organiser_org))
    outsider = _signed_in(app, make.admin(make.organisation(name="Another Company")))
    for other in (member, outsider):
        refused = other.client.post(
            f"{brokerage.url}/runs",
            data={"csrf_token": _token(other), "keep_published": "yes", "publish": "y"},
        )
        assert refused.status_code == 403
        assert other.get(f"{brokerage.url}/runs/{uuid.uuid4()}").status_code == 403
    assert _runs(platform) == 0
    unknown = browser.get(f"{brokerage.url}/runs/{uuid.uuid4()}")
    assert unknown.status_code == 404
