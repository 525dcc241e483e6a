"""News, events and calls in the portal: reading, times, registration, .ics, writing, moderation."""

from __future__ import annotations

import re

import icalendar
import pytest

from services.members.events import republish
from tests.portal.test_account_pages import _error_of

API = "/api/announcements/v1"
# A winter evening in Paris (UTC+1) is the small hours of the next day in Shanghai (UTC+8).
PARIS_EVENING = {
    "starts_at": "2027-01-15T18:00:00",
    "ends_at": "2027-01-15T20:30:00",
    "timezone": "Europe/Paris",
    "place": "Sophia Antipolis, Business Pôle",
}


class Announcements:
    """Announcements written straight through the API, as their authors' own tokens allow."""

    def __init__(self, platform, make):
        self.client = platform.apps["announcements"].test_client()
        self.make = make

    def create(self, author, kind="news", *, publish=True, **fields) -> dict:
        body = {
            "kind": kind,
            "title": {"en": f"A {kind} title", "fr": f"Un titre de {kind}"},
            "summary": {"en": "What it is about."},
            "body": {"en": "**Bold** text <script>alert(1)</script>"},
            "audience": {"scope": "public"},
        }
        if kind == "event":
            body.update(PARIS_EVENING)
        body.update(fields)
        created = self.client.post(
            f"{API}/announcements", json=body, headers=self.make.headers(author)
        )
        assert created.status_code == 201, created.get_json()
        item = created.get_json()
        if publish:
            done = self.client.post(
                f"{API}/announcements/{item['id']}/publish",
                json={},
                headers=self.make.headers(author),
            )
            assert done.status_code == 200, done.get_json()
            item = done.get_json()
        return item

    def read(self, reader, announcement_id) -> dict:
        response = self.client.get(
            f"{API}/announcements/{announcement_id}", headers=self.make.headers(reader)
        )
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def registration(self, person, announcement_id) -> str | None:
        response = self.client.get(
            f"{API}/announcements/{announcement_id}/registrations/me",
            headers=self.make.headers(person),
        )
        return response.get_json()["status"] if response.status_code == 200 else None


@pytest.fixture
def news(platform, make):
    return Announcements(platform, make)


@pytest.fixture
def staff(make):
    return make.platform_admin(full_name="Platform Staff")


def _text(response) -> str:
    return response.get_data(as_text=True)


def _news_form(**overrides) -> dict:
    data = {
        "title_en": "Our new laboratory opens",
        "title_fr": "",
        "title_zh": "",
        "summary_en": "A new place for sensor testing.",
        "summary_fr": "",
        "summary_zh": "",
        "body_en": "Come and *see* it.",
        "body_fr": "",
        "body_zh": "",
        "tags": "lab, sensors",
        "sectors": ["iot"],
        "audience_scope": "public",
    }
    data.update(overrides)
    return data


def _event_form(**overrides) -> dict:
    data = _news_form(title_en="Cooperation forum 2027")
    data.update(
        starts_at="2027-03-10T09:30",
        ends_at="2027-03-10T17:00",
        timezone="Europe/Paris",
        place="Nanjing, Jiangning",
        online_url="",
        capacity="80",
        author_organisation_id="",
    )
    data.update(overrides)
    return data


# --- Reading ---


def test_anonymous_readers_see_public_news_and_events_in_english(browser, make, news, staff):
    item = news.create(staff, "news", title={"en": "Sophia meets Jiangning"})
    event = news.create(staff, "event", title={"en": "Robotics day"})
    news.create(staff, "news", title={"en": "Only for members"}, audience={"scope": "members"})
    news.create(staff, "news", title={"en": "Still a draft"}, publish=False)

    listing = _text(browser.get("/announcements"))
    assert "Sophia meets Jiangning" in listing and "Robotics day" in listing
    assert "Only for members" not in listing and "Still a draft" not in listing
    assert 'href="/announcements/feeds/en.rss"' in listing
    assert 'href="/announcements/events.ics?lang=en"' in listing
    events_only = _text(browser.get("/announcements?kind=event"))
    assert "Robotics day" in events_only and "Sophia meets Jiangning" not in events_only

    page = _text(browser.get(f"/announcements/{item['id']}"))
    assert "<h1>Sophia meets Jiangning</h1>" in page
    assert "<strong>Bold</strong>" in page  # the API's sanitised HTML
    assert "<script>alert(1)</script>" not in page
    assert "Sign in to register" in _text(browser.get(f"/announcements/{event['id']}"))


def test_members_read_what_is_meant_for_members(browser, make, news, staff):
    org = make.organisation()
    news.create(staff, "news", title={"en": "Only for members"}, audience={"scope": "members"})
    browser.sign_in(make.user(org).email)
    assert "Only for members" in _text(browser.get("/announcements"))


def test_lists_page_with_the_api_cursor_and_survive_a_bad_one(browser, news, staff):
    for n in range(21):
        news.create(staff, "news", title={"en": f"Item number {n:02d}"})
    first = _text(browser.get("/announcements"))
    assert "Item number 20" in first and "Item number 00" not in first
    cursor = re.search(r'href="/announcements\?cursor=([^"&]+)"', first).group(1)
    second = _text(browser.get(f"/announcements?cursor={cursor}"))
    assert "Item number 00" in second and "Item number 20" not in second
    broken = browser.get("/announcements?cursor=not-a-cursor")
    assert broken.status_code == 200 and "no longer valid" in _text(broken)


def test_a_reader_in_shanghai_sees_a_paris_event_in_both_zones(browser, make, news, staff):
    event = news.create(staff, "event", title={"en": "Winter forum"})
    reader = make.user(make.organisation(), timezone="Asia/Shanghai")
    browser.sign_in(reader.email)
    page = _text(browser.get(f"/announcements/{event['id']}"))
    assert 'datetime="2027-01-15T18:00:00+01:00"' in page  # the event's own evening
    assert 'datetime="2027-01-15T20:30:00+01:00"' in page
    assert "Friday, January 15, 2027" in page
    assert 'datetime="2027-01-16T01:00:00+08:00"' in page  # the reader's small hours
    assert 'datetime="2027-01-16T03:30:00+08:00"' in page
    assert "Saturday, January 16, 2027" in page
    assert "(Europe/Paris)" in page and "(Asia/Shanghai)" in page


def test_an_anonymous_chinese_reader_gets_shanghai_time(browser, news, staff):
    event = news.create(staff, "event")
    page = _text(browser.get(f"/announcements/{event['id']}", headers={"Accept-Language": "zh"}))
    assert 'datetime="2027-01-16T01:00:00+08:00"' in page


def test_unknown_and_withdrawn_announcements(browser, make, news, staff):
    import uuid

    assert browser.get(f"/announcements/{uuid.uuid4()}").status_code == 404
    item = news.create(staff, "news", title={"en": "Cancelled visit"})
    withdrawn = news.client.post(
        f"{API}/announcements/{item['id']}/withdraw", json={}, headers=make.headers(staff)
    )
    assert withdrawn.status_code == 200
    page = browser.get(f"/announcements/{item['id']}")
    assert page.status_code == 410
    assert "This announcement was withdrawn" in _text(page)
    assert "Cancelled visit" not in _text(browser.get("/announcements"))


# --- Registration ---


def test_register_then_cancel(browser, make, news, staff):
    event = news.create(staff, "event", capacity=10)
    person = make.user(make.organisation())
    browser.sign_in(person.email)
    page = f"/announcements/{event['id']}"
    assert "10 places left out of 10" in _text(browser.get(page))

    done = browser.submit(f"{page}/register", {}, page=page)
    assert done.status_code == 302
    shown = _text(browser.get(page))
    assert "You are registered" in shown and "You have a place at this event." in shown
    assert "9 places left out of 10" in shown
    assert news.registration(person, event["id"]) == "registered"

    browser.submit(f"{page}/cancel", {}, page=page)
    shown = _text(browser.get(page))
    assert "Your registration is cancelled." in shown and "10 places left out of 10" in shown
    assert news.registration(person, event["id"]) == "cancelled"


def test_a_full_event_puts_the_next_person_on_the_waiting_list(browser, make, news, staff):
    event = news.create(staff, "event", capacity=1)
    org = make.organisation()
    first, second = make.user(org), make.user(org)
    page = f"/announcements/{event['id']}"
    browser.sign_in(first.email)
    browser.submit(f"{page}/register", {}, page=page)
    assert news.registration(first, event["id"]) == "registered"

    other = browser.__class__(browser.client.application.test_client())
    other.sign_in(second.email)
    before = _text(other.get(page))
    assert "Join the waiting list" in before and "Full: the 1 place is taken" in before
    other.submit(f"{page}/register", {}, page=page)
    shown = _text(other.get(page))
    assert "you are on the waiting list" in shown and "Leave the waiting list" in shown
    assert news.registration(second, event["id"]) == "waiting"

    browser.submit(f"{page}/cancel", {}, page=page)  # the first frees the place
    assert news.registration(second, event["id"]) == "registered"


def test_registration_needs_sign_in_and_a_csrf_token(browser, make, news, staff):
    event = news.create(staff, "event")
    page = f"/announcements/{event['id']}"
    response = browser.submit(f"{page}/register", {}, page="/sign-in")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    person = make.user(make.organisation())
    browser.sign_in(person.email)
    assert browser.client.post(f"/announcements/{event['id']}/register").status_code == 400
    assert news.registration(person, event["id"]) is None


# --- Attendees, for organisers ---


def _attendee_setup(make, news, staff, platform):
    """An event organised by one organisation, with a place taken by one of its people (a
    Chinese name) and the waiting list's first place taken by someone of another organisation."""
    organiser = make.organisation(name="Lérins Connect")
    guests = make.organisation(name="Nanjing Sensors", name_zh="南京传感器有限公司")
    organiser_admin = make.admin(organiser)
    colleague = make.user(organiser, full_name="王小明")
    guest = make.user(guests, full_name="Camille Martin")
    event = news.create(staff, "event", capacity=1, author_organisation_id=str(organiser.id))
    for person in (colleague, guest):
        done = news.client.post(
            f"{API}/announcements/{event['id']}/registrations", headers=make.headers(person)
        )
        assert done.status_code == 201, done.get_json()
    assert news.registration(guest, event["id"]) == "waiting"
    # The factories write people straight to members' tables: its events come from republishing,
    # as they do for a new consumer, and reach announcements through its worker.
    with platform.apps["members"].app_context():
        republish()
    platform.settle()
    return event, organiser_admin, guest


def _csv_rows(response) -> list[list[str]]:
    import csv
    import io

    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_organiser_sees_the_attendees_and_downloads_them(browser, make, news, staff, platform):
    event, organiser_admin, _guest = _attendee_setup(make, news, staff, platform)
    page = f"/announcements/{event['id']}"
    browser.sign_in(organiser_admin.email)
    shown = _text(browser.get(page))
    assert "Attendees" in shown and "1 person registered" in shown and "1 person waiting" in shown
    rows = re.findall(r'<tr class="attendee attendee--(\w+)">(.*?)</tr>', shown, re.S)
    assert [status for status, _cells in rows] == ["registered", "waiting"]
    assert "王小明" in rows[0][1] and "Lérins Connect" in rows[0][1]
    # the waiting guest is of another organisation: named as members last told announcements
    assert "Camille Martin" in rows[1][1] and "南京传感器有限公司" in rows[1][1]
    assert f'href="{page}/attendees.csv"' in shown

    download = browser.get(f"{page}/attendees.csv")
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert download.headers["Content-Disposition"] == (
        'attachment; filename="a-event-title-attendees.csv"'
    )
    header, first, second = _csv_rows(download)
    assert header[:4] == ["Full name", "Organisation", "Chinese name of the organisation", "Status"]
    assert header[4] == "Requested at (Europe/Paris)"
    assert first[:4] == ["王小明", "Lérins Connect", "", "Registered"]
    assert second[:4] == ["Camille Martin", "Nanjing Sensors", "南京传感器有限公司", "Waiting list"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", first[4])


def test_staff_see_every_attendees_name(browser, make, news, staff, platform):
    event, _organiser_admin, _guest = _attendee_setup(make, news, staff, platform)
    browser.sign_in(staff.email)
    rows = _csv_rows(browser.get(f"/announcements/{event['id']}/attendees.csv"))
    assert [row[0] for row in rows[1:]] == ["王小明", "Camille Martin"]


def test_an_attendee_who_does_not_organise_sees_no_list_and_no_download(
    browser, make, news, staff, platform
):
    event, _organiser_admin, guest = _attendee_setup(make, news, staff, platform)
    page = f"/announcements/{event['id']}"
    download = f"{page}/attendees.csv"
    assert browser.get(download).status_code == 302  # anonymous: sign in first
    browser.sign_in(guest.email)
    shown = _text(browser.get(page))
    assert "You are on the waiting list" in shown
    assert "Attendees" not in shown and "attendees.csv" not in shown and "王小明" not in shown
    assert browser.get(download).status_code == 403
    other_admin = browser.__class__(browser.client.application.test_client())
    other_admin.sign_in(make.admin(make.organisation()).email)
    assert "attendees.csv" not in _text(other_admin.get(page))
    assert other_admin.get(download).status_code == 403


def test_a_spreadsheet_formula_in_a_name_is_written_as_text(app):
    from services.portal.views.announcements.registrations import attendees_csv

    row = {"organisation": "=HYPERLINK(1)", "organisation_zh": "", "requested_at": None}
    with app.test_request_context():
        text = attendees_csv({"rows": [{**row, "name": "@SUM(A1)", "status": "registered"}]})
    assert "'@SUM(A1)" in text and "'=HYPERLINK(1)" in text


# --- Calendar files and feeds ---


def test_the_ics_download_is_a_calendar_with_the_event(browser, news, staff):
    event = news.create(staff, "event", title={"en": "Winter forum: AI & mobility"})
    response = browser.get(f"/announcements/{event['id']}/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="winter-forum-ai-mobility.ics"'
    )
    calendar = icalendar.Calendar.from_ical(response.get_data())
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Winter forum: AI & mobility"
    start = vevent.decoded("DTSTART")
    assert (start.isoformat(), str(start.tzinfo)) == ("2027-01-15T18:00:00+01:00", "Europe/Paris")
    assert "Business Pôle" in str(vevent["LOCATION"])


def test_a_members_only_event_downloads_too_but_not_for_anonymous_readers(
    browser, make, news, staff
):
    event = news.create(
        staff, "event", title={"en": "Closed workshop"}, audience={"scope": "members"}
    )
    assert browser.get(f"/announcements/{event['id']}/calendar.ics").status_code == 404
    browser.sign_in(make.user(make.organisation()).email)
    response = browser.get(f"/announcements/{event['id']}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    (vevent,) = icalendar.Calendar.from_ical(response.get_data()).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Closed workshop"
    assert vevent.decoded("DTSTART").isoformat() == "2027-01-15T18:00:00+01:00"


def test_the_feeds_are_served_in_the_readers_language(browser, news, staff):
    news.create(staff, "news", title={"en": "Forum opens", "fr": "Le forum ouvre"})
    rss = browser.get("/announcements/feeds/fr.rss")
    assert rss.status_code == 200 and rss.mimetype == "application/rss+xml"
    assert "Le forum ouvre" in _text(rss)
    again = browser.get(
        "/announcements/feeds/fr.rss", headers={"If-None-Match": rss.headers["ETag"]}
    )
    assert again.status_code == 304
    atom = browser.get("/announcements/feeds/en.atom")
    assert atom.mimetype == "application/atom+xml" and "Forum opens" in _text(atom)
    assert browser.get("/announcements/events.ics").mimetype == "text/calendar"
    assert browser.get("/announcements/feeds/de.rss").status_code == 404


# --- Writing and permissions ---


def test_news_form_errors_are_shown_next_to_the_fields(browser, make):
    org = make.organisation()
    browser.sign_in(make.admin(org).email)
    page = _text(
        browser.submit(
            "/announcements/new/news",
            _news_form(title_en="", tags=",".join(f"t{n}" for n in range(21))),
        )
    )
    assert "Give a title in at least one language." in _error_of(page, "title_en")
    assert "at most 20 tags" in _error_of(page, "tags")


def test_event_form_errors_local_and_from_the_api(browser, staff, news, make):
    browser.sign_in(staff.email)
    local = _text(
        browser.submit(
            "/announcements/new/event",
            _event_form(starts_at="", place="", ends_at="2027-03-10T08:00", capacity="0"),
        )
    )
    assert "Give the date and time the event starts." in _error_of(local, "starts_at")
    assert "Give a place, an online link, or both." in _error_of(local, "place")
    assert "from 1 to 100,000" in _error_of(local, "capacity")
    backwards = _text(
        browser.submit("/announcements/new/event", _event_form(ends_at="2027-03-09T08:00"))
    )
    assert "cannot end before it starts" in _error_of(backwards, "ends_at")
    # The portal accepts any scheme; the API takes http and https only, and says so.
    remote = _text(
        browser.submit(
            "/announcements/new/event", _event_form(online_url="ftp://files.example.org/x")
        )
    )
    assert "https://" in _error_of(remote, "online_url")
    listing = news.client.get(f"{API}/announcements/mine", headers=make.headers(staff)).get_json()
    assert listing["items"] == []


def test_staff_create_an_event_and_schedule_it(browser, staff, news, make):
    browser.sign_in(staff.email)
    created = browser.submit("/announcements/new/event", _event_form(capacity="2"))
    assert created.status_code == 302, _text(created)
    page = created.headers["Location"]
    announcement_id = page.rsplit("/", 1)[-1]
    item = news.read(staff, announcement_id)
    assert (item["status"], item["starts_at_local"], item["capacity"]) == (
        "draft",
        "2027-03-10T09:30:00+01:00",
        2,
    )
    assert item["tags"] == ["lab", "sensors"]
    form = _text(browser.get(f"{page}/edit"))
    assert 'value="2027-03-10T09:30"' in form and 'value="Nanjing, Jiangning"' in form
    edited = browser.submit(
        f"{page}/edit", _event_form(capacity="2", place="Nanjing", starts_at="2027-03-10T10:00")
    )
    assert edited.status_code == 302, _text(edited)
    item = news.read(staff, announcement_id)
    assert (item["place"], item["starts_at"]) == ("Nanjing", "2027-03-10T09:00:00+00:00")
    # staff's profile is in Europe/Paris: 10:00 there is 09:00 UTC
    browser.submit(f"{page}/publish", {"publish_at": "2027-02-01T10:00"}, page=page)
    item = news.read(staff, announcement_id)
    assert item["status"] == "scheduled"
    assert item["publish_at"].startswith("2027-02-01T09:00:00")
    assert "Scheduled" in _text(browser.get(page))


def test_staff_write_a_call_for_selected_organisations(browser, staff, news):
    browser.sign_in(staff.email)
    data = _news_form(title_en="Call for Jiangning start-ups", audience_scope="selected")
    refused = _text(browser.submit("/announcements/new/call", data))
    assert "Choose at least one country" in _error_of(refused, "audience_scope")
    created = browser.submit(
        "/announcements/new/call",
        {**data, "audience_parks": ["jiangning"], "audience_countries": ["CN"]},
    )
    assert created.status_code == 302, _text(created)
    item = news.read(staff, created.headers["Location"].rsplit("/", 1)[-1])
    assert item["kind"] == "call" and item["author_organisation_id"] is None
    audience = item["audience"]
    assert (audience["scope"], audience["parks"], audience["countries"]) == (
        "selected",
        ["jiangning"],
        ["CN"],
    )


def test_org_admin_writes_news_submits_it_and_sees_the_rejection_then_approval(
    browser, make, news, staff
):
    org = make.organisation(name="Valbonne Sensors")
    admin = make.admin(org)
    browser.sign_in(admin.email)
    created = browser.submit("/announcements/new/news", _news_form())
    assert created.status_code == 302, _text(created)
    page = created.headers["Location"]
    announcement_id = page.rsplit("/", 1)[-1]
    assert "Submit for approval" in _text(browser.get(page))
    browser.submit(f"{page}/publish", {}, page=page)
    assert news.read(staff, announcement_id)["status"] == "pending"
    assert "Awaiting approval" in _text(browser.get("/announcements/mine"))

    moderator = browser.__class__(browser.client.application.test_client())
    moderator.sign_in(staff.email)
    queue = _text(moderator.get("/announcements/moderation"))
    assert "Our new laboratory opens" in queue and "Valbonne Sensors" in queue
    review = f"/announcements/{announcement_id}/review"
    empty = _text(moderator.submit(review, {"action": "reject", "reject-reason": ""}))
    assert "This field is required." in _error_of(empty, "reject-reason")
    sent_back = moderator.submit(
        review, {"action": "reject", "reject-reason": "Add the opening date, please."}
    )
    assert sent_back.status_code == 302
    item = news.read(staff, announcement_id)
    assert (item["status"], item["moderation_reason"]) == (
        "rejected",
        "Add the opening date, please.",
    )
    assert "Add the opening date, please." in _text(browser.get("/announcements/mine"))

    edited = browser.submit(f"{page}/edit", _news_form(body_en="Opening on 3 May."))
    assert edited.status_code == 302
    browser.submit(f"{page}/publish", {}, page=page)
    approved = moderator.submit(review, {"action": "approve"})
    assert approved.status_code == 302
    assert news.read(staff, announcement_id)["status"] == "published"
    assert "No news is waiting for approval." in _text(moderator.get("/announcements/moderation"))
    public = browser.__class__(browser.client.application.test_client())
    assert "Our new laboratory opens" in _text(public.get("/announcements"))
    assert "Opening on 3 May." in _text(public.get(page))


def test_members_are_refused_the_staff_and_writing_pages(browser, make, news, staff):
    item = news.create(staff, "news")
    browser.sign_in(make.user(make.organisation()).email)
    for path in (
        "/announcements/moderation",
        "/announcements/new/event",
        "/announcements/new/call",
        "/announcements/new/news",
        "/announcements/mine",
        f"/announcements/{item['id']}/review",
        f"/announcements/{item['id']}/edit",
    ):
        assert browser.get(path).status_code == 403, path
    page = _text(browser.get(f"/announcements/{item['id']}"))
    assert "Withdraw" not in page and "/edit" not in page


def test_org_admins_are_refused_the_staff_pages(browser, make):
    browser.sign_in(make.admin(make.organisation()).email)
    for path in (
        "/announcements/moderation",
        "/announcements/new/event",
        "/announcements/new/call",
    ):
        assert browser.get(path).status_code == 403, path
    assert browser.get("/announcements/new/news").status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(browser):
    response = browser.get("/announcements/new/news")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=/announcements/new/news"


def test_an_org_admin_cannot_change_another_organisations_news(browser, make, news, staff):
    mine, theirs = make.organisation(), make.organisation()
    their_admin = make.admin(theirs)
    draft = news.create(
        their_admin,
        "news",
        publish=False,
        author_organisation_id=str(theirs.id),
        title={"en": "Their draft"},
    )
    published = news.create(
        staff, "news", author_organisation_id=str(theirs.id), title={"en": "Their news"}
    )
    browser.sign_in(make.admin(mine).email)
    assert browser.get(f"/announcements/{draft['id']}/edit").status_code == 404
    assert browser.get(f"/announcements/{published['id']}/edit").status_code == 403
    from tests.portal.support import csrf_token

    csrf = csrf_token(_text(browser.get("/announcements/new/news")))
    for target in (draft, published):
        base = f"/announcements/{target['id']}"
        changed = browser.client.post(
            f"{base}/edit", data={"csrf_token": csrf, **_news_form(title_en="Hijacked")}
        )
        assert changed.status_code in (403, 404)
        browser.client.post(f"{base}/publish", data={"csrf_token": csrf})
        browser.client.post(f"{base}/withdraw", data={"csrf_token": csrf, "confirmed": "yes"})
    assert news.read(their_admin, draft["id"])["title"] == {"en": "Their draft"}
    assert news.read(their_admin, draft["id"])["status"] == "draft"
    after = news.read(staff, published["id"])
    assert (after["title"], after["status"]) == ({"en": "Their news"}, "published")


# --- Helpers for the home page and dashboard ---


def test_helpers_give_latest_news_upcoming_events_and_open_calls(app, news, staff):
    from services.portal import panels as pages

    news.create(staff, "news", title={"en": "Fresh news"})
    news.create(staff, "call", title={"en": "Call for start-ups"})
    later = news.create(
        staff, "event", title={"en": "Later"}, starts_at="2027-06-01T10:00:00", ends_at=None
    )
    sooner = news.create(
        staff, "event", title={"en": "Sooner"}, starts_at="2027-02-01T10:00:00", ends_at=None
    )
    with app.test_request_context("/"):
        assert [i["title"]["en"] for i in pages.latest_news(3)] == ["Fresh news"]
        assert [i["title"]["en"] for i in pages.open_calls(3)] == ["Call for start-ups"]
        assert [i["id"] for i in pages.upcoming_events(5)] == [sooner["id"], later["id"]]


def test_helpers_give_nothing_while_the_api_is_down(app):
    from services.portal import panels as pages

    app.config["PORTAL_API_URL"], saved = "http://127.0.0.1:9", app.config["PORTAL_API_URL"]
    try:
        with app.test_request_context("/"):
            assert pages.latest_news(3) == [] and pages.upcoming_events(3) == []
    finally:
        app.config["PORTAL_API_URL"] = saved


def test_withdrawing_an_announcement_asks_first_and_keeps_the_reason(browser, make, news, staff):
    published = news.create(staff, "news", title={"en": "Park open day"})
    browser.sign_in(staff.email)
    page = f"/announcements/{published['id']}"
    asked = browser.submit(f"{page}/withdraw", {"reason": "Postponed."}, page=page)
    assert asked.status_code == 200 and "Withdraw this announcement?" in _text(asked)
    assert 'name="reason" value="Postponed."' in _text(asked)
    assert news.read(staff, published["id"])["status"] == "published"
    done = browser.submit(
        f"{page}/withdraw", {"reason": "Postponed.", "confirmed": "yes"}, page=page
    )
    assert done.status_code == 302
    after = news.read(staff, published["id"])
    assert (after["status"], after["moderation_reason"]) == ("withdrawn", "Postponed.")
