"""Anonymous directory and profile reads answered from memory, never older than the database."""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY

DIRECTORY = "/api/members/v1/directory?q=sensor&limit=20"


@pytest.fixture
def sensing(make):
    return make.organisation(
        name="Jiangning Smart Sensing",
        name_zh="江宁智感物联",
        country="CN",
        park="jiangning",
        sectors=["iot"],
        description={"en": "Industrial IoT sensors.", "zh": "工业物联网传感器。"},
    )


@pytest.fixture
def second_worker(app):
    """Another app from the factory on the same database: a second gunicorn worker's memory."""
    from services.members import create_app

    return create_app({"TESTING": True}).test_client()


def _names(response) -> list[str]:
    assert response.status_code == 200, response.json
    return [item["name"] for item in response.json["items"]]


def test_a_repeated_anonymous_read_is_answered_from_memory_with_the_same_body(client, sensing):
    first = client.get(DIRECTORY, headers={"X-Request-ID": "first-read"})
    second = client.get(DIRECTORY, headers={"X-Request-ID": "second-read"})
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert second.data == first.data and _names(second) == ["Jiangning Smart Sensing"]
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Content-Type"] == "application/json"
    assert second.headers["Vary"] == first.headers["Vary"]
    # Each answer has its own request id, never the one stored with the body.
    assert (first.headers["X-Request-ID"], second.headers["X-Request-ID"]) == (
        "first-read",
        "second-read",
    )


def test_a_write_in_another_process_is_seen_by_the_next_read(client, second_worker, make, sensing):
    assert _names(second_worker.get(DIRECTORY)) == ["Jiangning Smart Sensing"]
    assert second_worker.get(DIRECTORY).headers["X-Cache"] == "hit"
    admin = make.admin(sensing)
    renamed = client.patch(
        f"/api/members/v1/organisations/{sensing.id}",
        json={"name": "Jiangning Sensor Works"},
        headers=make.headers(admin),
    )
    assert renamed.status_code == 200, renamed.json
    after = second_worker.get(DIRECTORY)
    assert after.headers["X-Cache"] == "miss"
    assert _names(after) == ["Jiangning Sensor Works"]


def test_a_suspended_organisation_leaves_the_cached_directory_and_profile(client, make, sensing):
    profile = f"/api/members/v1/organisations/{sensing.id}"
    assert client.get(profile).status_code == 200
    assert client.get(profile).headers["X-Cache"] == "hit"
    assert _names(client.get(DIRECTORY)) == ["Jiangning Smart Sensing"]
    staff = make.platform_admin()
    suspended = client.post(
        f"{profile}/suspend", json={"reason": "Registration lapsed."}, headers=make.headers(staff)
    )
    assert suspended.status_code == 200, suspended.json
    assert client.get(profile).status_code == 404
    assert _names(client.get(DIRECTORY)) == []


def test_a_revalidation_from_memory_is_a_bodiless_304_with_the_validators(client, sensing):
    profile = f"/api/members/v1/organisations/{sensing.id}"
    etag = client.get(profile).headers["ETag"]
    again = client.get(profile, headers={"If-None-Match": etag})
    assert (again.status_code, again.headers["X-Cache"], again.data) == (304, "hit", b"")
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "public, no-cache"
    assert "Content-Type" not in again.headers
    other = client.get(profile, headers={"If-None-Match": '"someone-elses"'})
    assert (other.status_code, other.headers["X-Cache"]) == (200, "hit")


def test_each_language_has_its_own_stored_answer(client, sensing):
    english = client.get(DIRECTORY, headers={"Accept-Language": "en"})
    chinese = client.get(DIRECTORY, headers={"Accept-Language": "zh-CN"})
    assert chinese.headers["X-Cache"] == "miss"
    assert english.json["items"][0]["description"] == "Industrial IoT sensors."
    assert chinese.json["items"][0]["description"] == "工业物联网传感器。"
    assert client.get(DIRECTORY, headers={"Accept-Language": "zh-CN"}).json == chinese.json


def test_signed_in_readers_and_no_cache_requests_are_rendered_afresh(client, make, sensing):
    client.get(DIRECTORY)
    signed_in = client.get(DIRECTORY, headers=make.headers(make.admin(sensing)))
    assert signed_in.status_code == 200 and "X-Cache" not in signed_in.headers
    fresh = client.get(DIRECTORY, headers={"Cache-Control": "no-cache"})
    assert (fresh.status_code, fresh.headers["X-Cache"]) == (200, "miss")


def test_refusals_are_never_stored(client):
    for _ in range(2):
        refused = client.get("/api/members/v1/directory?limit=0")
        assert refused.status_code == 422
        assert refused.headers["X-Cache"] == "miss"
        assert refused.content_type == "application/problem+json"


def test_answers_from_memory_are_counted_under_their_route(client, sensing):
    labels = {
        "service": "members",
        "method": "GET",
        "endpoint": "/api/members/v1/organisations/<uuid:organisation_id>",
        "status": "304",
    }
    before = REGISTRY.get_sample_value("http_requests_total", labels) or 0.0
    profile = f"/api/members/v1/organisations/{sensing.id}"
    etag = client.get(profile).headers["ETag"]
    assert client.get(profile, headers={"If-None-Match": etag}).headers["X-Cache"] == "hit"
    assert REGISTRY.get_sample_value("http_requests_total", labels) == before + 1


def test_a_write_bumps_the_version_once_and_a_failed_one_not_at_all(app, make, sensing):
    from services.members.models import Organisation, db, organisations_version

    before = organisations_version()
    with db.transaction() as session:
        for name in ("First rename", "Second rename"):
            session.get(Organisation, sensing.id).name = name
            session.flush()
    assert organisations_version() == before + 1
    with pytest.raises(RuntimeError), db.transaction() as session:
        session.get(Organisation, sensing.id).name = "Never written"
        session.flush()
        raise RuntimeError("the write fails after its flush")
    assert organisations_version() == before + 1


def test_signed_in_readers_get_kept_pages_never_older_than_the_database(
    client, second_worker, make, sensing
):
    """Past the token, a signed-in reader's directory page is kept per process too
    (`directory._answers`), under the same version as the anonymous answers."""
    admin = make.admin(sensing)
    reader = make.headers(admin)
    assert _names(client.get(DIRECTORY, headers=reader)) == ["Jiangning Smart Sensing"]
    assert _names(second_worker.get(DIRECTORY, headers=reader)) == ["Jiangning Smart Sensing"]
    renamed = client.patch(
        f"/api/members/v1/organisations/{sensing.id}",
        json={"name": "Jiangning Sensor Works"},
        headers=reader,
    )
    assert renamed.status_code == 200, renamed.json
    assert _names(second_worker.get(DIRECTORY, headers=reader)) == ["Jiangning Sensor Works"]
    in_chinese = second_worker.get(DIRECTORY, headers={**reader, "Accept-Language": "zh"})
    assert in_chinese.status_code == 200
    assert (
        second_worker.get(DIRECTORY, headers={"Authorization": "Bearer forged"}).status_code == 401
    )
