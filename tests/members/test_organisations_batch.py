"""Several organisations in one read: what each caller may see, in the order asked, bounded."""

from __future__ import annotations

import uuid

from services.members.schemas.organisations import MAX_BATCH_IDS

URL = "/api/members/v1/organisations/batch"


def _ids(*ids) -> str:
    return ",".join(str(i) for i in ids)


def test_verified_organisations_come_in_the_order_asked_unknown_ids_left_out(client, make):
    first, _ = make.registered(name="Azur Génomique")
    second, _ = make.registered(name="Zijin Bio")
    unknown = uuid.uuid4()
    response = client.get(URL, query_string={"ids": _ids(second.id, unknown, first.id, second.id)})
    assert response.status_code == 200, response.json
    items = response.json["items"]
    assert [i["name"] for i in items] == ["Zijin Bio", "Azur Génomique"]  # repeats count once
    assert all("hints" not in i and "status_reason" not in i for i in items)


def test_each_organisation_is_shown_as_its_single_read_shows_it(client, make):
    verified, _ = make.registered(name="Shown Everywhere")
    hidden, _ = make.registered(status="suspended", name="Suspended Lab")
    member = make.user(hidden)
    ids = {"ids": _ids(verified.id, hidden.id)}

    anonymous = client.get(URL, query_string=ids).json["items"]
    assert [i["name"] for i in anonymous] == ["Shown Everywhere"]
    _other, outsider = make.registered()
    other = client.get(URL, query_string=ids, headers=make.headers(outsider)).json["items"]
    assert [i["name"] for i in other] == ["Shown Everywhere"]  # another tenant's is hidden

    own = client.get(URL, query_string=ids, headers=make.headers(member)).json["items"]
    assert [i["name"] for i in own] == ["Shown Everywhere", "Suspended Lab"]
    assert own[1]["status_reason"] == "Test suspension." and "hints" not in own[1]
    staff = client.get(URL, query_string=ids, headers=make.headers(make.platform_admin()))
    assert [("hints" in i) for i in staff.json["items"]] == [True, True]


def test_more_ids_than_the_limit_are_refused_as_a_problem(client, make):
    org, _ = make.registered()
    at_limit = [org.id] + [uuid.uuid4() for _ in range(MAX_BATCH_IDS - 1)]
    assert client.get(URL, query_string={"ids": _ids(*at_limit)}).status_code == 200
    response = client.get(URL, query_string={"ids": _ids(*at_limit, uuid.uuid4())})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.json["code"] == "validation_failed"
    (error,) = response.json["errors"]
    assert error["code"] == "too_long" and error["params"]["max"] == MAX_BATCH_IDS


def test_missing_empty_or_malformed_ids_are_field_errors(client):
    for query in ({}, {"ids": ""}, {"ids": "not-a-uuid"}, {"ids": f"{uuid.uuid4()},,x"}):
        response = client.get(URL, query_string=query)
        assert response.status_code == 422, (query, response.json)
        assert response.mimetype == "application/problem+json"
        assert response.json["code"] == "validation_failed"
        assert response.json["errors"][0]["parameter"].split("/")[0] == "ids"


def test_the_batch_read_is_in_the_openapi_document_with_its_access_rule(client):
    document = client.get("/api/members/v1/openapi.json").json
    operation = document["paths"]["/api/members/v1/organisations/batch"]["get"]
    assert any(p["name"] == "ids" for p in operation["parameters"])
    assert "422" in operation["responses"]
    assert operation["x-access"]["anonymous"] is True
    assert operation["x-access"]["scope"] == "directory:read"
