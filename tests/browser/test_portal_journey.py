"""In Chromium: an organisation registers, staff verify it, the directory lists it; en, fr, zh."""

from __future__ import annotations

import re

from playwright.sync_api import expect

STAFF_EMAIL = "admin@sino-sophipolitan.example"
STAFF_PASSWORD = "Antipolis-Jiangning-2021"


def _seed_platform_admin(members_app) -> None:
    """A platform admin made through members' domain, as its demo data does."""
    from services.members.domain import accounts
    from services.members.models import db

    with members_app.app_context(), db.transaction() as session:
        user = accounts.new_user(
            session, email=STAFF_EMAIL, password=STAFF_PASSWORD, full_name="Platform Staff"
        )
        user.is_platform_admin = True


def _sign_in(page, base, email, password):
    page.goto(f"{base}/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()


def _switch(page, language_name):
    page.get_by_role("banner").get_by_role("button", name=language_name).click()


def test_registration_verification_and_directory_in_three_languages(
    chromium, portal_url, members_app, artifacts
):
    _seed_platform_admin(members_app)
    context = chromium.new_context(locale="en-GB")
    page = context.new_page()

    # An organisation registers; a wrong registration number is explained next to its field.
    page.goto(f"{portal_url}/register")
    form = page.get_by_role("main")
    form.get_by_label("Name of the organisation", exact=True).fill("Antibes Photonics")
    form.get_by_label("Country", exact=True).select_option("FR")
    form.get_by_label("Registration number", exact=True).fill("123456789")
    form.get_by_label("City", exact=True).fill("Antibes")
    form.get_by_label("Park", exact=True).select_option("sophia_antipolis")
    form.get_by_label("Kind of organisation", exact=True).select_option("company")
    form.get_by_label("Microelectronics").check()
    form.get_by_label("Telecommunications").check()
    form.get_by_label("Website", exact=True).fill("https://antibes-photonics.example")
    form.get_by_label("Description", exact=True).fill("Lasers for optical networks.")
    form.get_by_label("Your full name").fill("Claire Dubois")
    form.get_by_label("Your e-mail address").fill("claire@antibes-photonics.example")
    form.get_by_label("Choose a password").fill("a long enough password")
    form.get_by_label("The password again").fill("a long enough password")
    form.get_by_role("button", name="Register").click()
    expect(page.locator("#registration_number-error")).to_be_visible()
    expect(page.get_by_label("Registration number", exact=True)).to_have_attribute(
        "aria-invalid", "true"
    )
    page.locator("#registration_number").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "portal-register-error.png"))
    # Passwords are never sent back; the rest of the form is kept.
    expect(page.get_by_label("Name of the organisation", exact=True)).to_have_value(
        "Antibes Photonics"
    )
    page.get_by_label("Registration number", exact=True).fill("732829320")
    page.get_by_label("Choose a password").fill("a long enough password")
    page.get_by_label("The password again").fill("a long enough password")
    page.get_by_role("main").get_by_role("button", name="Register").click()
    expect(page).to_have_url(re.compile(r"/my-organisation$"))
    expect(page.get_by_text("waiting for verification", exact=False).first).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # Not in the directory yet.
    page.goto(f"{portal_url}/directory?q=Antibes")
    expect(page.get_by_text("No organisation matches these terms.")).to_be_visible()

    # Platform staff sign in and verify it.
    _sign_in(page, portal_url, STAFF_EMAIL, STAFF_PASSWORD)
    page.get_by_role("link", name="Verification").click()
    page.get_by_role("link", name="Antibes Photonics").click()
    page.get_by_label("Reason", exact=True).first.fill("SIREN checked.")
    page.get_by_role("button", name="Verify the organisation").click()
    expect(page.get_by_text("The organisation is verified.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # Anyone now finds it in the directory, filtered by park and sector.
    page.goto(f"{portal_url}/directory")
    page.get_by_label("Search", exact=True).fill("photonics")
    page.get_by_label("Park", exact=True).select_option("sophia_antipolis")
    page.get_by_label("Sector", exact=True).select_option("microelectronics")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Antibes Photonics").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Antibes Photonics")
    expect(page.get_by_text("Lasers for optical networks.")).to_be_visible()
    page.screenshot(path=str(artifacts / "portal-organisation.png"), full_page=True)

    # The same key pages in Chinese, then in French, through the switcher.
    _switch(page, "中文")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_text("微电子").first).to_be_visible()
    page.goto(f"{portal_url}/directory")
    expect(page.get_by_role("heading", level=1)).to_have_text("经认证机构名录")
    expect(page.get_by_role("link", name="Antibes Photonics")).to_be_visible()
    page.goto(f"{portal_url}/register")
    expect(page.get_by_role("heading", level=1)).to_have_text("注册您的机构")
    _switch(page, "Français")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscrire votre organisation")
    page.goto(f"{portal_url}/directory")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Annuaire des organisations vérifiées"
    )
    page.goto(portal_url)
    expect(page.get_by_role("heading", level=2, name="Les deux parcs")).to_be_visible()
    context.close()


def test_home_page_fits_a_phone_screen(chromium, portal_url, members_app, artifacts):
    from services.members.demo import seed_demo

    with members_app.app_context():
        seed_demo()  # the parks' demo organisations, through members' domain
    context = chromium.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    page = context.new_page()
    page.goto(portal_url)
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_text("南京方山智能出行科技有限公司")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the home page is {overflow}px wider than a phone"
    page.screenshot(path=str(artifacts / "portal-home-phone-zh.png"), full_page=True)
    assert (artifacts / "portal-home-phone-zh.png").stat().st_size > 10_000
    _switch(page, "English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.screenshot(path=str(artifacts / "portal-home-phone-en.png"), full_page=True)
    # The keyboard reaches the content first: the skip link.
    page.goto(portal_url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    context.close()
