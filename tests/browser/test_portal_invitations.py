"""In Chromium: an invitation link is checked on arrival; in French a valid one names the
organisation, the inviter and the address; in English a used one says so, with a sign-in link."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def _invitation(members_app) -> str:
    """A pending invitation of a verified organisation, by a named admin; its link's token."""
    from tests.members.factories import Factories

    with members_app.app_context():
        make = Factories(members_app)
        org, admin = make.registered(name="Mougins Data", admin={"full_name": "Hugo Blanc"})
        _invitation, token = make.invitation(org, admin, email="nina@example.org")
        return token


def test_an_invitation_link_is_checked_on_arrival_in_french_and_english(
    chromium, portal_url, members_app, platform
):
    token = _invitation(members_app)
    platform.settle()
    link = f"{portal_url}/invitations/accept?token={token}"

    context = chromium.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(link)
    main = page.get_by_role("main")
    expect(main.get_by_text("Hugo Blanc vous invite à rejoindre Mougins Data")).to_be_visible()
    expect(main.get_by_text("nina@example.org", exact=False)).to_be_visible()
    page.locator("#full_name").fill("Nina Rossi")
    page.locator("#password").fill("long enough pass")
    page.locator("#password_again").fill("long enough pass")
    main.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))
    hero = page.locator(".hero")
    expect(hero.get_by_role("link", name="Inscrire votre organisation")).to_have_count(0)
    expect(hero.get_by_role("link", name="Ouvrir votre tableau de bord")).to_be_visible()
    context.close()

    context = chromium.new_context(locale="en-GB")
    page = context.new_page()
    response = page.goto(link)
    assert response.status == 410
    expect(page.get_by_role("alert")).to_contain_text("was already used")
    expect(page.locator("#password")).to_have_count(0)  # no form to fill in for nothing
    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    context.close()
