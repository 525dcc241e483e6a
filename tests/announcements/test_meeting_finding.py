"""Finding whom to meet: the participant list with filters and pages, and ranked suggestions."""

from __future__ import annotations

from services.announcements.models import Organisation, db
from tests.announcements.meeting_setup import Brokerage


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["items"]]


def _forum(make, client):
    brokerage = Brokerage(make, client)
    french = brokerage.join(
        make.organisation(country="FR", sectors=["iot"], kind="company"),
        "fr",
        offers={"fr": "Capteurs pour bâtiments", "en": "Building sensors"},
        seeks={"en": "A laboratory for biosensors"},
        sectors=["iot", "biotech_health"],
        countries_sought=["CN"],
    )
    lab = brokerage.join(
        make.organisation(country="CN", park="jiangning", kind="research_lab", sectors=[]),
        "zh",
        offers={"zh": "生物传感器实验室", "en": "Biosensors laboratory"},
        seeks={"zh": "欧洲合作伙伴"},
        sectors=["biotech_health"],
        attendance="online",
        session_ids=[brokerage.sessions[1]],
        timezone="Asia/Shanghai",
    )
    german = brokerage.join(
        make.organisation(country="DE", park="other", sectors=["energy"]),
        offers={"en": "Batteries"},
        sectors=["energy"],
    )
    return brokerage, french, lab, german


def test_participants_are_listed_with_filters(make, client):
    brokerage, french, lab, german = _forum(make, client)
    url = f"{brokerage.url}/matchmaking/participants"
    headers = french.person.headers
    assert _ids(client.get(url, headers=headers)) == [french.id, lab.id, german.id]
    assert _ids(client.get(f"{url}?country=CN", headers=headers)) == [lab.id]
    assert _ids(client.get(f"{url}?park=jiangning", headers=headers)) == [lab.id]
    assert _ids(client.get(f"{url}?kind=research_lab", headers=headers)) == [lab.id]
    assert _ids(client.get(f"{url}?sector=biotech_health", headers=headers)) == [
        french.id,
        lab.id,
    ]
    assert _ids(client.get(f"{url}?q=传感器", headers=headers)) == [lab.id]
    assert _ids(client.get(f"{url}?q=BIOSENSORS", headers=headers)) == [french.id, lab.id]
    assert _ids(client.get(f"{url}?q=100%25", headers=headers)) == []
    assert _ids(client.get(f"{url}?attendance=online", headers=headers)) == [
        french.id,
        lab.id,
        german.id,
    ]
    assert _ids(client.get(f"{url}?attendance=in_person", headers=headers)) == [
        french.id,
        german.id,
    ]
    for bad in ("country=France", "sector=alchemy", "attendance=both", "q=x", "limit=0"):
        response = client.get(f"{url}?{bad}", headers=headers)
        assert response.status_code == 422, bad
        assert response.mimetype == "application/problem+json"


def test_the_list_pages_by_cursor_and_hides_organisations_no_longer_verified(make, client):
    brokerage, french, lab, german = _forum(make, client)
    url = f"{brokerage.url}/matchmaking/participants"
    first = client.get(f"{url}?limit=2", headers=lab.person.headers)
    assert _ids(first) == [french.id, lab.id]
    cursor = first.get_json()["next"]
    assert 'rel="next"' in first.headers["Link"]
    second = client.get(f"{url}?limit=2&cursor={cursor}", headers=lab.person.headers)
    assert _ids(second) == [german.id] and second.get_json()["next"] is None
    assert client.get(f"{url}?cursor=garbage", headers=lab.person.headers).status_code == 422
    with db.transaction() as session:
        session.get(Organisation, german.organisation.id).status = "suspended"
    assert _ids(client.get(url, headers=lab.person.headers)) == [french.id, lab.id]
    # A person of the suspended organisation no longer reads the list.
    response = client.get(url, headers=german.person.headers)
    assert response.status_code == 403
    assert response.get_json()["code"] == "organisation.suspended"


def test_the_list_is_for_participants_and_organisers(make, client):
    brokerage, *_ = _forum(make, client)
    url = f"{brokerage.url}/matchmaking/participants"
    assert len(_ids(client.get(url, headers=brokerage.organiser.headers))) == 3
    assert len(_ids(client.get(url, headers=brokerage.staff.headers))) == 3
    attendee = make.member_of(make.organisation())
    brokerage.register(attendee)
    assert client.get(url, headers=attendee.headers).status_code == 404
    assert client.get(url).status_code == 401


def test_suggestions_are_ranked_with_reasons_in_the_readers_language(make, client):
    brokerage, french, lab, _german = _forum(make, client)
    url = f"{brokerage.url}/matchmaking/suggestions"
    found = client.get(url, headers=french.person.headers)
    assert found.status_code == 200, found.get_json()
    suggestions = found.get_json()
    assert [s["participant"]["id"] for s in suggestions] == [lab.id]
    codes = [r["code"] for r in suggestions[0]["reasons"]]
    assert codes == ["country_sought", "shared_sector", "france_china", "offers_what_you_seek"]
    texts = {r["code"]: r["text"] for r in suggestions[0]["reasons"]}
    assert texts["france_china"] == "Un partenariat France-Chine, le but du forum."
    assert "biosensors" in texts["offers_what_you_seek"]
    # The same reasons in Chinese when asked, and the lab is suggested the French company.
    chinese = client.get(f"{url}?lang=zh", headers=french.person.headers).get_json()
    assert chinese[0]["reasons"][2]["text"].startswith("中法合作")
    theirs = client.get(url, headers=lab.person.headers).get_json()
    assert [s["participant"]["id"] for s in theirs] == [french.id]
    assert theirs[0]["reasons"][0]["text"].startswith("共同领域")


def test_suggestions_leave_out_those_already_asked_met_or_declined(make, client):
    brokerage, french, lab, _german = _forum(make, client)
    other_french = brokerage.join(
        make.organisation(country="FR"), sectors=["biotech_health"], countries_sought=["CN"]
    )
    url = f"{brokerage.url}/matchmaking/suggestions"
    before = [s["participant"]["id"] for s in client.get(url, headers=lab.person.headers).json]
    assert set(before) == {french.id, other_french.id}
    meeting = brokerage.requested(lab, french, online=None)
    after = [s["participant"]["id"] for s in client.get(url, headers=lab.person.headers).json]
    assert after == [other_french.id]
    declined = client.post(
        f"{brokerage.url}/meetings/{meeting['id']}/decline",
        json={"note": "Not this year."},
        headers=french.person.headers,
    )
    assert declined.status_code == 200, declined.get_json()
    after = [s["participant"]["id"] for s in client.get(url, headers=lab.person.headers).json]
    assert after == [other_french.id]
    outsider = make.member_of(make.organisation())
    assert client.get(url, headers=outsider.headers).status_code == 404
