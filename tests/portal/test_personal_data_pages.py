"""A person's own data in the portal: a copy of everything to download, and deleting the account
(refused for an organisation's last person until they choose to close it)."""

from __future__ import annotations

import io
import re
import zipfile

from tests.members.factories import PASSWORD
from tests.portal.conftest import Browser
from tests.support.waiting import wait_until


def test_a_person_prepares_and_downloads_a_copy_of_all_their_data(browser, make):
    person = make.user(make.organisation(), full_name="Camille Export")
    browser.sign_in(person.email)
    assert "Download my data" in browser.get("/account").get_data(as_text=True)
    asked = browser.submit("/account/data", {})
    assert asked.status_code == 302 and asked.headers["Location"] == "/account/data"

    def download_link():
        page = browser.get("/account/data").get_data(as_text=True)
        found = re.search(r'href="(/account/data/[0-9a-f-]+/download)"', page)
        return found and found.group(1)

    link = wait_until(download_link, timeout=60)
    download = browser.get(link)
    assert download.status_code == 200 and download.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(download.data)).namelist()
    assert {n.split("/")[0] for n in names if "/" in n} == {
        "members",
        "projects",
        "announcements",
        "notifications",
    }
    assert (
        "Camille Export"
        in zipfile.ZipFile(io.BytesIO(download.data)).read("members/profile.json").decode()
    )


def test_deleting_ones_account_signs_out_every_session_of_it(app, browser, make):
    org = make.organisation()
    make.admin(org)
    person = make.user(org, full_name="Zhou Delete")
    elsewhere = Browser(app.test_client())
    elsewhere.sign_in(person.email)
    browser.sign_in(person.email)
    wrong = browser.submit("/account/delete", {"password": "not my password"})
    assert wrong.status_code == 200 and "is not correct" in wrong.get_data(as_text=True)

    deleted = browser.submit("/account/delete", {"password": PASSWORD})
    assert deleted.status_code == 302 and deleted.headers["Location"] == "/"
    assert "Zhou Delete" not in browser.get("/").get_data(as_text=True)
    # The other browser's session dies with the account within seconds, on its next pages.
    wait_until(
        lambda: elsewhere.get("/dashboard").headers.get("Location", "").startswith("/sign-in"),
        timeout=30,
    )
    assert "Zhou Delete" not in elsewhere.get("/").get_data(as_text=True)


def test_the_last_person_of_an_organisation_closes_it_to_leave(browser, make):
    org = make.organisation(name="Solo Photonics")
    admin = make.admin(org)
    browser.sign_in(admin.email)
    refused = browser.submit("/account/delete", {"password": PASSWORD})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "only person of your organisation" in page
    assert 'name="close_organisation"' in page
    closed = browser.submit("/account/delete", {"password": PASSWORD, "close_organisation": "y"})
    assert closed.status_code == 302
    directory = browser.get("/directory").get_data(as_text=True)
    assert "Solo Photonics" not in directory
