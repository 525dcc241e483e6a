"""In Chromium: an organisation registers, staff verify it, it publishes a project, a Chinese
organisation applies, the first accepts and the applicant reads it in its inbox; en, fr, zh."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.members.factories import PASSWORD

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


def _seed_chinese_lab(members_app):
    """A verified organisation of Jiangning and its admin, through members' domain."""
    from tests.members.factories import Factories

    with members_app.app_context():
        make = Factories(members_app)
        _org, admin = make.registered(
            name="Nanjing Optoelectronics Lab",
            name_zh="南京光电实验室",
            country="CN",
            park="jiangning",
            city="Nanjing",
            kind="research_lab",
            sectors=["microelectronics"],
            registration_number=make.uscc(),
            admin={"language": "en", "timezone": "Asia/Shanghai", "full_name": "Li Wei"},
        )
        return admin.email


def _publish_a_project(page, base) -> str:
    """Claire, signed in, writes a project and opens its call; the project page's URL."""
    page.get_by_role("link", name="Start a project").click()
    form = page.get_by_role("main")
    form.get_by_label("Kind of project", exact=True).select_option("rd_partnership")
    form.get_by_role("button", name="Save as a draft").click()
    expect(page.locator("#title_en-error")).to_be_visible()  # the title is missing
    form.get_by_label("Title in English", exact=True).fill("Photonic chips for 6G links")
    form.get_by_role("group", name="Title", exact=True).get_by_text("中文").click()  # its tab
    form.get_by_label("Title in Chinese", exact=True).fill("面向6G链路的光子芯片")
    form.get_by_label("Summary in English", exact=True).fill("Lasers on silicon for 6G.")
    form.get_by_label("Microelectronics").first.check()
    form.get_by_label("Everyone, even without an account").check()
    form.get_by_label("Deadline of the call for partners").fill("2030-06-30T18:00")
    form.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_text("The project is saved as a draft.")).to_be_visible()
    page.get_by_role("button", name="Publish and open the call for partners").click()
    expect(page.get_by_text("The project is now: Open for partners.")).to_be_visible()
    return page.url


def _apply(chromium, base, email, project_url):
    """The Chinese lab's admin finds the project by a word of its title and applies."""
    context = chromium.new_context(locale="en-GB")
    page = context.new_page()
    _sign_in(page, base, email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    page.get_by_label("Search", exact=True).fill("photonic")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Photonic chips for 6G links").click()
    assert page.url == project_url
    page.get_by_label("Your message to the project's owner").fill(
        "Our lab grows III-V lasers on silicon; we would test them in Nanjing."
    )
    page.get_by_role("button", name="Send the application").click()
    expect(page.get_by_text("Your application is sent.")).to_be_visible()
    return context, page


def test_registration_verification_and_a_project_partnership_in_three_languages(
    chromium, portal_url, members_app, platform, artifacts
):
    _seed_platform_admin(members_app)
    applicant_email = _seed_chinese_lab(members_app)
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
    organisation_url = page.url

    # Claire signs in, lands on her dashboard and publishes a project with a call for partners.
    _sign_in(page, portal_url, "claire@antibes-photonics.example", "a long enough password")
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    project_url = _publish_a_project(page, portal_url)

    # A Chinese lab applies; Claire accepts; the lab reads the decision in its inbox.
    platform.settle()
    applicant_context, applicant = _apply(chromium, portal_url, applicant_email, project_url)
    platform.settle()
    page.goto(project_url)
    received = page.get_by_role("region", name="Applications received")
    expect(received.get_by_text("Nanjing Optoelectronics Lab")).to_be_visible()
    received.get_by_label("Accept").check()
    received.get_by_role("button", name="Send the decision").click()
    expect(page.get_by_text("The application is accepted")).to_be_visible()
    expect(
        page.get_by_role("region", name="Participants").get_by_text("Nanjing Optoelectronics Lab")
    ).to_be_visible()
    platform.settle()
    applicant.goto(f"{portal_url}/dashboard")
    inbox_link = applicant.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile("Notifications")
    )
    badge = inbox_link.locator(".badge--count")
    expect(badge).to_have_text(re.compile(r"^\d+ unread"))
    unread = int(badge.get_attribute("data-unread"))
    inbox_link.click()
    decision = applicant.get_by_role(
        "heading", name=re.compile("Your application to Photonic chips for 6G links: accepted")
    )
    expect(decision).to_be_visible()
    applicant.screenshot(path=str(artifacts / "portal-inbox-en.png"), full_page=True)
    applicant.get_by_role("button", name=re.compile("^Open.*Your application to")).click()
    assert applicant.url == project_url  # the notification leads to the project
    expect(badge).to_have_attribute("data-unread", str(unread - 1))  # and is read now
    expect(applicant.get_by_text("Your organisation is a partner of this project.")).to_be_visible()

    # The applicant's key pages in Chinese, then in French.
    _switch(applicant, "中文")
    expect(applicant.get_by_role("heading", level=1)).to_have_text("面向6G链路的光子芯片")
    expect(applicant.get_by_role("heading", level=2, name="参与方")).to_be_visible()
    applicant.screenshot(path=str(artifacts / "portal-project-zh.png"), full_page=True)
    applicant.goto(f"{portal_url}/notifications")
    expect(applicant.get_by_role("heading", level=1)).to_have_text("通知")
    expect(applicant.get_by_role("button", name="全部标为已读")).to_be_visible()
    # The notification too is in the language the person reads now, not the one of its day.
    in_chinese = re.compile("您对 面向6G链路的光子芯片 的申请：已接受")  # noqa: RUF001
    expect(applicant.get_by_role("heading", name=in_chinese)).to_be_visible()
    _switch(applicant, "Français")
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(applicant.get_by_role("button", name="Tout marquer comme lu")).to_be_visible()
    in_french = re.compile("Votre candidature à Photonic chips for 6G links")
    expect(applicant.get_by_role("heading", name=in_french)).to_be_visible()
    applicant.goto(project_url)
    expect(applicant.get_by_role("heading", level=2, name="Appel à partenaires")).to_be_visible()
    applicant_context.close()

    # The same key pages in Chinese, then in French, through the switcher.
    page.get_by_role("button", name="Sign out").click()
    page.goto(organisation_url)
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


def _open_project(members_app, platform) -> str:
    """A public project with an open call, by a new French organisation; its id."""
    from tests.members.factories import Factories

    with members_app.app_context():
        make = Factories(members_app)
        _org, admin = make.registered(name="Valbonne Biologics", admin={"language": "zh"})
        headers = make.headers(admin)
    platform.settle()
    return platform.open_project(headers)["id"]


def test_home_and_project_pages_fit_a_phone_screen(
    chromium, portal_url, members_app, platform, artifacts
):
    from services.members.demo import seed_demo

    with members_app.app_context():
        seed_demo()  # the parks' demo organisations, through members' domain
    project_id = _open_project(members_app, platform)
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
    expect(page.get_by_text("智能建筑边缘人工智能").first).to_be_visible()  # its open call
    page.screenshot(path=str(artifacts / "portal-home-phone-zh.png"), full_page=True)
    assert (artifacts / "portal-home-phone-zh.png").stat().st_size > 10_000
    page.goto(f"{portal_url}/projects/{project_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("智能建筑边缘人工智能")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the project page is {overflow}px wider than a phone"
    page.screenshot(path=str(artifacts / "portal-project-phone-zh.png"), full_page=True)
    assert (artifacts / "portal-project-phone-zh.png").stat().st_size > 10_000
    _switch(page, "English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.screenshot(path=str(artifacts / "portal-home-phone-en.png"), full_page=True)
    # The keyboard reaches the content first: the skip link.
    page.goto(portal_url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    context.close()
