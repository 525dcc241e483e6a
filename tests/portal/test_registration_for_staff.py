"""Platform staff find each new registration in their inbox, in their language, leading to
its verification page."""

from __future__ import annotations

import html
import re

from tests.portal.conftest import Browser
from tests.portal.test_account_pages import _registration


def test_staff_read_a_new_registration_in_their_inbox_and_open_its_verification_page(
    browser, make, platform, app, members_app
):
    staff = make.platform_admin(full_name="Claire Martin", language="fr")
    registrant = Browser(app.test_client())
    assert registrant.submit("/register", _registration()).status_code == 302
    platform.settle()  # notifications handled the registration's events

    browser.sign_in(staff.email)
    inbox = html.unescape(browser.get("/notifications").get_data(as_text=True))
    assert "Antibes Photonics s'est inscrite\u202f: à vérifier" in inbox
    assert "Claire Dubois (claire@antibes-photonics.example) l'a inscrite." in inbox
    from services.members.models import Organisation, db

    with members_app.app_context():
        org_id = db.session.query(Organisation).one().id
    [opening] = re.findall(r'action="(/notifications/[^"]+/open)"', inbox)
    opened = browser.submit(opening, {"back": "/notifications"}, page="/notifications")
    assert opened.status_code == 302
    assert opened.headers["Location"].endswith(f"/admin/organisations/{org_id}")
    page = browser.get(f"/admin/organisations/{org_id}")
    assert page.status_code == 200 and "Antibes Photonics" in page.get_data(as_text=True)

    # The registrant, an admin of a pending organisation, is not told what staff are told.
    registrant_inbox = registrant.get("/notifications").get_data(as_text=True)
    assert "to verify" not in registrant_inbox and "à vérifier" not in registrant_inbox
