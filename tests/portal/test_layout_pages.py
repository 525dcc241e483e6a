"""The layout's server side: language tabs that open on the language to correct, the country
picker's groups, and the phone menu's markup (the browser tests measure the rest)."""

from __future__ import annotations

import re

from shared import vocabulary
from tests.portal.test_projects_pages import _form, _organisation


def _checked_tab(page: str, name: str) -> str:
    found = re.search(rf'name="_tab_{name}" id="{name}-tab-(\w+)" value="\w+" checked', page)
    assert found, f"no tab of {name} is chosen"
    return found.group(1)


def test_the_tab_shown_is_the_readers_language_then_the_one_chosen_then_one_to_correct(
    browser, make, platform
):
    _org, admin = _organisation(make, platform, name="Sophia Tabs")
    browser.sign_in(admin.email)
    page = browser.get("/projects/new").get_data(as_text=True)
    assert _checked_tab(page, "title") == "en"  # the person reads English
    assert page.count('class="localized__panel localized__panel--') == 9  # every language sent

    # A refused form comes back on the tab the person was on...
    refused = browser.submit(
        "/projects/new", _form(kind="", _tab_summary="zh"), page="/projects/new"
    )
    page = refused.get_data(as_text=True)
    assert _checked_tab(page, "summary") == "zh"
    # ...unless a language holds an error: its tab is shown, and marked for every reader.
    refused = browser.submit(
        "/projects/new", _form(title_zh="长" * 201, _tab_title="fr"), page="/projects/new"
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and _checked_tab(page, "title") == "zh"
    tab = re.search(r'<label for="title-tab-zh" class="([^"]+)"[^>]*>(.*?)</label>', page, re.S)
    assert "localized__tab--invalid" in tab.group(1) and "(to correct)" in tab.group(2)
    written = re.search(r'<label for="title-tab-en" class="([^"]+)"', page).group(1)
    assert "localized__tab--written" in written  # English is filled in


def test_the_country_picker_lists_every_country_once_parks_first_by_region(browser, make, platform):
    _org, admin = _organisation(make, platform, name="Sophia Countries")
    browser.sign_in(admin.email)
    page = browser.get("/projects/new").get_data(as_text=True)
    boxes = re.findall(r'<input type="checkbox" name="seeks_countries" value="(\w+)"', page)
    assert sorted(boxes) == sorted(vocabulary.COUNTRIES)  # each once: no Ctrl-click list
    assert boxes[:2] == ["FR", "CN"]  # the two parks' countries open the list
    regions = re.findall(
        r'<details class="country-picker__region"( open)?>\s*<summary>([^<]+)', page
    )
    assert regions[0] == (" open", "Countries of the two parks")
    assert [name for _open, name in regions[1:]] == [
        "Europe",
        "Asia",
        "Americas",
        "Africa",
        "Oceania",
        "Antarctica",
    ]
    assert all(not opened for opened, _name in regions[1:])  # closed until something is chosen

    refused = browser.submit(
        "/projects/new", _form(kind="", seeks_countries=["DE", "JP"]), page="/projects/new"
    )
    page = refused.get_data(as_text=True)
    for code in ("DE", "JP"):
        assert re.search(rf'value="{code}" id="seeks_countries-{code}" checked', page)
    regions = {
        name.strip(): opened
        for opened, name in re.findall(
            r'<details class="country-picker__region"( open)?>\s*<summary>([^<]+)', page
        )
    }
    assert regions["Europe"] == regions["Asia"] == " open"  # where the chosen ones are
    assert regions["Africa"] == ""


def test_the_phone_menu_is_a_checkbox_and_a_label_outside_every_form(browser, make, platform):
    _org, admin = _organisation(make, platform, name="Sophia Menu")
    browser.sign_in(admin.email)
    page = browser.get("/dashboard").get_data(as_text=True)
    header = page[page.index('<header class="site-header">') : page.index("</header>")]
    toggle = header.index('<input type="checkbox" id="site-menu-toggle"')
    assert '<label for="site-menu-toggle" class="site-menu__button">' in header
    assert "<form" not in header[:toggle]  # never sent with the language or sign-out forms
    menu = header[header.index('<div class="site-menu" id="site-menu">') :]
    assert 'href="/projects"' in menu and "Sign out" in menu
