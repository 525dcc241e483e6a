"""Writing, reading and editing announcements: localized Markdown, times in two zones."""

from __future__ import annotations

from tests.announcements.factories import API


def test_staff_publish_an_event_shown_in_its_zone_and_the_readers(make, client):
    staff = make.staff()
    event = make.published(
        staff,
        "event",
        starts_at="2026-12-10T09:30:00",  # wall time in Nanjing
        ends_at="2026-12-10T17:00:00",
        timezone="Asia/Shanghai",
        place="Jiangning Development Zone, Nanjing",
        online_url="https://forum.example/live",
    )
    assert event["starts_at"] == "2026-12-10T01:30:00+00:00"
    assert event["starts_at_local"] == "2026-12-10T09:30:00+08:00"

    response = client.get(f"{API}/announcements/{event['id']}?tz=Europe/Paris")
    shown = response.get_json()
    assert response.status_code == 200
    assert shown["reader_timezone"] == "Europe/Paris"
    assert shown["starts_at_reader"] == "2026-12-10T02:30:00+01:00"
    assert shown["ends_at_local"] == "2026-12-10T17:00:00+08:00"
    assert shown["registrations"] == {"registered": 0, "waiting": 0}

    # Without ?tz=, a French-speaking member sees Paris time.
    reader = make.member_of(make.organisation(), language="fr")
    shown = client.get(f"{API}/announcements/{event['id']}", headers=reader.headers).get_json()
    assert shown["starts_at_reader"] == "2026-12-10T02:30:00+01:00"

    # Their own zone, from the token, comes before the guess from their language.
    in_montreal = {"Authorization": f"Bearer {reader.token(tz='America/Montreal')}"}
    shown = client.get(f"{API}/announcements/{event['id']}", headers=in_montreal).get_json()
    assert shown["reader_timezone"] == "America/Montreal"
    assert shown["starts_at_reader"] == "2026-12-09T20:30:00-05:00"
    unknown = {"Authorization": f"Bearer {reader.token(tz='Mars/Olympus')}"}
    shown = client.get(f"{API}/announcements/{event['id']}", headers=unknown).get_json()
    assert shown["reader_timezone"] == "Europe/Paris"  # a zone nobody knows: the guess again


def test_markdown_is_rendered_to_html_without_scripts_or_event_handlers(make, client):
    staff = make.staff()
    source = (
        "# Forum\n\nJoin **us** <script>alert('x')</script>\n\n"
        '<img src="x.png" onerror="alert(1)"> <a href="javascript:alert(2)">click</a> '
        '<p onclick="steal()">text</p>'
    )
    news = make.published(staff, body={"en": source})
    html = news["body_html"]["en"]
    assert "<h1>Forum</h1>" in html and "<strong>us</strong>" in html
    assert "<script" not in html and "alert('x')" not in html
    assert "onerror" not in html and "onclick" not in html
    assert "javascript:" not in html
    assert news["body"]["en"] == source  # the source is kept for editing


def test_bad_input_gets_problem_json_and_writes_nothing(make, client):
    staff = make.staff()
    bad_bodies = [
        {"kind": "memo", "title": {"en": "x"}},
        {"kind": "news"},
        {"kind": "news", "title": {"de": "Hallo"}},
        {"kind": "news", "title": {"en": "x" * 201}},
        make.body("event", timezone="Mars/Olympus"),
        make.body("event", starts_at=None),
        make.body("event", place=None),
        make.body("event", ends_at="2020-01-01T00:00:00+00:00"),
        make.body("news", capacity=10),
        make.body("news", audience={"scope": "selected"}),
        make.body("news", audience={"scope": "everyone"}),
        make.body("event", capacity=0),
        make.body("event", online_url="javascript:alert(1)"),
    ]
    for body in bad_bodies:
        response = client.post(f"{API}/announcements", json=body, headers=staff.headers)
        assert response.status_code == 422, (body, response.get_json())
        assert response.mimetype == "application/problem+json"
    response = client.post(
        f"{API}/announcements",
        data="{not json",
        headers=staff.headers,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    draft = make.draft(staff)
    url = f"{API}/announcements/{draft['id']}"
    bad_patches = (
        {"kind": "event"},
        {"title": {}},
        {"tags": ["x" * 41]},
        {"capacity": 5},
        {"audience": {"countries": ["CN"]}},
        {"audience": {"scope": "selected"}},
    )
    for patch in bad_patches:
        response = client.patch(url, json=patch, headers=staff.headers)
        assert response.status_code == 422, (patch, response.get_json())
        assert response.mimetype == "application/problem+json"
    response = client.post(
        f"{url}/publish", json={"publish_at": "2026-12-01T10:00:00"}, headers=staff.headers
    )
    assert response.status_code == 422  # a time without an offset is ambiguous
    response = client.post(
        f"{API}/announcements", json=make.body(), headers=staff.headers, content_type="text/plain"
    )
    assert response.status_code == 415
    assert client.get(url, headers=staff.headers).get_json()["title"] == draft["title"]
    response = client.get(f"{API}/announcements?tz=Nowhere/Land")
    assert response.status_code == 422
    response = client.get(f"{API}/announcements?cursor=garbage")
    assert response.status_code == 422
    mine = client.get(f"{API}/announcements/mine", headers=staff.headers).get_json()["items"]
    assert [a["id"] for a in mine] == [draft["id"]]


def test_anonymous_callers_cannot_write(make, client):
    response = client.post(f"{API}/announcements", json=make.body())
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_editing_a_published_announcement_keeps_versions_and_tells_subscribers(
    make, client, outbox
):
    staff = make.staff()
    news = make.published(staff)
    response = client.patch(
        f"{API}/announcements/{news['id']}",
        json={"title": {"en": "Corrected title"}, "body": {"en": "New *text*"}},
        headers=staff.headers,
    )
    assert response.status_code == 200
    edited = response.get_json()
    assert edited["version"] == 2
    assert edited["body_html"]["en"] == "<p>New <em>text</em></p>\n"
    versions = client.get(f"{API}/announcements/{news['id']}/versions", headers=staff.headers)
    [previous] = versions.get_json()
    assert previous["version"] == 1
    assert previous["snapshot"]["title"] == news["title"]
    [updated] = outbox("announcement.updated")
    assert updated["announcement"]["title"] == {"en": "Corrected title"}


def test_an_organisation_admin_cannot_touch_another_organisations_announcements(make, client):
    ours, theirs = make.organisation(), make.organisation()
    admin, intruder = make.admin_of(ours), make.admin_of(theirs)
    draft = make.draft(admin, author_organisation_id=str(ours.id))
    url = f"{API}/announcements/{draft['id']}"
    assert (
        client.patch(url, json={"title": {"en": "Hijacked"}}, headers=intruder.headers).status_code
        == 404
    )
    assert client.post(f"{url}/publish", json={}, headers=intruder.headers).status_code == 404
    assert client.post(f"{url}/withdraw", json={}, headers=intruder.headers).status_code == 404
    # Writing in another organisation's name is refused too.
    response = client.post(
        f"{API}/announcements",
        json=make.body(author_organisation_id=str(ours.id)),
        headers=intruder.headers,
    )
    assert response.status_code == 403
    # A mere member of the organisation cannot write for it either.
    response = client.post(
        f"{API}/announcements",
        json=make.body(author_organisation_id=str(ours.id)),
        headers=make.member_of(ours).headers,
    )
    assert response.status_code == 403
    member = make.member_of(ours)
    # Refused for not being an admin, before the draft is looked up: whether it exists is not said.
    for response in (
        client.post(f"{url}/publish", json={}, headers=member.headers),
        client.patch(url, json={"title": {"en": "x"}}, headers=member.headers),
    ):
        assert (response.status_code, response.get_json()["code"]) == (403, "access.admin_only")
    shown = client.get(url, headers=admin.headers).get_json()
    assert shown["title"] == draft["title"] and shown["status"] == "draft"

    # Once published, it can be read by all but still not changed or withdrawn by outsiders.
    client.post(f"{url}/publish", json={}, headers=admin.headers)
    client.post(f"{url}/approve", headers=make.staff().headers)
    for person in (intruder, member):
        assert client.post(f"{url}/withdraw", json={}, headers=person.headers).status_code == 403
        response = client.patch(url, json={"title": {"en": "Hijacked"}}, headers=person.headers)
        assert response.status_code == 403
        assert response.mimetype == "application/problem+json"
    shown = client.get(url).get_json()
    assert shown["title"] == draft["title"] and shown["status"] == "published"
