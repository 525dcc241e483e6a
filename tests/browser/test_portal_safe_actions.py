"""In Chromium: creating forms redirect (a reload creates nothing more) and disruptive actions
ask first on a page of their own, without JavaScript; in French, then Chinese."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.test_portal_words import _sign_in, _verified_admin


def test_an_api_client_is_created_once_and_revoked_after_a_confirmation_without_javascript(
    chromium, portal_url, members_app, platform
):
    email = _verified_admin(members_app, "fr")
    platform.settle()
    context = chromium.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    _sign_in(page, portal_url, email)
    page.goto(f"{portal_url}/my-organisation/clients")
    page.locator("#name").fill("CRM")
    page.locator("input[name=scopes][value='projects:read']").check()
    page.get_by_role("main").locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/my-organisation/clients$"))
    expect(page.get_by_text("n'est affiché qu'une fois", exact=False)).to_be_visible()
    page.reload()  # a GET: nothing is posted again, and the secret is gone
    expect(page.get_by_text("n'est affiché qu'une fois", exact=False)).to_have_count(0)
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)

    rows.first.get_by_role("button", name="Révoquer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Révoquer ce client d'API\u202f?")
    page.get_by_role("link", name="Revenir sans rien changer").click()
    expect(page.locator("tbody tr").first.get_by_role("button", name="Révoquer")).to_be_visible()
    page.locator("tbody tr").first.get_by_role("button", name="Révoquer").click()
    page.get_by_role("button", name="Révoquer le client").click()
    expect(page.get_by_text("Révoqué", exact=True)).to_be_visible()
    context.close()


def test_the_copy_button_shows_where_the_clipboard_works(
    chromium, portal_url, members_app, platform
):
    email = _verified_admin(members_app, "zh")
    platform.settle()
    context = chromium.new_context(
        locale="zh-CN", permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    _sign_in(page, portal_url, email)
    page.goto(f"{portal_url}/my-organisation/clients")
    page.locator("#name").fill("ERP")
    page.locator("input[name=scopes][value='directory:read']").check()
    page.get_by_role("main").locator("button[type=submit]").click()
    copy = page.locator("[data-copy=created-client-secret]")
    expect(copy).to_be_visible()
    copy.click()
    expect(copy).to_have_text("已复制")
    secret = page.locator("#created-client-secret").inner_text()
    assert page.evaluate("navigator.clipboard.readText()") == secret
    context.close()
