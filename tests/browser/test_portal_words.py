"""In Chromium, in French and Chinese: refusals, event types and scopes in the reader's words.

The APIs answer in English; the portal says what they mean from stable codes and names, so a
French or Chinese reader meets no English sentence the API wrote.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.members.factories import PASSWORD


def _verified_admin(members_app, language: str) -> str:
    from tests.members.factories import Factories

    with members_app.app_context():
        make = Factories(members_app)
        _org, admin = make.registered(name="Grasse Sensors", admin={"language": language})
        return admin.email


def _sign_in(page, base, email):
    page.goto(f"{base}/sign-in")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("main").locator("button[type=submit]").click()


def _register_with_a_wrong_number(page, base) -> str:
    """The registration form filled in, with a SIREN whose check digit is wrong; the error."""
    page.goto(f"{base}/register")
    page.locator("#name").fill("Antibes Photonics")
    page.locator("#country").select_option("FR")
    page.locator("#registration_number").fill("123456789")
    page.locator("#park").select_option("sophia_antipolis")
    page.locator("#kind").select_option("company")
    page.locator("input[name=sectors][value=microelectronics]").check()
    page.locator("#full_name").fill("Claire Dubois")
    page.locator("#email").fill("claire@antibes-photonics.example")
    page.locator("#password").fill("a long enough password")
    page.locator("#password_again").fill("a long enough password")
    page.get_by_role("main").locator("button[type=submit]").click()
    error = page.locator("#registration_number-error")
    expect(error).to_be_visible()
    return error.inner_text()


def test_a_refusal_reads_in_french_and_chinese(chromium, portal_url):
    for locale, expected in (
        ("fr-FR", "Ce numéro d'immatriculation n'est pas valide"),
        ("zh-CN", "该注册号无效"),
    ):
        context = chromium.new_context(locale=locale)
        page = context.new_page()
        said = _register_with_a_wrong_number(page, portal_url)
        assert expected in said
        assert "check digit" not in said and "typing error" not in said  # not the API's English
        context.close()


def test_webhook_event_types_and_api_scopes_read_in_chinese_and_french(
    chromium, portal_url, members_app, platform
):
    email = _verified_admin(members_app, "zh")
    platform.settle()
    context = chromium.new_context(locale="zh-CN")
    page = context.new_page()
    _sign_in(page, portal_url, email)
    page.goto(f"{portal_url}/my-organisation/integrations")
    descriptions = page.locator(".event-types__description")
    expect(descriptions.first).to_be_visible()
    texts = descriptions.all_inner_texts()
    assert "项目已结束草稿状态：项目已开放，合作伙伴征集正在进行。" in texts  # noqa: RUF001
    assert not any("organisation" in t or "project" in t for t in texts)  # no English left
    page.goto(f"{portal_url}/my-organisation/clients")
    expect(page.get_by_text("阅读项目 (projects:read)")).to_be_visible()
    page.get_by_role("banner").get_by_role("button", name="Français").click()
    expect(page.get_by_text("Lire les projets (projects:read)")).to_be_visible()
    page.goto(f"{portal_url}/my-organisation/integrations")
    expect(
        page.get_by_text("Le propriétaire a modifié un projet publié.", exact=True)
    ).to_be_visible()
    context.close()
