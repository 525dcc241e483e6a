"""In Chromium, at phone width (390x844) and on a desktop (1366 px), in French and Chinese: a
compact header whose menu opens without JavaScript, one language at a time in the forms, a
country picker without Ctrl-click, the webhook delivery log on its own tab with the bodies, and a
dashboard that fills its grid."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_portal_words import _sign_in, _verified_admin
from tests.notifications.support import Sink
from tests.support.waiting import wait_until

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.mark.parametrize(
    ("locale", "language", "javascript", "projects"),
    [("fr-FR", "fr", False, "Projets"), ("zh-CN", "zh", True, "项目")],
)
def test_on_a_phone_the_header_is_compact_and_its_menu_opens_and_navigates(
    chromium, portal_url, members_app, platform, locale, language, javascript, projects
):
    email = _verified_admin(members_app, language)
    platform.settle()
    context = chromium.new_context(locale=locale, viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    _sign_in(page, portal_url, email)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] < 120  # was about 280 of 844 px
    expect(page.locator(".language-switcher")).to_be_visible()  # languages stay in sight
    # The verification's notification is unread: the closed menu's button says so.
    expect(page.locator(".site-menu__button .badge--count")).to_have_text(re.compile(r"^1\b"))
    nav = page.locator(".main-nav")
    expect(nav).to_be_hidden()
    page.locator(".site-menu__button").click()
    expect(nav).to_be_visible()
    expect(page.locator(".account-bar")).to_be_visible()
    nav.get_by_role("link", name=projects, exact=True).click()
    expect(page).to_have_url(re.compile(r"/projects$"))
    expect(page.locator(".main-nav")).to_be_hidden()  # closed again on the next page
    assert page.locator(".site-header").bounding_box()["height"] < 120
    context.close()


def _panel_of(page, tab_id: str):
    return page.locator(f"#{tab_id}").locator("xpath=..")


def test_the_project_form_shows_one_language_at_a_time_and_sends_all_three_without_javascript(
    chromium, portal_url, members_app, platform
):
    email = _verified_admin(members_app, "fr")
    platform.settle()
    context = chromium.new_context(locale="fr-FR", viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    _sign_in(page, portal_url, email)
    page.goto(f"{portal_url}/projects/new")
    form = page.locator("form.project-form")
    assert form.bounding_box()["height"] < 2900  # was about 4,200 px with nine text areas
    # The reader's language first; the others behind their tabs.
    expect(page.locator("#title_fr")).to_be_visible()
    expect(page.locator("#title_en")).to_be_hidden()
    expect(page.locator("#title_zh")).to_be_hidden()

    # A refusal in a hidden language: its tab is shown and marked.
    page.locator("#kind").select_option("rd_partnership")
    form.locator("button[type=submit]").click()
    expect(page.locator("#title_en-error")).to_be_visible()
    expect(page.locator("label[for=title-tab-en]")).to_have_class(re.compile("invalid"))
    expect(page.locator("#title_fr")).to_be_hidden()

    texts = {
        "en": ("Sensors for olive groves", "Soil probes that talk LoRa."),
        "fr": ("Capteurs pour oliveraies", "Des sondes de sol qui parlent LoRa."),
        "zh": ("橄榄园传感器", "使用LoRa通信的土壤探头。"),
    }
    for code, (title, summary) in texts.items():
        page.locator(f"label[for=title-tab-{code}]").click()
        page.locator(f"#title_{code}").fill(title)
        page.locator(f"label[for=summary-tab-{code}]").click()
        page.locator(f"#summary_{code}").fill(summary)
    expect(page.locator("#title_en")).to_be_hidden()  # one language at a time
    page.locator("input[name=sectors]").first.check()
    page.locator("input[name=visibility]").first.check()

    # Two countries, by clicking: one of the two parks', one in a region opened by a click.
    page.get_by_label("Chine", exact=True).click()
    page.locator(".country-picker__region summary", has_text="Europe").click()
    page.get_by_label("Allemagne", exact=True).click()
    form.locator("button[type=submit]").click()
    expect(page.locator(".notice--success")).to_be_visible()
    project_id = re.search(r"/projects/([0-9a-f-]{36})", page.url).group(1)

    page.goto(f"{portal_url}/projects/{project_id}/edit")
    for code, (title, summary) in texts.items():
        assert page.locator(f"#title_{code}").input_value() == title
        assert page.locator(f"#summary_{code}").input_value() == summary
    chosen = page.locator("input[name=seeks_countries]:checked")
    assert sorted(chosen.evaluate_all("boxes => boxes.map(b => b.value)")) == ["CN", "DE"]
    context.close()


@pytest.fixture
def sink():
    running = Sink(default=(200, {"Content-Type": "application/json"}, b'{"received": true}', 0))
    yield running
    running.stop()


def test_the_delivery_log_has_its_own_tab_with_request_and_response_bodies(
    chromium, portal_url, members_app, platform, sink, artifacts
):
    from tests.members.factories import Factories

    with members_app.app_context():
        make = Factories(members_app)
        org, admin = make.registered(name="Mougins Data", admin={"language": "zh"})
        headers, organisation_id, email = make.headers(admin), org.id, admin.email
    platform.settle()
    client = platform.apps["notifications"].test_client()
    created = client.post(
        f"/api/notifications/v1/organisations/{organisation_id}/webhooks",
        json={"url": sink.url, "description": "CRM"},
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    endpoint_id = created.get_json()["id"]

    context = chromium.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    _sign_in(page, portal_url, email)
    page.goto(f"{portal_url}/my-organisation/integrations/{endpoint_id}")
    expect(page.locator(".deliveries")).to_have_count(0)  # not under the settings any more
    page.get_by_role("main").get_by_role("button", name="发送测试事件").click()
    log_url = f"{portal_url}/my-organisation/integrations/{endpoint_id}/deliveries"
    expect(page).to_have_url(log_url)
    expect(page.locator(".tabs a[aria-current=page]")).to_have_attribute(
        "href", re.compile("/deliveries$")
    )
    wait_until(lambda: len(sink.requests) == 1, timeout=20)
    sent = json.loads(sink.requests[0]["body"])

    def answered() -> bool:
        page.reload()
        return page.locator(".attempt--ok").count() == 1

    wait_until(answered, timeout=20)
    request_body = page.locator(".delivery__request pre")
    expect(request_body).to_be_visible()
    assert json.loads(request_body.inner_text()) == sent
    response_body = page.locator(".delivery__response pre")
    expect(response_body).to_be_visible()
    assert response_body.inner_text() == '{"received": true}'
    expect(page.locator(".attempt__line")).to_contain_text("HTTP 200")
    page.screenshot(path=str(artifacts / "portal-deliveries-phone-zh.png"), full_page=True)
    context.close()


def test_the_dashboard_fills_its_grid_and_french_tabs_stay_on_one_line(
    chromium, portal_url, members_app, platform
):
    from tests.members.factories import Factories

    with members_app.app_context():
        make = Factories(members_app)
        _org, owner, _lab_org, _lab = make.matched_pair(owner_language="fr")
        headers = make.headers(owner)
        email = owner.email
    platform.settle()
    for title in ("Lidar pour bâtiments", "Capteurs de crue", "Jumeau numérique du port"):
        platform.open_project(headers, title={"fr": title})
    platform.settle()

    context = chromium.new_context(locale="fr-FR", viewport=DESKTOP)
    page = context.new_page()
    _sign_in(page, portal_url, email)
    page.goto(f"{portal_url}/dashboard")
    expect(page.locator(".site-menu__button")).to_be_hidden()  # no phone menu on a desktop
    grid = page.locator(".dashboard").bounding_box()
    panels = [p.bounding_box() for p in page.locator(".dashboard__panel").all()]
    assert len(panels) >= 4
    assert len({round(p["x"]) for p in panels}) == 3  # three columns at 1,366 px
    gap = 1.5 * 16 + 2
    for panel in panels:  # nothing but the grid's top or another panel just above each panel
        above = [
            other["y"] + other["height"]
            for other in panels
            if abs(other["x"] - panel["x"]) < 1 and other["y"] < panel["y"]
        ]
        hole = panel["y"] - (max(above) if above else grid["y"])
        assert hole <= gap, (panel, above)

    for path in ("/dashboard", "/projects", "/projects/new"):  # French words on one line
        page.goto(f"{portal_url}{path}")
        assert page.locator(".site-header").bounding_box()["height"] < 110, path
        for links in (".main-nav li", ".tabs li"):
            tops = {round(b["y"]) for b in (li.bounding_box() for li in page.locator(links).all())}
            assert len(tops) <= 1, (path, links, tops)
    context.close()
