"""Home, directory and organisation profiles, as anyone sees them."""

from __future__ import annotations

import html
import re


def test_home_introduces_both_parks_and_lists_verified_organisations_only(browser, make):
    make.organisation(name="Sophia Biotech Partners")
    make.organisation(name="Hidden Pending Labs", status="pending")
    page = browser.get("/").get_data(as_text=True)
    assert "Sophia Antipolis" in page and "Jiangning Development Zone" in page
    assert "Sophia Biotech Partners" in page
    assert "Hidden Pending Labs" not in page


def test_directory_filters_by_park_and_words(browser, make):
    make.organisation(name="Riviera Sensors", park="sophia_antipolis", sectors=["iot"])
    make.organisation(
        name="Nanjing Chips", country="CN", park="jiangning", sectors=["microelectronics"]
    )
    by_park = browser.get("/directory?park=jiangning").get_data(as_text=True)
    assert "Nanjing Chips" in by_park and "Riviera Sensors" not in by_park
    by_words = browser.get("/directory?q=riviera").get_data(as_text=True)
    assert "Riviera Sensors" in by_words and "Nanjing Chips" not in by_words
    by_sector = browser.get("/directory?sector=microelectronics&country=CN").get_data(as_text=True)
    assert "Nanjing Chips" in by_sector and "Riviera Sensors" not in by_sector


def test_directory_with_an_unknown_filter_says_so_instead_of_failing(browser, make):
    response = browser.get("/directory?park=atlantis")
    assert response.status_code == 200
    assert "One of the filters is not valid." in response.get_data(as_text=True)


def test_organisation_profile_is_public_when_verified_and_hidden_when_pending(browser, make):
    verified = make.organisation(name="Valbonne Robotics", website="https://valbonne.example")
    pending = make.organisation(name="Pending Robotics", status="pending")
    page = browser.get(f"/organisations/{verified.id}").get_data(as_text=True)
    assert "Valbonne Robotics" in page and "https://valbonne.example" in page
    missing = browser.get(f"/organisations/{pending.id}")
    assert missing.status_code == 404
    assert "Traceback" not in missing.get_data(as_text=True)


def test_user_content_is_escaped_not_interpreted(browser, make):
    make.organisation(
        name="Evil <script>alert(1)</script> Corp",
        description={"en": "<img src=x onerror=alert(2)>"},
    )
    page = browser.get("/directory").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert html.escape("Evil <script>alert(1)</script> Corp", quote=False) in page


def test_pages_carry_a_content_security_policy_and_a_safe_session_cookie(browser):
    response = browser.get("/sign-in")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # PUBLIC_BASE_URL is http in tests


def test_session_cookie_is_secure_behind_https(platform):
    from services.portal import create_app

    app = create_app(
        {
            "TESTING": True,
            "PORTAL_API_URL": platform.url,
            "PUBLIC_BASE_URL": "https://platform.example",
        }
    )
    response = app.test_client().get("/sign-in", base_url="https://platform.example")
    assert "Secure" in response.headers["Set-Cookie"]


def test_assets_are_served_by_the_portal_itself(browser):
    page = browser.get("/").get_data(as_text=True)
    assert "/static/portal.css" in page and "//cdn" not in page
    assert browser.get("/static/portal.css").status_code == 200
    assert browser.get("/static/portal.js").status_code == 200


def test_unknown_page_is_a_friendly_404(browser):
    response = browser.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_health_endpoints_answer_without_a_database(browser):
    assert browser.get("/healthz").get_json()["status"] == "ok"
    ready = browser.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["checks"]["redis"] == "ok"


def test_every_form_of_the_portal_refuses_a_post_without_its_csrf_token(browser, make, app):
    import uuid

    org = make.organisation()
    browser.sign_in(make.admin(org).email)
    posts = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]
    assert len(posts) >= 15
    samples = {"uuid": lambda: str(uuid.uuid4()), "int": lambda: "1"}
    for rule in posts:
        path = re.sub(
            r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>",
            lambda found: samples.get(found.group(1), lambda: "x")(),
            rule.rule,
        )
        response = browser.client.post(path, data={"action": "verify", "lang": "fr"})
        assert response.status_code == 400, f"{rule.rule} accepted a post without CSRF"
