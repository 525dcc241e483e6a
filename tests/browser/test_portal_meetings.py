"""In Chromium: a French SME (reading in French) and a Nanjing lab (reading in Chinese) meet
through the portal at a brokerage event: both register and take part, the SME finds the lab by a
filter and requests a meeting, the lab accepts into a slot, both read the meeting on their agenda
in the event's zone and their own, download its .ics, and the agenda fits a phone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import icalendar
from playwright.sync_api import expect

from tests.members.factories import PASSWORD

API = "/api/announcements/v1"
DAY = "2027-03-29"  # a Monday just after Paris went to summer time: Shanghai is 6 hours ahead


def _seed(members_app, platform) -> dict:
    """Staff, the French SME and the Nanjing lab (verified, through members' domain), and a
    published event in Paris with B2B meetings where participants pick their slots."""
    from tests.members.factories import Factories

    with members_app.app_context():
        make = Factories(members_app)
        staff = make.platform_admin(full_name="Platform Staff")
        _sme_org, sme = make.registered(
            name="Lérins Photonics",
            sectors=["iot"],
            admin={"language": "fr", "timezone": "Europe/Paris", "full_name": "Claire Dubois"},
        )
        _lab_org, lab = make.registered(
            name="Nanjing Optoelectronics Lab",
            name_zh="南京光电实验室",
            country="CN",
            park="jiangning",
            city="Nanjing",
            kind="research_lab",
            sectors=["iot", "microelectronics"],
            registration_number=make.uscc(),
            admin={"language": "zh", "timezone": "Asia/Shanghai", "full_name": "Li Wei"},
        )
        staff_headers = make.headers(staff)
    platform.settle()
    client = platform.apps["announcements"].test_client()
    created = client.post(
        f"{API}/announcements",
        json={
            "kind": "event",
            "title": {
                "en": "China-France Innovation Forum — B2B meetings",
                "fr": "Forum d'innovation Chine-France — rendez-vous B2B",
                "zh": "中法创新论坛 — B2B 洽谈",
            },
            "summary": {"en": "One-to-one meetings."},
            "starts_at": f"{DAY}T09:00:00",
            "ends_at": f"{DAY}T18:00:00",
            "timezone": "Europe/Paris",
            "place": "Sophia Antipolis",
            "audience": {"scope": "members"},
        },
        headers=staff_headers,
    )
    assert created.status_code == 201, created.get_json()
    event_id = created.get_json()["id"]
    published = client.post(
        f"{API}/announcements/{event_id}/publish", json={}, headers=staff_headers
    )
    assert published.status_code == 200, published.get_json()
    now = datetime.now(UTC).replace(microsecond=0)
    matchmaking = client.put(
        f"{API}/announcements/{event_id}/matchmaking",
        json={
            "sessions": [
                {
                    "name": {"en": "Morning tables", "fr": "Tables du matin", "zh": "上午洽谈"},
                    "starts_at": f"{DAY}T09:00:00",
                    "ends_at": f"{DAY}T10:00:00",
                    "in_person": True,
                }
            ],
            "meeting_minutes": 30,
            "tables": 4,
            "online": True,
            "booking_opens_at": (now - timedelta(days=1)).isoformat(),
            "booking_closes_at": (now + timedelta(days=60)).isoformat(),
            "max_meetings": 5,
            "mode": "participants",
        },
        headers=staff_headers,
    )
    assert matchmaking.status_code == 200, matchmaking.get_json()
    return {"event_id": event_id, "sme": sme.email, "lab": lab.email}


def _sign_in(page, base, email, label_email, label_password, button):
    page.goto(f"{base}/sign-in")
    page.get_by_label(label_email).fill(email)
    page.get_by_label(label_password, exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=button).click()


def _take_part(page, register_button, take_part_link, fill, submit, done):
    """Register for the event from its page, then publish a participation profile."""
    page.get_by_role("button", name=register_button).click()
    page.get_by_role("link", name=take_part_link).click()
    fill(page)
    page.get_by_role("button", name=submit, exact=True).click()
    expect(page.get_by_text(done)).to_be_visible()
    expect(page.locator(".meeting-calendar-url code")).to_contain_text("/meeting-calendars/")


def _no_overflow(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_a_french_sme_and_a_nanjing_lab_meet_through_the_portal(
    chromium, portal_url, members_app, platform, artifacts
):
    seeded = _seed(members_app, platform)
    event_url = f"{portal_url}/announcements/{seeded['event_id']}"

    # Claire, of the French SME, reads in French: she registers and takes part.
    claire_context = chromium.new_context(locale="fr-FR", accept_downloads=True)
    claire = claire_context.new_page()
    _sign_in(claire, portal_url, seeded["sme"], "Adresse e-mail", "Mot de passe", "Se connecter")
    claire.goto(event_url)

    def french_profile(page):
        page.get_by_label("Ce que vous proposez, en français").fill("Capteurs photoniques")
        page.locator("label[for=seeks-tab-en]").click()  # one language at a time, in tabs
        page.get_by_label("Ce que vous cherchez, en anglais").fill("A research lab in Nanjing")
        page.get_by_label("Chine", exact=True).check()
        page.get_by_label("En présentiel", exact=True).check()
        page.get_by_label(re.compile("^Tables du matin")).check()

    _take_part(
        claire,
        "S'inscrire à cet événement",
        "Participer aux rendez-vous B2B",
        french_profile,
        "Participer",
        "Vous participez aux rendez-vous B2B de cet événement.",
    )

    # Li Wei, of the Nanjing lab, reads in Chinese: registers and takes part too.
    li_context = chromium.new_context(locale="zh-CN", accept_downloads=True)
    li = li_context.new_page()
    _sign_in(li, portal_url, seeded["lab"], "电子邮件地址", "密码", "登录")
    li.goto(event_url)

    def chinese_profile(page):
        page.locator("#offers_zh").fill("光子芯片测试")
        page.locator("label[for=offers-tab-en]").click()
        page.locator("#offers_en").fill("Photonic chip testing")
        page.get_by_label("线下", exact=True).check()
        page.get_by_label(re.compile("^上午洽谈")).check()

    _take_part(
        li, "报名参加", "参加 B2B 洽谈", chinese_profile, "参加", "您已参加本活动的 B2B 洽谈。"
    )

    # Claire finds the lab among the participants, by country, and requests a meeting.
    claire.get_by_role("link", name="Trouver qui rencontrer").click()
    suggested = claire.get_by_role("region", name="Suggestions pour vous")
    expect(suggested.get_by_text("un pays que vous recherchez")).to_be_visible()
    claire.get_by_label("Pays", exact=True).select_option("CN")
    claire.get_by_role("button", name="Filtrer").click()
    listed = claire.get_by_role("region", name="Participants")
    expect(listed.get_by_role("heading", name="Nanjing Optoelectronics Lab")).to_be_visible()
    expect(listed.get_by_role("heading", name="Lérins Photonics")).to_have_count(0)
    listed.get_by_role("link", name="Demander un rendez-vous").click()
    claire.get_by_role("button", name="Envoyer la demande").click()
    expect(claire.locator("#reason-error")).to_be_visible()  # the reason is missing
    claire.get_by_label("Pourquoi vous souhaitez vous rencontrer").fill(
        "Nos capteurs ont besoin de vos puces : parlons d'un banc d'essai commun."
    )
    claire.get_by_role("button", name="Envoyer la demande").click()
    expect(claire.get_by_text("Votre demande est envoyée.")).to_be_visible()

    # Li Wei reads the request and accepts it into a time both attend.
    platform.settle()
    li.get_by_role("link", name="我的洽谈").first.click()
    received = li.get_by_role("region", name="收到的请求")
    expect(received.get_by_text("parlons d'un banc d'essai commun")).to_be_visible()
    received.get_by_role("link", name="接受").click()
    li.get_by_role("button", name="接受").click()
    expect(li.locator("#slot_id-error")).to_be_visible()  # no time chosen yet
    slot = li.get_by_role("radio").nth(1)  # 09:30 in Paris, 15:30 in Nanjing
    expect(li.locator("label", has_text="15:30")).to_have_count(1)
    slot.check()
    li.get_by_role("button", name="接受").click()
    expect(li.get_by_text("洽谈已接受。")).to_be_visible()

    # Both read it on their agenda, in the event's zone and their own.
    agenda = li.locator("table.meeting-agenda")
    expect(agenda.locator(f'time[datetime="{DAY}T09:30:00+02:00"]')).to_be_visible()
    expect(agenda.locator(f'time[datetime="{DAY}T15:30:00+08:00"]')).to_be_visible()
    expect(agenda.get_by_text("Lérins Photonics").first).to_be_visible()
    li.screenshot(path=str(artifacts / "portal-meetings-agenda-zh.png"), full_page=True)

    claire.get_by_role("link", name="Mon agenda").click()
    mine = claire.locator("table.meeting-agenda")
    expect(mine.locator(f'time[datetime="{DAY}T09:30:00+02:00"]')).to_have_count(2)
    expect(mine.get_by_text("南京光电实验室").first).to_be_visible()
    expect(mine.get_by_text("Table 1")).to_be_visible()

    # The meeting's .ics downloads and parses back.
    with claire.expect_download() as caught:
        claire.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
    calendar = icalendar.Calendar.from_ical(caught.value.path().read_bytes())
    (vevent,) = calendar.walk("VEVENT")
    assert vevent.decoded("dtstart") == datetime(2027, 3, 29, 7, 30, tzinfo=UTC)
    assert vevent.decoded("dtend") == datetime(2027, 3, 29, 8, 0, tzinfo=UTC)
    assert "Nanjing Optoelectronics Lab" in str(vevent.get("summary"))

    # On paper the agenda is left alone: no navigation, no buttons.
    claire.emulate_media(media="print")
    expect(claire.locator(".site-header")).to_be_hidden()
    expect(
        claire.get_by_role("button", name="Obtenir une nouvelle adresse d'agenda")
    ).to_be_hidden()
    expect(mine.locator(f'time[datetime="{DAY}T09:30:00+02:00"]').first).to_be_visible()
    claire.pdf(path=str(artifacts / "portal-meetings-agenda-fr.pdf"))

    # At phone width the agenda's rows become cards that fit the screen.
    li.set_viewport_size({"width": 375, "height": 740})
    li.reload()
    expect(li.locator("table.meeting-agenda td").first).to_be_visible()
    _no_overflow(li)
    header_hidden = li.evaluate(
        "getComputedStyle(document.querySelector('.meeting-agenda thead')).position"
    )
    assert header_hidden == "absolute"
    li.screenshot(path=str(artifacts / "portal-meetings-agenda-phone-zh.png"), full_page=True)
    assert re.search(r"/meetings/agenda$", li.url)
    claire_context.close()
    li_context.close()
