"""Project pages against the real platform: search, create and edit, state changes, applications."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.portal.conftest import Browser
from tests.portal.test_account_pages import _error_of

API = "/api/projects/v1"


def _organisation(make, platform, **organisation):
    """An organisation registered and verified through members, known to projects by events."""
    if organisation.get("country") == "CN":
        organisation.setdefault("registration_number", make.uscc())
    org, admin = make.registered(admin={"language": "en"}, **organisation)
    platform.settle()
    return org, admin


def _api(platform, make, user, method, path, **kwargs):
    client = platform.apps["projects"].test_client()
    return client.open(f"{API}{path}", method=method, headers=make.headers(user), **kwargs)


def _deadline(days=30) -> str:
    """A wall time in Europe/Paris (the test people's zone), as a datetime-local field sends it."""
    return (datetime.now(ZoneInfo("Europe/Paris")) + timedelta(days=days)).strftime(
        "%Y-%m-%dT%H:%M"
    )


def _form(**overrides) -> dict:
    data = {
        "kind": "rd_partnership",
        "title_en": "Edge AI for smart buildings",
        "title_fr": "",
        "title_zh": "智能建筑边缘人工智能",
        "summary_en": "Sensor fusion on low-power chips.",
        "summary_fr": "Fusion de capteurs sur puces basse consommation.",
        "summary_zh": "",
        "description_en": "# Goal\n\nFuse **lidar** and radar.\n\n<script>alert(1)</script>",
        "description_fr": "",
        "description_zh": "",
        "sectors": ["iot", "ai_data"],
        "keywords": "lidar, sensor fusion",
        "seeks_countries": ["CN"],
        "seeks_kinds": ["research_lab"],
        "seeks_skills": "embedded AI",
        "starts_on": "2027-01-01",
        "ends_on": "2029-12-31",
        "budget_min": "200000",
        "budget_max": "500000",
        "budget_currency": "EUR",
        "funding_scheme": "EUREKA",
        "visibility": "members",
        "discretion": "shown",
        "call_deadline": _deadline(),
        "attachments": "Project brief https://example.org/brief.pdf",
    }
    data.update(overrides)
    return data


def _project_id(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    found = re.fullmatch(r"/projects/([0-9a-f-]{36})", response.headers["Location"])
    assert found, response.headers["Location"]
    return found.group(1)


def _create(browser, **overrides) -> str:
    return _project_id(browser.submit("/projects/new", _form(**overrides)))


def _move(browser, project_id, to_state, **extra):
    """The move, confirmed (start, complete and cancel ask first: see the confirmation test)."""
    return browser.submit(
        f"/projects/{project_id}/state",
        {"to_state": to_state, "confirmed": "yes", **extra},
        page=f"/projects/{project_id}",
    )


def _opened(browser, **overrides) -> str:
    project_id = _create(browser, **overrides)
    assert _move(browser, project_id, "open").status_code == 302
    return project_id


def _text(response) -> str:
    return response.get_data(as_text=True)


def _flash(page: str) -> str:
    return " ".join(re.findall(r'class="notice notice--\w+" role="\w+">(.*?)</div>', page, re.S))


def test_anonymous_visitors_read_public_projects_and_sign_in_for_the_rest(
    browser, make, platform, app
):
    _org, owner = _organisation(make, platform, name="Open Optics")
    owner_browser = Browser(app.test_client())
    owner_browser.sign_in(owner.email)
    public = _opened(owner_browser, title_en="Open photonics", visibility="public")
    members_only = _opened(owner_browser, title_en="Members photonics", visibility="members")

    listing = _text(browser.get("/projects"))
    assert "Open photonics" in listing and "Members photonics" not in listing
    page = browser.get(f"/projects/{public}")
    assert page.status_code == 200 and "Sign in to apply" in _text(page)
    assert "Open Optics" in _text(page) and "Applications received" not in _text(page)
    hidden = browser.get(f"/projects/{members_only}")
    assert hidden.headers["Location"] == f"/sign-in?next=/projects/{members_only}"

    for path in (
        "/projects/mine",
        "/projects/recommended",
        "/projects/new",
        f"/projects/{public}/edit",
    ):
        response = browser.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == f"/sign-in?next={path}", path
    applied = browser.submit(
        f"/projects/{public}/applications", {"message": "Hello"}, page=f"/projects/{public}"
    )
    assert applied.headers["Location"].startswith("/sign-in?next=")
    assert _api(platform, make, owner, "GET", f"/projects/{public}/applications").get_json() == []


def test_a_visitor_reads_the_deadline_in_the_usual_zone_of_the_page_language(
    browser, make, platform, app
):
    _org, owner = _organisation(make, platform, name="Zone Optics")
    owner_browser = Browser(app.test_client())
    owner_browser.sign_in(owner.email)
    project_id = _opened(owner_browser, visibility="public")
    deadline = _api(platform, make, owner, "GET", f"/projects/{project_id}").get_json()["call"][
        "deadline"
    ]
    for language, zone in (("fr", "Europe/Paris"), ("zh-CN", "Asia/Shanghai")):
        page = _text(browser.get(f"/projects/{project_id}", headers={"Accept-Language": language}))
        local = datetime.fromisoformat(deadline).astimezone(ZoneInfo(zone))
        assert f"{local:%H:%M} ({zone})" in page, language
    english = _text(browser.get(f"/projects/{project_id}", headers={"Accept-Language": "en"}))
    assert "(UTC)" in english and "(Europe/Paris)" not in english


def test_create_shows_errors_next_to_fields_then_saves_a_draft(browser, make, platform):
    _org, admin = _organisation(make, platform, name="Valbonne Sensors")
    browser.sign_in(admin.email)
    assert "New project" in _text(browser.get("/projects"))

    empty = _text(
        browser.submit(
            "/projects/new",
            _form(kind="", title_en="", title_zh="", summary_en="", summary_fr="", sectors=[]),
        )
    )
    assert "This field is required." in _error_of(empty, "kind")
    assert "title in at least one language" in _error_of(empty, "title_en")
    assert "summary in at least one language" in _error_of(empty, "summary_en")
    assert "Choose at least one sector." in _error_of(empty, "sectors")

    wrong = _text(
        browser.submit(
            "/projects/new",
            _form(budget_min="-5", attachments="Brief ftp://example.org/x", starts_on="soon"),
        )
    )
    assert "0 or more" in _error_of(wrong, "budget_min")
    assert "https://" in _error_of(wrong, "attachments")
    assert "Not a valid date value." in _error_of(wrong, "starts_on")

    refused = _text(
        browser.submit("/projects/new", _form(starts_on="2029-01-01", ends_on="2028-01-01"))
    )
    assert "ends before it starts" in _error_of(refused, "ends_on")
    refused = _text(browser.submit("/projects/new", _form(budget_max="1000")))
    assert "maximum is below its minimum" in _error_of(refused, "budget_max")
    refused = _text(browser.submit("/projects/new", _form(call_deadline=_deadline(-2))))
    assert "deadline of the call for partners, in the future" in _error_of(refused, "call_deadline")
    assert _api(platform, make, admin, "GET", "/projects?state=draft").get_json()["items"] == []

    project_id = _create(browser)
    page = _text(browser.get(f"/projects/{project_id}"))
    assert "saved as a draft" in page and "Edge AI for smart buildings" in page
    assert "<strong>lidar</strong>" in page and "<script>alert" not in page
    assert "Valbonne Sensors" in page and "Project brief" in page
    assert "200,000 \u2013 500,000 EUR" in page

    saved = _api(platform, make, admin, "GET", f"/projects/{project_id}").get_json()
    assert saved["state"] == "draft"
    assert saved["title"] == {"en": "Edge AI for smart buildings", "zh": "智能建筑边缘人工智能"}
    assert saved["keywords"] == ["lidar", "sensor fusion"]
    assert saved["partner_sought"] == {
        "countries": ["CN"],
        "kinds": ["research_lab"],
        "skills": ["embedded AI"],
    }
    assert saved["budget"] == {"min": 200000, "max": 500000, "currency": "EUR"}
    assert saved["attachments"] == [
        {"title": "Project brief", "url": "https://example.org/brief.pdf"}
    ]
    # The wall time typed in Paris is kept as that moment in UTC.
    typed = datetime.strptime(_form()["call_deadline"], "%Y-%m-%dT%H:%M")
    expected = typed.replace(tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)
    assert datetime.fromisoformat(saved["call"]["deadline"]) == expected


def test_a_person_without_an_organisation_cannot_create(browser, make):
    browser.sign_in(make.user(None).email)
    assert browser.get("/projects/new").status_code == 403
    assert "New project" not in _text(browser.get("/projects"))


def test_the_owner_edits_and_keeps_the_deadline_it_did_not_touch(browser, make, platform):
    _org, admin = _organisation(make, platform)
    browser.sign_in(admin.email)
    project_id = _opened(browser)
    before = _api(platform, make, admin, "GET", f"/projects/{project_id}").get_json()
    form = _text(browser.get(f"/projects/{project_id}/edit"))
    assert 'value="Edge AI for smart buildings"' in form and "lidar, sensor fusion" in form

    bad = _text(
        browser.submit(f"/projects/{project_id}/edit", _form(call_deadline="", discretion=""))
    )
    assert "deadline of the call for partners, in the future" in _error_of(bad, "call_deadline")
    typed = datetime.fromisoformat(before["call"]["deadline"]).astimezone(ZoneInfo("Europe/Paris"))
    saved = browser.submit(
        f"/projects/{project_id}/edit",
        _form(
            title_en="Edge AI for greener buildings",
            call_deadline=typed.strftime("%Y-%m-%dT%H:%M"),
            discretion="",
        ),
    )
    assert saved.status_code == 302
    after = _api(platform, make, admin, "GET", f"/projects/{project_id}").get_json()
    assert after["title"]["en"] == "Edge AI for greener buildings"
    assert after["call"]["deadline"] == before["call"]["deadline"]  # seconds kept: not resent


def test_another_organisations_admin_cannot_edit(browser, make, platform):
    _org, owner = _organisation(make, platform, name="Owner Company")
    _other, stranger = _organisation(make, platform, name="Stranger Company")
    browser.sign_in(owner.email)
    project_id = _opened(browser, visibility="public")

    intruder = Browser(browser.client.application.test_client())
    intruder.sign_in(stranger.email)
    page = _text(intruder.get(f"/projects/{project_id}"))
    assert "Edge AI for smart buildings" in page
    assert f"/projects/{project_id}/edit" not in page and "Start the project" not in page
    assert intruder.get(f"/projects/{project_id}/edit").status_code == 403
    response = intruder.submit(
        f"/projects/{project_id}/edit", _form(title_en="Hijacked"), page="/projects"
    )
    assert response.status_code == 403
    moved = _move(intruder, project_id, "cancelled")
    assert moved.status_code == 302
    assert "You may not do this." in _flash(_text(intruder.get(f"/projects/{project_id}")))

    seen = _api(platform, make, owner, "GET", f"/projects/{project_id}").get_json()
    assert seen["title"]["en"] == "Edge AI for smart buildings" and seen["state"] == "open"


def test_state_changes_show_allowed_moves_and_refusals(browser, make, platform):
    org, admin = _organisation(make, platform)
    browser.sign_in(admin.email)
    project_id = _create(browser, call_deadline="")
    page = _text(browser.get(f"/projects/{project_id}"))
    assert "Publish and open the call for partners" in page and "Start the project" not in page

    refused = _move(browser, project_id, "open")
    assert refused.status_code == 302
    page = _text(browser.get(f"/projects/{project_id}"))
    assert "Set the deadline of the call for partners, in the future, before publishing" in _flash(
        page
    )
    assert _api(platform, make, admin, "GET", f"/projects/{project_id}").get_json()["state"] == (
        "draft"
    )
    skipped = _move(browser, project_id, "active")
    assert skipped.status_code == 302
    assert "cannot move to this state" in _flash(_text(browser.get(f"/projects/{project_id}")))

    browser.submit(
        f"/projects/{project_id}/edit", _form(call_deadline=_deadline()), page="/projects"
    )
    _move(browser, project_id, "open")
    page = _text(browser.get(f"/projects/{project_id}"))
    assert "The project is now: Open for partners." in page
    assert "Start the project" in page and "Publish and open" not in page

    colleague = Browser(browser.client.application.test_client())
    colleague.sign_in(make.user(org).email)
    member_page = _text(colleague.get(f"/projects/{project_id}"))
    assert "Start the project" not in member_page and "/edit" in member_page
    _move(colleague, project_id, "active")
    assert _api(platform, make, admin, "GET", f"/projects/{project_id}").get_json()["state"] == (
        "open"
    )

    _move(browser, project_id, "active")
    page = _text(browser.get(f"/projects/{project_id}"))
    assert "Mark as completed" in page and "Add a milestone" in page
    bad = _text(
        browser.submit(
            f"/projects/{project_id}/milestones",
            {"title_en": "Prototype", "starts_on": "2027-06-01", "due_on": "2027-03-01"},
            page=f"/projects/{project_id}",
        )
    )
    assert "due before it starts" in _error_of(bad, "due_on")
    browser.submit(
        f"/projects/{project_id}/milestones",
        {"title_en": "Prototype", "due_on": "2027-03-01", "progress": "10"},
        page=f"/projects/{project_id}",
    )
    milestone = _api(platform, make, admin, "GET", f"/projects/{project_id}/milestones").get_json()
    assert [(m["title"], m["progress"]) for m in milestone] == [({"en": "Prototype"}, 10)]
    mid = milestone[0]["id"]
    browser.submit(
        f"/projects/{project_id}/milestones/{mid}",
        {f"m{mid}-progress": "160"},
        page=f"/projects/{project_id}",
    )
    assert "from 0 to 100" in _flash(_text(browser.get(f"/projects/{project_id}")))
    browser.submit(
        f"/projects/{project_id}/milestones/{mid}",
        {f"m{mid}-progress": "60"},
        page=f"/projects/{project_id}",
    )
    page = _text(browser.get(f"/projects/{project_id}"))
    assert "The progress is saved." in page and 'value="60"' in page

    cancelled = _move(browser, project_id, "cancelled", note="Funding withdrawn.")
    assert cancelled.status_code == 302
    page = _text(browser.get(f"/projects/{project_id}"))
    assert "Funding withdrawn." in page and "Mark as completed" not in page
    assert f"/projects/{project_id}/edit" not in page
    history = _api(platform, make, admin, "GET", f"/projects/{project_id}/history").get_json()
    assert [h["to_state"] for h in history] == ["draft", "open", "active", "cancelled"]


def test_an_organisation_applies_the_owner_accepts_and_the_applicant_sees_it(
    browser, make, platform
):
    _org, owner = _organisation(make, platform, name="Sophia Lidar")
    applicant_org, applicant_admin = _organisation(
        make, platform, name="Nanjing Robotics", country="CN", park="jiangning"
    )
    browser.sign_in(owner.email)
    project_id = _opened(browser)

    applicant = Browser(browser.client.application.test_client())
    applicant.sign_in(make.user(applicant_org).email)
    page = _text(applicant.get(f"/projects/{project_id}"))
    assert "Apply for your organisation" in page and "Applications received" not in page
    empty = _text(
        applicant.submit(
            f"/projects/{project_id}/applications", {"message": " "}, page=f"/projects/{project_id}"
        )
    )
    assert "This field is required." in _error_of(empty, "message")
    sent = applicant.submit(
        f"/projects/{project_id}/applications",
        {"message": "We build <b>lidar</b> robots."},
        page=f"/projects/{project_id}",
    )
    assert sent.status_code == 302
    page = _text(applicant.get(f"/projects/{project_id}"))
    assert "Your application is sent." in page and "Pending" in page
    assert "We build &lt;b&gt;lidar&lt;/b&gt; robots." in page
    assert "Apply for your organisation" not in page

    owner_page = _text(browser.get(f"/projects/{project_id}"))
    assert "Nanjing Robotics" in owner_page and "Send the decision" in owner_page
    applications = _api(
        platform, make, owner, "GET", f"/projects/{project_id}/applications"
    ).get_json()
    application_id = applications[0]["id"]
    prefix = f"a{application_id}"
    undecided = _text(
        browser.submit(
            f"/projects/{project_id}/applications/{application_id}/decision",
            {f"{prefix}-role": "partner"},
            page=f"/projects/{project_id}",
        )
    )
    assert "This field is required." in _error_of(undecided, f"{prefix}-decision")
    accepted = browser.submit(
        f"/projects/{project_id}/applications/{application_id}/decision",
        {
            f"{prefix}-decision": "accepted",
            f"{prefix}-role": "lead",
            f"{prefix}-reason": "Welcome aboard.",
        },
        page=f"/projects/{project_id}",
    )
    assert accepted.status_code == 302
    owner_page = _text(browser.get(f"/projects/{project_id}"))
    assert "now a partner" in owner_page and "Lead partner" in owner_page

    partners = _api(platform, make, owner, "GET", f"/projects/{project_id}").get_json()["partners"]
    assert [(p["organisation_id"], p["role"]) for p in partners] == [
        (str(applicant_org.id), "lead")
    ]
    page = _text(applicant.get(f"/projects/{project_id}"))
    assert "Accepted" in page and "Welcome aboard." in page
    assert "Your organisation is a partner of this project." in page
    assert "Nanjing Robotics" in page  # among the participants
    assert "Send the decision" not in page

    # The applicant's admin may not decide, even through a forged request.
    again = Browser(browser.client.application.test_client())
    again.sign_in(applicant_admin.email)
    forged = again.submit(
        f"/projects/{project_id}/applications/{application_id}/decision",
        {f"{prefix}-decision": "rejected"},
        page=f"/projects/{project_id}",
    )
    assert forged.status_code == 302
    assert _api(platform, make, owner, "GET", f"/applications/{application_id}").get_json()[
        "status"
    ] == ("accepted")


def test_an_applicant_withdraws_and_the_owner_declines_with_a_note(browser, make, platform):
    _org, owner = _organisation(make, platform)
    _applicant_org, applicant_admin = _organisation(make, platform, name="Grasse Labs")
    browser.sign_in(owner.email)
    project_id = _opened(browser)
    applicant = Browser(browser.client.application.test_client())
    applicant.sign_in(applicant_admin.email)
    apply = {"message": "Let us help."}
    applicant.submit(f"/projects/{project_id}/applications", apply, page=f"/projects/{project_id}")
    mine = _api(platform, make, applicant_admin, "GET", f"/projects/{project_id}/applications")
    first = mine.get_json()[0]["id"]
    asked = applicant.submit(
        f"/projects/{project_id}/applications/{first}/withdrawal",
        {},
        page=f"/projects/{project_id}",
    )
    assert "Withdraw this application?" in _text(asked)
    assert "Withdrawn" not in _text(applicant.get(f"/projects/{project_id}"))
    applicant.submit(
        f"/projects/{project_id}/applications/{first}/withdrawal",
        {"confirmed": "yes"},
        page=f"/projects/{project_id}",
    )
    page = _text(applicant.get(f"/projects/{project_id}"))
    assert "Withdrawn" in page and "Apply for your organisation" in page

    applicant.submit(f"/projects/{project_id}/applications", apply, page=f"/projects/{project_id}")
    again = applicant.submit(
        f"/projects/{project_id}/applications", apply, page=f"/projects/{project_id}"
    )
    assert again.status_code == 302  # no form for a second one: refused by the API, said so
    assert "already has a pending application" in _flash(_text(applicant.get("/projects")))
    second = next(
        a["id"]
        for a in _api(
            platform, make, owner, "GET", f"/projects/{project_id}/applications"
        ).get_json()
        if a["status"] == "pending"
    )
    browser.submit(
        f"/projects/{project_id}/applications/{second}/decision",
        {f"a{second}-decision": "rejected", f"a{second}-reason": "Not this time."},
        page=f"/projects/{project_id}",
    )
    page = _text(applicant.get(f"/projects/{project_id}"))
    assert "Declined" in page and "Not this time." in page


def test_search_filters_pages_and_keeps_discreet_owners_discreet(browser, make, platform):
    _org, owner = _organisation(make, platform, name="Hidden Photonics")
    _reader_org, reader = _organisation(make, platform, name="Curious Company")
    for n in range(21):
        body = {
            "kind": "technology_offer" if n else "business_request",
            "title": {"en": f"Photonics offer {n}", "zh": f"光子技术 {n}"},
            "summary": {"en": "Lasers."},
            "sectors": ["telecom"],
            "visibility": "public",
            "anonymous": True,
            "call_deadline": (datetime.now(UTC) + timedelta(days=10)).isoformat(),
        }
        created = _api(platform, make, owner, "POST", "/projects", json=body)
        assert created.status_code == 201, created.get_json()
        moved = _api(
            platform,
            make,
            owner,
            "POST",
            f"/projects/{created.get_json()['id']}/transitions",
            json={"to_state": "open"},
        )
        assert moved.status_code == 200

    browser.sign_in(reader.email)
    first = _text(browser.get("/projects?q=photonics&sector=telecom"))
    assert first.count('class="card project-card"') == 20
    assert "Hidden Photonics" not in first and "A discreet organisation" in first
    cursor = re.search(r'href="/projects\?cursor=([^&"]+)', first).group(1)
    second = _text(browser.get(f"/projects?cursor={cursor}&q=photonics&sector=telecom"))
    assert second.count('class="card project-card"') == 1 and "Photonics offer 0" in second

    chinese = _text(browser.get("/projects?q=光子"))
    assert "Photonics offer" in chinese
    only = _text(browser.get("/projects?kind=business_request"))
    assert only.count('class="card project-card"') == 1
    assert "No project matches" in _text(browser.get("/projects?q=submarine"))
    assert "One of the filters is not valid." in _text(browser.get("/projects?state=sleeping"))

    owner_view = Browser(browser.client.application.test_client())
    owner_view.sign_in(owner.email)
    assert "Hidden Photonics" in _text(owner_view.get("/projects?kind=business_request"))


def test_unknown_and_others_draft_projects_are_not_found(browser, make, platform):
    _org, owner = _organisation(make, platform)
    _other, stranger = _organisation(make, platform)
    browser.sign_in(owner.email)
    draft = _create(browser)
    intruder = Browser(browser.client.application.test_client())
    intruder.sign_in(stranger.email)
    assert intruder.get(f"/projects/{draft}").status_code == 404
    assert intruder.get(f"/projects/{uuid.uuid4()}").status_code == 404
    assert "Page not found" in _text(intruder.get(f"/projects/{draft}/edit"))


def test_our_projects_and_recommendations(browser, make, platform, portal_app):
    _org, owner = _organisation(make, platform, name="Biot Optics", sectors=["telecom"])
    _seeker_org, seeker = _organisation(
        make, platform, name="Jiangning Fibre", country="CN", park="jiangning", sectors=["telecom"]
    )
    browser.sign_in(owner.email)
    draft = _create(browser, title_en="Quiet draft", sectors=["telecom"])
    published = _opened(browser, title_en="Fibre sensing", sectors=["telecom"])
    mine = _text(browser.get("/projects/mine"))
    drafts_part, published_part = mine.split('id="published-title"')
    assert "Quiet draft" in drafts_part and "Fibre sensing" in published_part

    other = Browser(browser.client.application.test_client())
    other.sign_in(seeker.email)
    theirs = _text(other.get("/projects/mine"))
    assert "Fibre sensing" not in theirs and "Quiet draft" not in theirs
    assert "has not published a project yet" in theirs
    recommended = _text(other.get("/projects/recommended"))
    assert "Fibre sensing" in recommended and "Quiet draft" not in recommended
    assert "Works in the project&#39;s sectors" in recommended

    # The dashboard's helpers give the same, as the signed-in person.
    from services.portal.panels import my_projects
    from services.portal.panels import recommended as recommended_for

    def as_person(client, function):
        cookie = client.get_cookie("portal_session").value
        with portal_app.test_request_context("/", headers={"Cookie": f"portal_session={cookie}"}):
            return function(5)

    assert [p["id"] for p in as_person(browser.client, my_projects)] == [published, draft]
    assert [r["project"]["id"] for r in as_person(other.client, recommended_for)] == [published]
    assert as_person(other.client, my_projects) == []


def test_titles_and_summaries_are_shown_in_the_readers_language(browser, make, platform):
    org, admin = _organisation(make, platform)
    browser.sign_in(admin.email)
    project_id = _opened(browser)
    chinese = Browser(browser.client.application.test_client())
    chinese.sign_in(make.user(org, language="zh").email)
    page = _text(chinese.get(f"/projects/{project_id}"))
    assert "<h1>智能建筑边缘人工智能</h1>" in page
    assert "智能建筑边缘人工智能" in _text(chinese.get("/projects"))
    french = Browser(browser.client.application.test_client())
    french.sign_in(make.user(org, language="fr").email)
    page = _text(french.get(f"/projects/{project_id}"))
    # no French title: English instead, marked as such
    assert '<h1 lang="en">Edge AI for smart buildings</h1>' in page
    assert "(original en anglais)" in page
    assert "Fusion de capteurs sur puces basse consommation." in page


def test_an_organisation_waiting_for_verification_writes_drafts_but_cannot_publish_yet(
    browser, make, platform
):
    _org, admin = make.registered(status="pending", admin={"language": "en"})
    platform.settle()
    browser.sign_in(admin.email)
    page = _text(browser.get("/projects/new"))
    assert "once the platform team has verified it" in page and 'name="title_en"' in page
    response = browser.submit("/projects/new", _form(), page="/projects")
    assert response.status_code == 302  # to the draft's page
    drafts = _api(platform, make, admin, "GET", "/projects?state=draft").get_json()["items"]
    assert len(drafts) == 1
    published = _api(
        platform,
        make,
        admin,
        "POST",
        f"/projects/{drafts[0]['id']}/transitions",
        json={"to_state": "open"},
    )
    assert published.get_json()["code"] == "organisation.pending"


def test_an_active_projects_edit_leaves_its_closed_call_alone(browser, make, platform):
    _org, admin = _organisation(make, platform)
    browser.sign_in(admin.email)
    project_id = _opened(browser)
    _move(browser, project_id, "active")
    form = _text(browser.get(f"/projects/{project_id}/edit"))
    assert 'name="call_deadline"' not in form
    data = _form(summary_en="Now running.", discretion="")
    del data["call_deadline"]
    assert browser.submit(f"/projects/{project_id}/edit", data).status_code == 302
    saved = _api(platform, make, admin, "GET", f"/projects/{project_id}").get_json()
    assert saved["summary"]["en"] == "Now running." and saved["state"] == "active"


def test_our_applications_lists_what_our_organisation_sent_with_each_outcome(
    browser, make, platform
):
    _org, owner = _organisation(make, platform)
    _applicant_org, applicant_admin = _organisation(make, platform, name="Grasse Labs")
    browser.sign_in(owner.email)
    declined = _opened(browser, title_en="Smart port sensors")
    waiting = _opened(browser, title_en="Biotech cold chain")
    applicant = Browser(browser.client.application.test_client())
    applicant.sign_in(applicant_admin.email)
    assert "has not applied to a project yet" in _text(applicant.get("/projects/applications"))
    for project_id in (declined, waiting):
        sent = applicant.submit(
            f"/projects/{project_id}/applications",
            {"message": "Let us help."},
            page=f"/projects/{project_id}",
        )
        assert sent.status_code == 302
    first = _api(platform, make, owner, "GET", f"/projects/{declined}/applications").get_json()
    browser.submit(
        f"/projects/{declined}/applications/{first[0]['id']}/decision",
        {f"a{first[0]['id']}-decision": "rejected", f"a{first[0]['id']}-reason": "Full."},
        page=f"/projects/{declined}",
    )

    page = _text(applicant.get("/projects/applications"))
    titles = re.findall(r'<h2 class="card__title"><a href="/projects/([0-9a-f-]{36})">', page)
    assert titles == [waiting, declined]  # newest first
    assert "Declined" in page and "Full." in page and "Pending" in page
    pending = _text(applicant.get("/projects/applications?status=pending"))
    assert "Biotech cold chain" in pending and "Smart port sensors" not in pending
    assert "No application with this status." in _text(
        applicant.get("/projects/applications?status=accepted")
    )
    # An unknown status or a stale cursor leads back to the list, never to an error.
    assert applicant.get("/projects/applications?status=maybe").status_code == 302
    assert applicant.get("/projects/applications?cursor=stale").status_code == 302
    # The owner's own page lists what it sent: nothing.
    assert "has not applied to a project yet" in _text(browser.get("/projects/applications"))
    assert (
        browser.__class__(browser.client.application.test_client())
        .get("/projects/applications")
        .status_code
        == 302
    )  # anonymous: sign in first


def test_starting_a_project_asks_first_and_says_the_call_closes_early(browser, make, platform):
    org, _admin = _organisation(make, platform)
    admin = make.admin(org, language="zh")
    browser.sign_in(admin.email)
    project_id = _opened(browser)
    asked = browser.submit(
        f"/projects/{project_id}/state",
        {"to_state": "active", "note": "Kick-off"},
        page=f"/projects/{project_id}",
    )
    page = _text(asked)
    assert asked.status_code == 200 and "确定现在启动该项目吗" in page
    assert "合作伙伴征集将立即结束" in page  # what it does to the call, before it is done
    assert 'name="note" value="Kick-off"' in page and 'name="confirmed" value="yes"' in page
    project = _api(platform, make, admin, "GET", f"/projects/{project_id}").get_json()
    assert project["state"] == "open"
    assert _move(browser, project_id, "active").status_code == 302
    project = _api(platform, make, admin, "GET", f"/projects/{project_id}").get_json()
    assert project["state"] == "active"


def test_reloading_the_page_of_a_refused_application_leads_back_to_the_project(browser):
    project_id = "7c206dd5-7ff8-457b-bc56-eb068c792595"
    reloaded = browser.client.get(f"/projects/{project_id}/applications")
    assert reloaded.status_code == 302
    assert reloaded.headers["Location"] == f"/projects/{project_id}#apply-title"


def _close_the_call(platform, project_id) -> None:
    """The call's deadline passed: projects' periodic task closes it, at a `now` past it."""
    from services.projects.domain.projects import close_due_calls
    from services.projects.models import db

    with platform.apps["projects"].app_context(), db.transaction() as session:
        assert close_due_calls(session, now=datetime.now(UTC) + timedelta(days=3650))


def test_an_open_projects_closed_call_is_reopened_with_a_new_deadline(browser, make, platform):
    org, _admin = _organisation(make, platform)
    admin = make.admin(org, language="fr")
    browser.sign_in(admin.email)
    project_id = _opened(browser)
    _close_the_call(platform, project_id)
    page = _text(browser.get(f"/projects/{project_id}"))
    assert "Rouvrir l'appel à partenaires" in page
    empty = browser.submit(
        f"/projects/{project_id}/call", {"call_deadline": ""}, page=f"/projects/{project_id}"
    )
    assert "Ce champ est obligatoire." in _error_of(_text(empty), "call_deadline")
    reopened = browser.submit(
        f"/projects/{project_id}/call",
        {"call_deadline": _deadline(days=60)},
        page=f"/projects/{project_id}",
    )
    assert reopened.status_code == 302
    project = _api(platform, make, admin, "GET", f"/projects/{project_id}").get_json()
    assert project["state"] == "open" and project["call"]["closed_at"] is None
    page = _text(browser.get(f"/projects/{project_id}"))
    assert "de nouveau ouvert" in _flash(page) and "Rouvrir" not in page
