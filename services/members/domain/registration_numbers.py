"""Registration numbers checked against their country's rules (python-stdnum does the maths).

France: a SIREN (9 digits) or a SIRET (14 digits), both with a Luhn check digit. China: the
18-character Unified Social Credit Code with its check character. Elsewhere the number is kept
as given (spaces removed): we know no rule to check it against.
"""

from __future__ import annotations

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError
from stdnum.fr import siren, siret

from shared.errors import ValidationFailed

POINTER = "organisation/registration_number"
CHECKED_COUNTRIES = frozenset({"FR", "CN"})


def _french(number: str) -> str:
    compact = siren.compact(number)
    if not compact.isdigit():
        raise ValueError(
            "A French registration number is a SIREN (9 digits) or a SIRET (14 digits): "
            "use digits only."
        )
    if len(compact) == 9:
        module, label = siren, "SIREN"
    elif len(compact) == 14:
        module, label = siret, "SIRET"
    else:
        raise ValueError(
            f"A French registration number is a SIREN (9 digits) or a SIRET (14 digits), "
            f"not {len(compact)} digits."
        )
    try:
        return module.validate(compact)
    except InvalidChecksum as exc:
        raise ValueError(f"This {label}'s check digit is wrong: check for a typing error.") from exc
    except ValidationError as exc:
        raise ValueError(f"This is not a valid {label}.") from exc


def _chinese(number: str) -> str:
    label = "Unified Social Credit Code"
    try:
        return uscc.validate(number)
    except InvalidLength as exc:
        raise ValueError(f"A {label} has 18 characters.") from exc
    except InvalidChecksum as exc:
        raise ValueError(
            f"This {label}'s check character is wrong: check for a typing error."
        ) from exc
    except (InvalidComponent, ValidationError) as exc:
        raise ValueError(
            f"A {label} has 8 digits, then 10 digits or capital letters (not I, O, S, V or Z)."
        ) from exc


def normalise(country: str, number: str) -> str:
    """The number in its stored form; a 422 on `/organisation/registration_number` if invalid."""
    try:
        if country == "FR":
            return _french(number)
        if country == "CN":
            return _chinese(number)
    except ValueError as exc:
        raise ValidationFailed.field(
            POINTER, str(exc), rule="organisation.registration_number_invalid"
        ) from exc
    compact = "".join(number.split())
    if not compact:
        raise ValidationFailed.field(
            POINTER,
            "Give the organisation's registration number.",
            rule="organisation.registration_number_missing",
        )
    return compact


def is_checked(country: str) -> bool:
    """Whether numbers of this country are verified by their check digits."""
    return country in CHECKED_COUNTRIES
