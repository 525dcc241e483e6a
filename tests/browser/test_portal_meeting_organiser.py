"""In Chromium: staff set up one-to-one meetings on an event in French and run the scheduler (a
real announcements worker); a French company and a Nanjing lab agree on a meeting outside
events, one reading in French, the other in Chinese, and both get its .ics."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from playwright.sync_api import expect

from tests.members.factories import PASSWORD
from tests.portal.conftest import KnownEverywhere
from tests.portal.test_meeting_organiser_pages import Brokerage

DAY = "2027-01-15"  # winter: Paris UTC+1, Shanghai UTC+8


def _sign_in(page, base, email):
    page.goto(f"{base}/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()


def _paris(delta: timedelta) -> str:
    moment = datetime.now(UTC).astimezone(ZoneInfo("Europe/Paris")) + delta
    return moment.strftime("%Y-%m-%dT%H:%M")


def test_french_staff_set_up_meetings_and_run_the_scheduler(
    chromium, portal_url, members_app, platform, artifacts
):
    with members_app.app_context():
        make = KnownEverywhere(members_app, platform)
        staff = make.platform_admin(full_name="Équipe plateforme", language="fr")
        brokerage = Brokerage(platform, make, staff)
        _set_up_and_run(chromium, portal_url, brokerage, staff, artifacts)


def _set_up_and_run(chromium, portal_url, brokerage, staff, artifacts):
    context = chromium.new_context(locale="en-GB")  # the profile sets French
    page = context.new_page()
    _sign_in(page, portal_url, staff.email)
    page.goto(f"{portal_url}/announcements/{brokerage.event['id']}")
    page.get_by_role("link", name=re.compile("Rendez-vous individuels")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rendez-vous individuels")

    form = page.get_by_role("main")
    form.locator("#sessions-0-name").fill("Matinée à Nanjing")
    form.locator("#sessions-0-starts_at").fill(f"{DAY}T09:00")
    form.locator("#sessions-0-ends_at").fill(f"{DAY}T08:00")  # a slip: it ends before it starts
    form.locator("#sessions-1-starts_at").fill(f"{DAY}T14:00")
    form.locator("#sessions-1-ends_at").fill(f"{DAY}T15:00")
    form.locator("#sessions-1-in_person").select_option("no")
    form.get_by_label("Durée d'un rendez-vous").select_option("20")
    form.get_by_label("Tables pour les rendez-vous en présentiel").fill("2")
    form.get_by_label("Des rendez-vous en ligne sont proposés").check()
    form.get_by_label("Ouverture des réservations").fill(_paris(-timedelta(days=1)))
    form.get_by_label("Clôture des réservations").fill(_paris(timedelta(days=20)))
    form.get_by_label("Nombre maximal de rendez-vous par participant").fill("5")
    form.get_by_label("L'organisateur lance la planification").check()
    form.get_by_role("button", name="Activer les rendez-vous").click()
    expect(page.locator("#sessions-0-ends_at-error")).to_contain_text(
        "La session se termine après son début."
    )
    assert brokerage.settings() is None
    page.locator("#sessions-0-ends_at").fill(f"{DAY}T10:00")
    page.get_by_role("button", name="Activer les rendez-vous").click()
    expect(page.get_by_text("Les rendez-vous individuels sont activés.")).to_be_visible()
    assert len(brokerage.settings()["sessions"]) == 2

    a = brokerage.join("Valbonne Robotique")
    b = brokerage.join("Jiangning Sensors Lab", park="jiangning", country="CN")
    c = brokerage.join("Antibes Optique")
    night = brokerage.join(
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
    brokerage.meet(c, night, online=True)

    page.reload()
    page.get_by_role("button", name="Lancer la planification").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Planification")
    # The page reloads by itself (a Refresh header, no script) until the worker is done.
    expect(page.locator(".run-status")).to_contain_text("Terminée", timeout=60_000)
    expect(page.locator(".run-scheduled")).to_have_text("1")
    expect(page.locator(".run-left-out")).to_contain_text(
        "Leurs heures de travail ne se recouvrent jamais"
    )
    expect(page.locator(".run-gap")).to_contain_text("%")
    grid = page.locator(".schedule-grid").first
    expect(grid).to_contain_text("Valbonne Robotique — Jiangning Sensors Lab")
    expect(grid.get_by_role("columnheader", name="Table 2")).to_be_visible()
    page.screenshot(path=str(artifacts / "portal-meeting-run-fr.png"), full_page=True)
    context.close()


def test_a_french_company_and_a_nanjing_lab_agree_on_a_meeting(
    chromium, portal_url, members_app, platform, artifacts
):
    with members_app.app_context():
        make = KnownEverywhere(members_app, platform)
        french = make.organisation(name="Valbonne Capteurs", park="sophia_antipolis")
        lab = make.organisation(
            name="Nanjing IoT Lab", name_zh="南京物联网实验室", park="jiangning", country="CN"
        )
        claire = make.user(french, language="fr", timezone="Europe/Paris")
        li = make.user(lab, language="zh", timezone="Asia/Shanghai")

    day = (datetime.now(UTC) + timedelta(days=10)).date()
    first = datetime(day.year, day.month, day.day, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
    second = first + timedelta(days=1, hours=1)

    asker_context = chromium.new_context(locale="en-GB")  # the profile sets French
    asker = asker_context.new_page()
    _sign_in(asker, portal_url, claire.email)
    asker.goto(f"{portal_url}/organisations/{lab.id}")
    asker.get_by_role("link", name="Demander un rendez-vous").click()
    form = asker.get_by_role("main")
    form.get_by_label("Votre message").fill("Nous cherchons un laboratoire pour nos capteurs.")
    form.get_by_label("Premier horaire proposé").fill(first.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("Deuxième horaire proposé").fill(second.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_role("button", name="Envoyer la demande").click()
    expect(asker.get_by_text("Votre demande est envoyée à Nanjing IoT Lab.")).to_be_visible()
    expect(asker.get_by_text("En attente de réponse")).to_be_visible()
    platform.settle()

    reader_context = chromium.new_context(locale="en-GB", accept_downloads=True)
    reader = reader_context.new_page()
    _sign_in(reader, portal_url, li.email)
    reader.goto(f"{portal_url}/contacts")
    expect(reader.get_by_role("heading", level=1)).to_have_text("联络")
    reader.get_by_role("region", name="已收到").get_by_role(
        "link", name="Valbonne Capteurs"
    ).click()
    expect(reader.get_by_text("Nous cherchons un laboratoire pour nos capteurs.")).to_be_visible()
    # 10:00 in Paris the next day is 17:00 in Nanjing: both zones are shown
    times = reader.locator(".proposed-times")
    expect(times).to_contain_text("Asia/Shanghai")
    expect(times).to_contain_text("Europe/Paris")
    reader.locator("#time-2").check()
    reader.get_by_role("button", name="接受", exact=True).click()
    expect(reader.locator(".contact-status")).to_have_text("已接受")
    reader.screenshot(path=str(artifacts / "portal-contact-zh.png"), full_page=True)
    with reader.expect_download() as download:
        reader.get_by_role("link", name=re.compile(r"\.ics")).click()
    calendar = icalendar.Calendar.from_ical(download.value.path().read_bytes())
    event = next(iter(calendar.walk("VEVENT")))
    assert event.decoded("dtstart") == second

    asker.reload()
    expect(asker.locator(".contact-status")).to_have_text("Acceptée")
    asker_context.close()
    reader_context.close()
