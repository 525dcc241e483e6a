"""Contact outside events in the portal: ask from a profile or a project, answer, cancel, .ics."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tests.portal.conftest import Browser
from tests.portal.support import csrf_token
from tests.portal.test_account_pages import _error_of


def _text(response) -> str:
    return response.get_data(as_text=True)


def _ahead(days: int, hour: int, zone: str) -> datetime:
    """A wall time `days` ahead at `hour` in `zone`, aware."""
    day = (datetime.now(UTC) + timedelta(days=days)).astimezone(ZoneInfo(zone)).date()
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=ZoneInfo(zone))


def _field(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def _contacts(platform) -> list:
    from services.announcements.models import MeetingRequest, db

    with platform.apps["announcements"].app_context():
        db.session.remove()
        return db.session.query(MeetingRequest).all()


def _signed_in(app, person) -> Browser:
    browser = Browser(app.test_client())
    browser.sign_in(person.email)
    return browser


def _token(browser) -> str:
    return csrf_token(_text(browser.get("/")))


@pytest.fixture
def parties(make):
    french = make.organisation(name="Valbonne Capteurs", park="sophia_antipolis", country="FR")
    lab = make.organisation(name="Nanjing IoT Lab", park="jiangning", country="CN", city="Nanjing")
    return {
        "french": french,
        "lab": lab,
        "asker": make.user(french, language="fr", timezone="Europe/Paris"),
        "reader": make.user(lab, language="zh", timezone="Asia/Shanghai"),
    }


def _form(*times, **overrides) -> dict:
    data = {
        "message": "Nous cherchons un laboratoire partenaire pour nos capteurs.",
        "time_1": "",
        "time_2": "",
        "time_3": "",
        "minutes": "30",
        "online": "yes",
    }
    for i, moment in enumerate(times, start=1):
        data[f"time_{i}"] = _field(moment)
    data.update(overrides)
    return data


def _ask(app, parties, *times, **overrides):
    asker = _signed_in(app, parties["asker"])
    url = f"/contacts/new/{parties['lab'].id}"
    response = asker.submit(url, _form(*times, **overrides))
    return asker, response


def test_a_french_company_asks_a_nanjing_lab_from_its_profile(app, platform, parties):
    asker = _signed_in(app, parties["asker"])
    profile = _text(asker.get(f"/organisations/{parties['lab'].id}"))
    assert f'href="/contacts/new/{parties["lab"].id}"' in profile
    own = _text(asker.get(f"/organisations/{parties['french'].id}"))
    assert "/contacts/new/" not in own  # nobody asks their own organisation

    morning = _ahead(10, 9, "Europe/Paris")  # 09:00 in Paris is 16:00 in Nanjing in winter
    later = _ahead(11, 10, "Europe/Paris")
    response = asker.submit(f"/contacts/new/{parties['lab'].id}", _form(morning, later))
    assert response.status_code == 302  # Post/Redirect/Get
    detail_url = response.headers["Location"]
    stored = _contacts(platform)
    assert len(stored) == 1 and stored[0].status == "requested"
    assert [t["starts_at"] for t in stored[0].proposed_times] == [
        morning.astimezone(UTC).isoformat(),
        later.astimezone(UTC).isoformat(),
    ]
    page = _text(asker.get(detail_url))
    assert "Nous cherchons un laboratoire" in page
    assert "Europe/Paris" in page and "Asia/Shanghai" in page
    assert "En attente de réponse" in page
    # reloading the page it was sent from creates nothing
    asker.get(detail_url)
    asker.get("/contacts")
    assert len(_contacts(platform)) == 1


def test_the_lab_reads_in_chinese_accepts_a_time_and_downloads_the_ics(app, platform, parties):
    morning, later = _ahead(10, 9, "Europe/Paris"), _ahead(11, 10, "Europe/Paris")
    asker, response = _ask(app, parties, morning, later)
    contact_id = response.headers["Location"].rsplit("/", 1)[-1]
    platform.settle()

    reader = _signed_in(app, parties["reader"])
    listing = _text(reader.get("/contacts"))
    assert "Valbonne Capteurs" in listing and "收到" in listing
    page = _text(reader.get(f"/contacts/{contact_id}"))
    assert later.astimezone(UTC).isoformat() in page
    accepted = reader.submit(
        f"/contacts/{contact_id}/accept",
        {"starts_at": later.astimezone(UTC).isoformat()},
        page=f"/contacts/{contact_id}",
    )
    assert accepted.status_code == 302
    assert _contacts(platform)[0].status == "accepted"
    shown = _text(reader.get(f"/contacts/{contact_id}"))
    assert "已接受" in shown and f"/contacts/{contact_id}/meeting.ics" in shown

    for side in (reader, asker):
        download = side.get(f"/contacts/{contact_id}/meeting.ics")
        assert download.status_code == 200 and download.mimetype == "text/calendar"
        calendar = icalendar.Calendar.from_ical(download.data)
        event = next(iter(calendar.walk("VEVENT")))
        assert event.decoded("dtstart") == later
        assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=30)
    # the requester cannot accept (it was not asked), and a second acceptance changes nothing
    again = asker.client.post(
        f"/contacts/{contact_id}/accept",
        data={"csrf_token": _token(asker), "starts_at": morning.astimezone(UTC).isoformat()},
    )
    assert again.status_code in (302, 403)
    assert _contacts(platform)[0].starts_at.replace(tzinfo=UTC) == later.astimezone(UTC)


def test_form_errors_are_shown_by_field_and_nothing_is_sent(app, platform, parties):
    _asker, nothing = _ask(app, parties, message="")
    text = _text(nothing)
    assert "Ce champ est obligatoire." in _error_of(text, "message")
    assert "au moins un" in _error_of(text, "time_1")
    past = _ahead(-2, 9, "Europe/Paris")
    same = _ahead(5, 9, "Europe/Paris")
    _asker, wrong = _ask(app, parties, past, same, same)
    text = _text(wrong)
    assert "à venir" in _error_of(text, "time_1")
    assert "différents" in _error_of(text, "time_2")
    assert _contacts(platform) == []


def test_a_decline_carries_its_note_to_the_asker(app, platform, parties):
    asker, response = _ask(app, parties, _ahead(10, 9, "Europe/Paris"))
    detail = response.headers["Location"]
    reader = _signed_in(app, parties["reader"])
    declined = reader.submit(f"{detail}/decline", {"decline-note": "明年再谈。"}, page=detail)
    assert declined.status_code == 302
    assert _contacts(platform)[0].status == "declined"
    page = _text(asker.get(detail))
    assert "明年再谈。" in page and "Refusée" in page
    assert f"{detail}/meeting.ics" not in page


def test_cancelling_asks_first_then_cancels(app, platform, parties):
    asker, response = _ask(app, parties, _ahead(10, 9, "Europe/Paris"))
    detail = response.headers["Location"]
    asked = asker.submit(f"{detail}/cancel", {"cancel-note": "Empêchement"}, page=detail)
    assert asked.status_code == 200 and 'name="confirmed" value="yes"' in _text(asked)
    assert _contacts(platform)[0].status == "requested"
    confirmed = asker.client.post(
        f"{detail}/cancel",
        data={"csrf_token": _token(asker), "cancel-note": "Empêchement", "confirmed": "yes"},
    )
    assert confirmed.status_code == 302
    assert _contacts(platform)[0].status == "cancelled"


def test_others_read_and_change_nothing(app, platform, parties, make):
    _asker, response = _ask(app, parties, _ahead(10, 9, "Europe/Paris"))
    detail = response.headers["Location"]
    third = _signed_in(app, make.user(make.organisation(name="Third Party")))
    assert third.get(detail).status_code == 404
    assert third.get(f"{detail}/meeting.ics").status_code == 404
    assert "Valbonne Capteurs" not in _text(third.get("/contacts"))
    for action, field in (("accept", "starts_at"), ("decline", "decline-note")):
        refused = third.client.post(
            f"{detail}/{action}", data={"csrf_token": _token(third), field: "x"}
        )
        assert refused.status_code in (403, 404)
    assert _contacts(platform)[0].status == "requested"
    assert third.get(f"/contacts/{uuid.uuid4()}").status_code == 404


def test_a_pending_organisation_is_not_offered_and_cannot_ask(app, platform, parties, make):
    pending = make.organisation(name="Not Yet Verified", status="pending")
    person = _signed_in(app, make.user(pending))
    profile = _text(person.get(f"/organisations/{parties['lab'].id}"))
    assert "/contacts/new/" not in profile
    refused = person.submit(
        f"/contacts/new/{parties['lab'].id}", _form(_ahead(10, 9, "Europe/Paris"))
    )
    assert refused.status_code == 200
    assert "not verified yet" in _text(refused)
    assert _contacts(platform) == []


def test_a_project_page_offers_to_ask_its_owner_about_it(app, platform, parties, make):
    owner_admin = make.admin(parties["lab"])
    project = platform.open_project(make.headers(owner_admin))
    asker = _signed_in(app, parties["asker"])
    page = _text(asker.get(f"/projects/{project['id']}"))
    link = f"/contacts/new/{parties['lab'].id}?project={project['id']}"
    assert link in page.replace("&amp;", "&")
    response = asker.submit(link, _form(_ahead(10, 9, "Europe/Paris")))
    assert response.status_code == 302
    assert str(_contacts(platform)[0].project_id) == project["id"]
    assert re.search(
        rf'href="/projects/{project["id"]}"', _text(asker.get(response.headers["Location"]))
    )
