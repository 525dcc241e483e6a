"""Registration numbers normalised and checked per country."""

from __future__ import annotations

import pytest

from services.members.domain import registration_numbers
from shared.errors import ValidationFailed


@pytest.mark.parametrize(
    ("country", "given", "stored"),
    [
        ("FR", "732 829 320", "732829320"),
        ("FR", "732.829.320", "732829320"),
        ("FR", "732 829 320 00074", "73282932000074"),
        ("CN", "91110000600037341L", "91110000600037341L"),
        ("CN", "9111 0000 6000 3734 1l", "91110000600037341L"),
        ("GB", " 0123 4567 ", "01234567"),
    ],
)
def test_numbers_are_stored_without_separators(country, given, stored):
    assert registration_numbers.normalise(country, given) == stored


@pytest.mark.parametrize(
    ("country", "number", "message"),
    [
        ("FR", "732829321", "This SIREN's check digit is wrong"),
        ("FR", "73282932000075", "This SIRET's check digit is wrong"),
        ("FR", "12345", "not 5 digits"),
        ("CN", "91110000600037341M", "This Unified Social Credit Code's check character is wrong"),
        ("CN", "91110000I00037341L", "not I, O, S, V or Z"),
        ("DE", "   ", "Give the organisation's registration number"),
    ],
)
def test_invalid_numbers_name_the_field_and_the_mistake(country, number, message):
    with pytest.raises(ValidationFailed) as caught:
        registration_numbers.normalise(country, number)
    [error] = caught.value.errors
    assert error["pointer"] == "/organisation/registration_number"
    assert message in error["detail"]


def test_only_french_and_chinese_numbers_are_checked():
    assert registration_numbers.is_checked("FR") and registration_numbers.is_checked("CN")
    assert not registration_numbers.is_checked("DE")
