"""B2B meetings in the portal, the participant's side, against the real services: the event
page's panel, taking part, finding whom to meet, requests, accepting into a slot, declining and
cancelling after a confirmation, the agenda in two zones (across Paris' change to summer time),
its .ics and the private calendar feed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from tests.portal.test_account_pages import _error_of
from tests.portal.test_announcements_pages import Announcements
from tests.portal.test_projects_pages import _opened

API = "/api/announcements/v1"
# Paris changes to summer time on Sunday 28 March 2027: Shanghai is 7 hours ahead before, 6 after.
WINTER_DAY, SUMMER_DAY = "2027-03-26", "2027-03-29"


def _text(response) -> str:
    return response.get_data(as_text=True)


def _sessions() -> list[dict]:
    return [
        {
            "name": {"en": "Friday tables", "fr": "Tables du vendredi", "zh": "周五洽谈"},
            "starts_at": f"{WINTER_DAY}T10:00:00",
            "ends_at": f"{WINTER_DAY}T11:00:00",
            "in_person": True,
        },
        {
            "name": {"en": "Monday tables", "fr": "Tables du lundi", "zh": "周一洽谈"},
            "starts_at": f"{SUMMER_DAY}T10:00:00",
            "ends_at": f"{SUMMER_DAY}T11:00:00",
            "in_person": True,
        },
    ]


class Forum:
    """An event in Paris with B2B meetings (participants pick slots), set up through the API."""

    def __init__(self, make, news, staff, *, mode="participants", online=True, sessions=None):
        self.make, self.client = make, news.client
        self.event = news.create(
            staff,
            "event",
            title={"en": "B2B forum", "fr": "Forum B2B", "zh": "B2B 论坛"},
            timezone="Europe/Paris",
            capacity=None,
        )
        self.id = self.event["id"]
        self.url = f"{API}/announcements/{self.id}"
        now = datetime.now(UTC).replace(microsecond=0)
        body = {
            "sessions": sessions or _sessions(),
            "meeting_minutes": 30,
            "tables": 3,
            "online": online,
            "booking_opens_at": (now - timedelta(days=1)).isoformat(),
            "booking_closes_at": (now + timedelta(days=60)).isoformat(),
            "max_meetings": 5,
            "mode": mode,
        }
        response = self.client.put(
            f"{self.url}/matchmaking", json=body, headers=make.headers(staff)
        )
        assert response.status_code == 200, response.get_json()
        self.settings = response.get_json()
        self.sessions = [s["id"] for s in self.settings["sessions"]]
        self.page = f"/announcements/{self.id}"
        self.meetings = f"{self.page}/meetings"

    def slot(self, session: int, index: int) -> str:
        return self.settings["sessions"][session]["slots"][index]["id"]

    def register(self, person) -> None:
        response = self.client.post(f"{self.url}/registrations", headers=self.make.headers(person))
        assert response.status_code == 201, response.get_json()

    def join(self, person, **fields) -> dict:
        self.register(person)
        body = {
            "offers": {"en": "Photonic sensors"},
            "seeks": {"en": "Distribution partners"},
            "attendance": "in_person",
            "session_ids": list(self.sessions),
            **fields,
        }
        response = self.client.post(
            f"{self.url}/matchmaking/participants", json=body, headers=self.make.headers(person)
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def participants(self, person) -> list[dict]:
        response = self.client.get(
            f"{self.url}/matchmaking/participants", headers=self.make.headers(person)
        )
        return response.get_json()["items"]

    def requests(self, person) -> list[dict]:
        response = self.client.get(f"{self.url}/meetings", headers=self.make.headers(person))
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def ask(self, asker, asked: dict) -> dict:
        body = {"recipient_id": asked["id"], "reason": "Let us talk about sensors."}
        response = self.client.post(
            f"{self.url}/meetings", json=body, headers=self.make.headers(asker)
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def accept(self, person, meeting: dict, slot_id: str) -> None:
        response = self.client.post(
            f"{self.url}/meetings/{meeting['id']}/accept",
            json={"slot_id": slot_id},
            headers=self.make.headers(person),
        )
        assert response.status_code == 200, response.get_json()


@pytest.fixture
def news(platform, make):
    return Announcements(platform, make)


@pytest.fixture
def staff(make):
    return make.platform_admin(full_name="Platform Staff")


@pytest.fixture
def forum(make, news, staff):
    return Forum(make, news, staff)


def _sme(make, **fields):
    organisation = make.organisation(name="Lérins Photonics", country="FR", sectors=["iot"])
    return make.user(organisation, language="fr", timezone="Europe/Paris", **fields)


def _lab(make, **fields):
    organisation = make.organisation(
        name="Nanjing Optoelectronics Lab",
        name_zh="南京光电实验室",
        country="CN",
        park="jiangning",
        city="Nanjing",
        kind="research_lab",
        sectors=["iot", "microelectronics"],
    )
    return make.user(organisation, language="zh", timezone="Asia/Shanghai", **fields)


def _other(browser):
    return browser.__class__(browser.client.application.test_client())


# --- The event page ---


def test_the_event_page_offers_meetings_to_registered_attendees_only(
    browser, make, news, staff, forum
):
    plain = news.create(staff, "event", title={"en": "No meetings here"})
    anonymous = browser.get(forum.page)  # the API tells signed-in readers only
    assert anonymous.status_code == 200 and "B2B meetings" not in _text(anonymous)

    person = make.user(make.organisation())
    browser.sign_in(person.email)
    assert "B2B meetings" not in _text(browser.get(f"/announcements/{plain['id']}"))
    shown = _text(browser.get(forum.page))
    assert "Register for the event first" in shown
    refused = browser.get(f"{forum.meetings}/profile")
    assert refused.status_code == 403 and "Register for the event first" in _text(refused)

    forum.register(person)
    shown = _text(browser.get(forum.page))
    assert f'href="{forum.meetings}/profile"' in shown and "Take part in the B2B meetings" in shown
    # someone who does not take part yet is sent to the profile form from every meeting page
    for page in ("", "/participants", "/agenda"):
        response = browser.get(f"{forum.meetings}{page}")
        assert response.status_code == 302
        assert response.headers["Location"] == f"{forum.meetings}/profile"


def test_taking_part_shows_errors_then_saves_once_and_shows_the_calendar_url_once(
    browser, make, forum
):
    person = _sme(make)
    forum.register(person)
    browser.sign_in(person.email)
    profile = f"{forum.meetings}/profile"
    form = _text(browser.get(profile))
    assert "Tables du vendredi" in form and "(Europe/Paris, en personne)" in form

    missing = browser.submit(profile, {"attendance": "online", "offers_fr": "Capteurs"})
    page = _text(missing)
    assert missing.status_code == 200
    assert "Choisissez au moins une session." in _error_of(page, "session_ids")
    assert "heures de travail" in _error_of(page, "working_hours_end")
    assert forum.participants(make.platform_admin()) == []

    # the API's own rule, said next to its field: no in-person session chosen to meet in person
    data = {
        "offers_fr": "Capteurs photoniques",
        "seeks_en": "A laboratory in Nanjing",
        "sectors": ["iot"],
        "countries_sought": ["CN"],
        "languages": ["fr", "en"],
        "attendance": "in_person",
        "session_ids": list(forum.sessions),
    }
    done = browser.submit(profile, data)
    assert done.status_code == 302 and done.headers["Location"] == forum.meetings
    home = _text(browser.get(forum.meetings))
    assert "/meeting-calendars/" in home  # the feed's secret address, shown this once
    assert "/meeting-calendars/" not in _text(browser.get(forum.meetings))

    again = browser.submit(profile, {**data, "offers_fr": "Capteurs et lasers"})
    assert again.status_code == 302  # a second post changes the profile, adds no participant
    (only,) = forum.participants(make.platform_admin())
    assert only["offers"] == {"fr": "Capteurs et lasers"}
    assert only["seeks"] == {"en": "A laboratory in Nanjing"}
    assert only["countries_sought"] == ["CN"] and only["attendance"] == "in_person"
    edit = _text(browser.get(profile))
    assert "Capteurs et lasers" in edit and "Enregistrer mon profil" in edit


def test_a_profile_links_the_organisations_published_projects(browser, make, forum):
    organisation = make.organisation(name="Lérins Photonics")
    admin = make.admin(organisation, language="en")
    browser.sign_in(admin.email)
    project_id = _opened(browser, title_en="Photonic test bench")
    forum.register(admin)
    profile = f"{forum.meetings}/profile"
    form = _text(browser.get(profile))
    assert f'value="{project_id}"' in form and "Photonic test bench" in form
    data = {"attendance": "in_person", "session_ids": [forum.sessions[0]]}
    browser.submit(profile, {**data, "project_ids": [project_id]})
    (participant,) = forum.participants(make.platform_admin())
    assert participant["project_ids"] == [project_id]

    reader = _other(browser)
    other = make.user(make.organisation(name="Nanjing Optics", country="CN"))
    forum.join(other)
    reader.sign_in(other.email)
    listed = _text(reader.get(f"{forum.meetings}/participants"))
    assert f'href="/projects/{project_id}"' in listed


def test_the_profile_form_says_the_apis_refusal_next_to_its_field(browser, make, news, staff):
    online_afternoon = {**_sessions()[1], "in_person": False, "name": {"en": "Online"}}
    forum = Forum(make, news, staff, sessions=[_sessions()[0], online_afternoon])
    person = _sme(make)
    forum.register(person)
    browser.sign_in(person.email)
    profile = f"{forum.meetings}/profile"
    # in person, but only in the online session: the API refuses, the portal says why in French
    response = browser.submit(
        profile, {"attendance": "in_person", "session_ids": [forum.sessions[1]]}
    )
    assert response.status_code == 200
    assert "Choisissez une session en personne." in _error_of(_text(response), "session_ids")
    assert forum.participants(make.platform_admin()) == []


def test_participants_are_filtered_and_suggested_with_reasons_in_the_readers_language(
    browser, make, forum
):
    sme, lab = _sme(make), _lab(make)
    forum.join(sme, countries_sought=["CN"], sectors=["iot"])
    forum.join(lab, offers={"zh": "光子芯片", "en": "Photonic chips"}, sectors=["iot"])
    other_french = make.user(make.organisation(name="Antibes Robotics", country="FR"))
    forum.join(other_french, offers={"en": "Robots"}, attendance="in_person")
    browser.sign_in(sme.email)

    page = _text(browser.get(f"{forum.meetings}/participants"))
    suggestions = page.split('id="suggestions-title"')[1].split('id="all-title"')[0]
    assert "Nanjing Optoelectronics Lab" in suggestions
    assert "un pays que vous recherchez" in suggestions  # the API's reason, in French
    assert "Un partenariat France-Chine" in suggestions
    assert suggestions.index("Nanjing Optoelectronics Lab") < suggestions.find("Antibes Robotics")

    chinese_only = _text(browser.get(f"{forum.meetings}/participants?country=CN"))
    listed = chinese_only.split('id="all-title"')[1]
    assert "Nanjing Optoelectronics Lab" in listed and "Antibes Robotics" not in listed
    words = _text(browser.get(f"{forum.meetings}/participants?q=robots")).split('id="all-title"')
    assert "Antibes Robotics" in words[1] and "Nanjing Optoelectronics Lab" not in words[1]
    # one's own organisation is listed but offers no request
    assert f"/request/{forum.participants(sme)[0]['id']}" not in page

    bad = browser.get(f"{forum.meetings}/participants?q=x")
    assert bad.status_code == 200 and "ne sont pas valables" in _text(bad)


def test_a_request_then_acceptance_into_a_slot_and_the_agenda_in_both_zones_across_dst(
    browser, make, forum
):
    sme, lab = _sme(make), _lab(make)
    forum.join(sme)
    lab_participant = forum.join(lab)
    browser.sign_in(sme.email)
    ask = f"{forum.meetings}/request/{lab_participant['id']}"

    empty = browser.submit(ask, {"reason": "  ", "online": ""})
    assert "Dites pourquoi" in _error_of(_text(empty), "reason")
    assert forum.requests(sme) == []
    sent = browser.submit(ask, {"reason": "Vos capteurs nous intéressent.", "online": ""})
    assert sent.status_code == 302 and sent.headers["Location"] == forum.meetings
    again = browser.submit(ask, {"reason": "Encore ?", "online": ""})
    assert again.status_code == 200  # the API refuses a second open request, said in French
    assert "déjà ouverte" in _text(again)
    (meeting,) = forum.requests(sme)
    assert meeting["status"] == "requested" and meeting["online"] is False
    assert "Vos capteurs nous intéressent." in _text(browser.get(forum.meetings))

    chinese = _other(browser)
    chinese.sign_in(lab.email)
    home = _text(chinese.get(forum.meetings))
    assert "Lérins Photonics" in home and "Vos capteurs nous intéressent." in home
    accept = f"{forum.meetings}/{meeting['id']}/accept"
    form = _text(chinese.get(accept))
    # the slots of both sessions, in Paris' zone and the reader's: 7 hours apart before the
    # change to summer time, 6 after
    assert f'datetime="{WINTER_DAY}T10:00:00+01:00"' in form
    assert f'datetime="{WINTER_DAY}T17:00:00+08:00"' in form
    assert f'datetime="{SUMMER_DAY}T10:00:00+02:00"' in form
    assert f'datetime="{SUMMER_DAY}T16:00:00+08:00"' in form

    unpicked = chinese.submit(accept, {})
    assert unpicked.status_code == 200 and "slot_id-error" in _text(unpicked)
    assert forum.requests(lab)[0]["status"] == "requested"
    done = chinese.submit(accept, {"slot_id": forum.slot(1, 0)})
    assert done.status_code == 302 and done.headers["Location"] == f"{forum.meetings}/agenda"
    (accepted,) = forum.requests(lab)
    assert accepted["status"] == "accepted" and accepted["slot_id"] == forum.slot(1, 0)
    assert accepted["table_number"] == 1
    # posting the acceptance again books nothing more: the request is no longer open
    again = chinese.submit(accept, {"slot_id": forum.slot(0, 0)}, page=forum.meetings)
    assert again.status_code == 302 and "不再" in _text(chinese.get(forum.meetings))
    assert forum.requests(lab)[0]["slot_id"] == forum.slot(1, 0)

    agenda = _text(chinese.get(f"{forum.meetings}/agenda"))
    assert f'datetime="{SUMMER_DAY}T10:00:00+02:00"' in agenda
    assert f'datetime="{SUMMER_DAY}T16:00:00+08:00"' in agenda
    assert "Lérins Photonics" in agenda and "1 号桌" in agenda
    paris = _text(browser.get(f"{forum.meetings}/agenda"))
    assert f'datetime="{SUMMER_DAY}T10:00:00+02:00"' in paris
    assert "南京光电实验室" in paris and "Table 1" in paris
    assert "meetings.css" in paris

    ics_link = re.search(r'href="([^"]+\.ics)"', agenda).group(1)
    download = chinese.get(ics_link)
    assert download.status_code == 200
    assert download.headers["Content-Type"].startswith("text/calendar")
    (vevent,) = icalendar.Calendar.from_ical(download.data).walk("VEVENT")
    assert vevent.decoded("dtstart") == datetime(2027, 3, 29, 8, 0, tzinfo=UTC)
    assert "Lérins Photonics" in str(vevent.get("summary"))


def test_only_the_one_asked_may_accept(browser, make, forum):
    sme, lab = _sme(make), _lab(make)
    forum.join(sme)
    meeting = forum.ask(sme, forum.join(lab))
    browser.sign_in(sme.email)
    assert browser.get(f"{forum.meetings}/{meeting['id']}/accept").status_code == 403
    stranger = _other(browser)
    stranger.sign_in(make.user(make.organisation()).email)
    response = stranger.get(f"{forum.meetings}/{meeting['id']}/accept")
    assert response.status_code == 302  # not a participant: to the profile form
    assert forum.requests(lab)[0]["status"] == "requested"


def test_declining_asks_first_and_sends_the_note(browser, make, forum):
    sme, lab = _sme(make), _lab(make)
    forum.join(sme)
    meeting = forum.ask(sme, forum.join(lab))
    browser.sign_in(lab.email)
    decline = f"{forum.meetings}/{meeting['id']}/decline"
    first = browser.submit(decline, {"note": "日程已满"}, page=forum.meetings)
    assert first.status_code == 200
    assert 'name="confirmed" value="yes"' in _text(first) and "日程已满" in _text(first)
    assert forum.requests(lab)[0]["status"] == "requested"  # nothing changed yet

    done = browser.submit(decline, {"note": "日程已满", "confirmed": "yes"}, page=forum.meetings)
    assert done.status_code == 302 and done.headers["Location"] == forum.meetings
    (declined,) = forum.requests(lab)
    assert declined["status"] == "declined" and declined["note"] == "日程已满"
    twice = browser.submit(decline, {"note": "", "confirmed": "yes"}, page=forum.meetings)
    assert twice.status_code == 302
    assert "不再" in _text(browser.get(forum.meetings))  # "no longer open", in Chinese


def test_cancelling_an_accepted_meeting_frees_its_slot_after_a_confirmation(browser, make, forum):
    sme, lab = _sme(make), _lab(make)
    forum.join(sme)
    meeting = forum.ask(sme, forum.join(lab))
    forum.accept(lab, meeting, forum.slot(0, 1))
    browser.sign_in(sme.email)
    cancel = f"{forum.meetings}/{meeting['id']}/cancel"
    asked = browser.submit(cancel, {"note": ""}, page=forum.meetings)
    assert "Annuler le rendez-vous" in _text(asked)
    assert forum.requests(sme)[0]["status"] == "accepted"
    browser.submit(cancel, {"note": "Désolé", "confirmed": "yes"}, page=forum.meetings)
    (cancelled,) = forum.requests(sme)
    assert cancelled["status"] == "cancelled" and cancelled["slot_id"] is None
    assert "Désolé" in _text(browser.get(forum.meetings))
    assert "Aucun rendez-vous" in _text(browser.get(f"{forum.meetings}/agenda"))


def test_resetting_the_calendar_address_shows_the_new_one_once_and_revokes_the_old(
    browser, make, forum, platform
):
    person = _sme(make)
    forum.register(person)
    browser.sign_in(person.email)
    data = {"attendance": "in_person", "session_ids": [forum.sessions[0]]}
    browser.submit(f"{forum.meetings}/profile", data)
    first = re.search(r"<code>([^<]+)</code>", _text(browser.get(forum.meetings))).group(1)

    reset = f"{forum.meetings}/calendar"
    asked = browser.submit(reset, {}, page=f"{forum.meetings}/agenda")
    assert asked.status_code == 200 and 'name="confirmed" value="yes"' in _text(asked)
    done = browser.submit(reset, {"confirmed": "yes"}, page=f"{forum.meetings}/agenda")
    assert done.headers["Location"] == f"{forum.meetings}/agenda"
    second = re.search(r"<code>([^<]+)</code>", _text(browser.get(f"{forum.meetings}/agenda")))
    assert second and second.group(1) != first
    assert "<code>" not in _text(browser.get(f"{forum.meetings}/agenda"))

    feeds = platform.apps["announcements"].test_client()
    path = lambda url: url[url.index("/api/") :]  # noqa: E731
    assert feeds.get(path(first)).status_code == 404
    assert feeds.get(path(second.group(1))).status_code == 200


def test_an_online_meeting_is_offered_only_times_inside_both_working_hours(
    browser, make, news, staff
):
    morning = {
        "name": {"en": "Online morning"},
        "starts_at": f"{SUMMER_DAY}T08:00:00",
        "ends_at": f"{SUMMER_DAY}T12:00:00",
        "in_person": False,
    }
    forum = Forum(make, news, staff, sessions=[morning])
    sme, lab = _sme(make), _lab(make)
    hours = {"attendance": "online", "working_hours_start": "09:00"}
    forum.join(sme, **hours, working_hours_end="18:00", timezone="Europe/Paris")
    asked = forum.join(lab, **hours, working_hours_end="17:30", timezone="Asia/Shanghai")
    meeting = forum.ask(sme, asked)
    assert meeting["online"] is True
    browser.sign_in(lab.email)
    form = _text(browser.get(f"{forum.meetings}/{meeting['id']}/accept"))
    offered = re.findall(r'name="slot_id" id="slot-\d+" value="([^"]+)"', form)
    # Paris from 09:00 (summer time, UTC+2), Shanghai until 17:30 (11:30 in Paris)
    assert offered == [forum.slot(0, i) for i in (2, 3, 4, 5, 6)]
    assert f'datetime="{SUMMER_DAY}T09:00:00+02:00"' in form
    assert f'datetime="{SUMMER_DAY}T15:00:00+08:00"' in form
    assert f'datetime="{SUMMER_DAY}T08:30:00+02:00"' not in form
    assert f'datetime="{SUMMER_DAY}T11:30:00+02:00"' not in form


def test_a_time_the_other_party_has_booked_meanwhile_is_refused_and_said_so(browser, make, forum):
    sme, lab = _sme(make), _lab(make)
    sme_participant = forum.join(sme)
    lab_participant = forum.join(lab)
    third = make.user(make.organisation(name="Antibes Robotics"))
    forum.join(third)
    meeting = forum.ask(sme, lab_participant)
    # the SME takes the first Friday slot with someone else while the lab is deciding
    forum.accept(sme, forum.ask(third, sme_participant), forum.slot(0, 0))

    browser.sign_in(lab.email)
    accept = f"{forum.meetings}/{meeting['id']}/accept"
    refused = browser.submit(accept, {"slot_id": forum.slot(0, 0)})
    assert refused.status_code == 200
    assert "该时间已被预约。" in _text(refused)  # said in the lab's Chinese
    assert forum.requests(lab)[0]["status"] == "requested"


def test_when_the_organiser_schedules_accepting_picks_no_time(browser, make, news, staff):
    forum = Forum(make, news, staff, mode="organiser")
    sme, lab = _sme(make), _lab(make)
    forum.join(sme)
    meeting = forum.ask(sme, forum.join(lab))
    browser.sign_in(lab.email)
    assert 'href="' + forum.meetings + '"' in _text(browser.get(forum.page))  # "My meetings"
    accept = f"{forum.meetings}/{meeting['id']}/accept"
    form = _text(browser.get(accept))
    assert 'name="slot_id"' not in form and "主办方会将已接受的洽谈排入日程" in form
    done = browser.submit(accept, {})
    assert done.status_code == 302 and done.headers["Location"] == forum.meetings
    (accepted,) = forum.requests(lab)
    assert accepted["status"] == "accepted" and accepted["slot_id"] is None
    assert "主办方将为其安排时间。" in _text(browser.get(forum.meetings))
    assert "您的日程中还没有洽谈" in _text(browser.get(f"{forum.meetings}/agenda"))
