"""In Chromium: a pending organisation is told what it can do meanwhile (in French); staff see
how many registrations wait, who registered, and reject in one wording (in Chinese)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.test_portal_words import _sign_in


def _people(members_app):
    """A pending French organisation's admin and a Chinese-reading platform admin."""
    from tests.members.factories import Factories

    with members_app.app_context():
        make = Factories(members_app)
        _org, admin = make.registered(
            status="pending",
            name="Menton Citrus Lab",
            admin={"language": "fr", "full_name": "Amélie Roux"},
        )
        staff = make.user(None, is_platform_admin=True, language="zh", full_name="Wang Fang")
        return admin.email, staff.email


def test_the_verification_loop_in_french_and_chinese(
    chromium, portal_url, members_app, platform, artifacts
):
    admin_email, staff_email = _people(members_app)
    platform.settle()

    context = chromium.new_context(locale="fr-FR")
    page = context.new_page()
    _sign_in(page, portal_url, admin_email)
    banner = page.get_by_role("region", name="Votre organisation attend sa vérification")
    expect(banner).to_be_visible()
    banner.get_by_role("link", name="inviter vos collègues").click()
    expect(page).to_have_url(re.compile(r"/my-organisation/invitations$"))
    page.screenshot(path=str(artifacts / "portal-pending-banner-fr.png"), full_page=True)
    context.close()

    context = chromium.new_context(locale="zh-CN")
    page = context.new_page()
    _sign_in(page, portal_url, staff_email)
    link = page.get_by_role("navigation").get_by_role("link", name=re.compile("^审核"))
    expect(link.locator("[data-pending]")).to_have_attribute("data-pending", "1")
    link.click()
    page.get_by_role("link", name="Menton Citrus Lab").click()
    expect(page.get_by_text("Amélie Roux")).to_be_visible()
    expect(page.get_by_role("link", name=admin_email)).to_have_attribute(
        "href", f"mailto:{admin_email}"
    )
    decision = page.locator("form", has=page.get_by_role("button", name="拒绝该注册申请"))
    expect(decision.get_by_role("heading", name="拒绝该注册申请")).to_be_visible()
    decision.get_by_role("textbox").fill("注册号不存在。")
    decision.get_by_role("button", name="拒绝该注册申请").click()
    expect(page.get_by_text("该注册申请已被拒绝。")).to_be_visible()
    expect(page.get_by_role("navigation").locator("[data-pending]")).to_have_count(0)
    context.close()
