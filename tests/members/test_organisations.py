"""Registering an organisation with its first admin: validation, duplicates, hints, events."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from services.members.models import Membership, Organisation, User, db

URL = "/api/members/v1/organisations"


def _count(model) -> int:
    with db.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(model)).scalar_one()


def _pointers(response) -> list[str]:
    return [e.get("pointer") for e in response.json.get("errors", [])]


def test_registration_creates_a_pending_organisation_and_its_admin(client, make):
    body = make.registration(
        name="Azur Génomique", registration_number="853 926 145", sectors=["biotech_health"]
    )
    response = client.post(URL, json=body)
    assert response.status_code == 201, response.json
    org = response.json["organisation"]
    assert org["status"] == "pending"
    assert org["registration_number"] == "853926145"  # spaces stripped
    assert org["name"] == "Azur Génomique"
    assert "hints" not in org  # staff only
    assert response.json["admin"]["email"] == body["admin"]["email"]
    with db.transaction() as session:
        membership = session.scalars(select(Membership)).one()
        assert membership.role == "org_admin"
        assert str(membership.organisation_id) == org["id"]


def test_chinese_company_registers_with_its_uscc_and_chinese_name(client, make):
    number = make.uscc()
    body = make.registration(
        name="Nanjing Biotech",
        name_zh="南京生物科技有限公司",
        country="cn",
        park="jiangning",
        city="Nanjing",
        registration_number=f" {number[:9]} {number[9:]} ",
    )
    response = client.post(URL, json=body)
    assert response.status_code == 201, response.json
    org = response.json["organisation"]
    assert (org["country"], org["registration_number"]) == ("CN", number)
    assert org["name_zh"] == "南京生物科技有限公司"
    with db.transaction() as session:
        stored = session.get(Organisation, uuid.UUID(org["id"]))
        assert stored.name_pinyin == "nan jing sheng wu ke ji you xian gong si"


def test_other_countries_keep_the_number_unchecked_but_without_spaces(client, make):
    body = make.registration(country="DE", registration_number="HRB 12345 B")
    response = client.post(URL, json=body)
    assert response.status_code == 201
    assert response.json["organisation"]["registration_number"] == "HRB12345B"


@pytest.mark.parametrize(
    ("country", "number", "message"),
    [
        ("FR", "732829321", "This SIREN's check digit is wrong"),
        ("FR", "73282932000075", "This SIRET's check digit is wrong"),
        ("FR", "7328293", "SIREN (9 digits) or a SIRET (14 digits)"),
        ("FR", "73282932A", "use digits only"),
        ("CN", "91110000600037341M", "check character is wrong"),
        ("CN", "9111000060003734", "has 18 characters"),
        ("CN", "A1110000600037341L", "8 digits"),
    ],
)
def test_an_invalid_registration_number_is_refused_with_a_clear_field_error(
    client, make, country, number, message
):
    body = make.registration(country=country, registration_number=number)
    response = client.post(URL, json=body)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    [error] = response.json["errors"]
    assert error["pointer"] == "/organisation/registration_number"
    assert message in error["detail"]
    assert _count(Organisation) == 0 and _count(User) == 0


@pytest.mark.parametrize(
    ("overrides", "pointer"),
    [
        ({"sectors": ["biotech_health", "astrology"]}, "/organisation/sectors/1"),
        ({"sectors": []}, "/organisation/sectors"),
        ({"country": "XX"}, "/organisation/country"),
        ({"country": "France"}, "/organisation/country"),
        ({"park": "silicon_valley"}, "/organisation/park"),
        ({"kind": "cartel"}, "/organisation/kind"),
        ({"size": "huge"}, "/organisation/size"),
        ({"website": "ftp://files.example"}, "/organisation/website"),
        ({"name": "南京生物"}, "/organisation/name"),
        ({"name": "x" * 201}, "/organisation/name"),
        ({"name_zh": "Nanjing"}, "/organisation/name_zh"),
        ({"description": {"de": "Hallo"}}, "/organisation/description"),
        ({"description": {"en": "x" * 5001}}, "/organisation/description"),
        ({"registration_number": "1" * 41}, "/organisation/registration_number"),
        ({"colour": "blue"}, "/organisation/colour"),
    ],
)
def test_invalid_organisation_fields_are_field_errors(client, make, overrides, pointer):
    response = client.post(URL, json=make.registration(**overrides))
    assert response.status_code == 422
    assert pointer in _pointers(response)
    assert _count(Organisation) == 0


@pytest.mark.parametrize(
    ("overrides", "pointer"),
    [
        ({"email": "not-an-email"}, "/admin/email"),
        ({"password": "short"}, "/admin/password"),
        ({"timezone": "Mars/Olympus"}, "/admin/timezone"),
        ({"language": "de"}, "/admin/language"),
        ({"full_name": ""}, "/admin/full_name"),
    ],
)
def test_invalid_admin_fields_are_field_errors(client, make, overrides, pointer):
    response = client.post(URL, json=make.registration(admin=overrides))
    assert response.status_code == 422
    assert pointer in _pointers(response)
    assert _count(User) == 0 and _count(Organisation) == 0


def test_missing_parts_are_field_errors(client):
    response = client.post(URL, json={"organisation": {"name": "Lonely"}})
    assert response.status_code == 422
    pointers = _pointers(response)
    assert "/admin" in pointers
    assert "/organisation/registration_number" in pointers


def _shape(value):
    """The keys of a JSON body, nested, without the values."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    return type(value).__name__


def test_a_taken_email_is_answered_like_a_new_one_and_nothing_is_written(client, make):
    make.user(email="taken@example.fr")
    fresh = client.post(URL, json=make.registration(admin={"email": "new@example.fr"}))
    taken = client.post(URL, json=make.registration(admin={"email": "Taken@Example.fr"}))
    assert taken.status_code == fresh.status_code == 201
    assert _shape(taken.json) == _shape(fresh.json)
    assert taken.json["admin"]["email"] == "taken@example.fr"
    assert _count(Organisation) == 1 and _count(User) == 2
    assert len(make.events("organisation.registered")) == 1


def test_a_registration_number_taken_in_the_same_country_is_a_conflict(client, make):
    number = make.siren()
    assert client.post(URL, json=make.registration(registration_number=number)).status_code == 201
    again = client.post(
        URL, json=make.registration(registration_number=f"{number[:3]} {number[3:]}")
    )
    assert again.status_code == 409
    assert _pointers(again) == ["/organisation/registration_number"]
    assert _count(Organisation) == 1 and _count(User) == 1
    elsewhere = make.registration(country="BE", registration_number=number)
    assert client.post(URL, json=elsewhere).status_code == 201


def test_hints_tell_staff_whether_the_number_was_checked_and_the_domains_match(client, make):
    matching = make.registration(
        website="https://www.lerins-connect.example",
        admin={"email": "julien@labs.lerins-connect.example"},
    )
    webmail = make.registration(
        country="US",
        registration_number="EIN 12-3456789",
        website="https://acme.example",
        admin={"email": "boss@mail.example"},
    )
    first = client.post(URL, json=matching).json["organisation"]["id"]
    second = client.post(URL, json=webmail).json["organisation"]["id"]
    staff = make.headers(make.platform_admin())
    assert client.get(f"{URL}/{first}", headers=staff).json["hints"] == {
        "registration_number_valid": True,
        "email_domain_matches_website": True,
    }
    assert client.get(f"{URL}/{second}", headers=staff).json["hints"] == {
        "registration_number_valid": None,
        "email_domain_matches_website": False,
    }


def test_registration_records_the_organisation_and_its_first_member_in_the_outbox(client, make):
    body = make.registration(name="Studio Brague XR", sectors=["virtual_augmented_reality"])
    response = client.post(URL, json=body)
    org = response.json["organisation"]
    user_id = response.json["admin"]["id"]
    registered, joined, received = make.events()
    assert registered["type"] == "organisation.registered"
    assert registered["source"] == "members"
    assert registered["data"] == {
        "id": org["id"],
        "name": "Studio Brague XR",
        "name_zh": None,
        "country": "FR",
        "park": "sophia_antipolis",
        "city": "Sophia Antipolis",
        "kind": "company",
        "size": "small",
        "sectors": ["virtual_augmented_reality"],
        "website": body["organisation"]["website"],
        "description": {"en": "Sensors for smart buildings."},
        "status": "pending",
    }
    assert joined["type"] == "member.joined"
    assert joined["data"]["organisation_id"] == org["id"]
    assert joined["data"]["user_id"] == user_id
    assert joined["data"]["role"] == "org_admin"
    assert joined["data"]["email"] == body["admin"]["email"]
    # Staff are told, with the registrant and the register's number (no staff exist here).
    assert received["type"] == "organisation.registration_received"
    assert received["data"]["id"] == org["id"]
    assert received["data"]["registrant"] == {
        "user_id": user_id,
        "full_name": body["admin"]["full_name"],
        "email": body["admin"]["email"],
    }
    assert received["data"]["staff"] == []


def test_staff_to_tell_are_named_with_how_to_reach_them(client, make):
    staff = make.platform_admin(full_name="Claire Martin", language="fr")
    client.post(URL, json=make.registration())
    [received] = make.events("organisation.registration_received")
    assert received["data"]["staff"] == [
        {
            "id": str(staff.id),
            "email": staff.email,
            "full_name": "Claire Martin",
            "language": "fr",
            "timezone": staff.timezone,
        }
    ]


def test_a_body_that_is_not_json_is_refused(client):
    response = client.post(URL, data="name=x", content_type="text/plain")
    assert response.status_code == 415
