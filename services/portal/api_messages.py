"""The APIs' English error details in the reader's language.

The APIs answer in English; the portal shows their messages next to the fields or above the
form, so it translates the ones it knows. Each area keeps its API's table (exact details, and
patterns for details that carry a value) and looks a detail up with `say()`, which falls back to
members' messages here (the ones every form may meet), then to the detail as the API wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from flask_babel import gettext as _

from .api_client import ApiError

# A detail that carries a value (a count, a name): its regular expression, and how to say it.
Pattern = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]

_USCC = "Unified Social Credit Code"


def _exact() -> dict[str, str]:
    return {
        "Already registered.": _("Already registered."),
        "Already invited.": _("Already invited."),
        "Give a name.": _("Give a name."),
        "The current password is not correct.": _("The current password is not correct."),
        "The password is too long.": _("The password is too long."),
        "Give the organisation's registration number.": _(
            "Give the organisation's registration number."
        ),
        "Write the name in Latin script; give the Chinese name as name_zh.": _(
            "Write the name in Latin script; give the Chinese name in its own field."
        ),
        "The Chinese name is written in Chinese characters.": _(
            "The Chinese name is written in Chinese characters."
        ),
        "Use an IANA time zone such as Europe/Paris.": _("Choose a time zone from the list."),
        "Use an IANA time zone such as Europe/Paris or Asia/Shanghai.": _(
            "Choose a time zone from the list."
        ),
        "A French registration number is a SIREN (9 digits) or a SIRET (14 digits): "
        "use digits only.": _(
            "A French registration number is a SIREN (9 digits) or a SIRET (14 digits): "
            "use digits only."
        ),
        f"A {_USCC} has 18 characters.": _("A unified social credit code has 18 characters."),
        f"This {_USCC}'s check character is wrong: check for a typing error.": _(
            "This unified social credit code's check character is wrong: check for a typing error."
        ),
        f"A {_USCC} has 8 digits, then 10 digits or capital letters (not I, O, S, V or Z).": _(
            "A unified social credit code has 8 digits, then 10 digits or capital letters "
            "(not I, O, S, V or Z)."
        ),
        "The organisation's last admin cannot leave or step down; make someone else admin "
        "first.": _(
            "The last administrator cannot leave or step down: make someone else "
            "administrator first."
        ),
    }


def _patterns() -> list[Pattern]:
    return [
        (
            re.compile(
                r"A French registration number is a SIREN \(9 digits\) or a SIRET \(14 digits\), "
                r"not (\d+) digits\."
            ),
            lambda m: _(
                "A French registration number is a SIREN (9 digits) or a SIRET (14 digits), "
                "not %(count)s digits.",
                count=m.group(1),
            ),
        ),
        (
            re.compile(r"This (SIREN|SIRET)'s check digit is wrong: check for a typing error\."),
            lambda m: _(
                "This %(label)s's check digit is wrong: check for a typing error.",
                label=m.group(1),
            ),
        ),
        (
            re.compile(r"This is not a valid (SIREN|SIRET)\."),
            lambda m: _("This is not a valid %(label)s.", label=m.group(1)),
        ),
        (
            re.compile(r"Use at least (\d+) characters for the password\."),
            lambda m: _("Use at least %(count)s characters.", count=m.group(1)),
        ),
    ]


def _known(detail: str, exact: Mapping[str, str], patterns: Iterable[Pattern]) -> str | None:
    found = exact.get(detail)
    if found is not None:
        return found
    for pattern, message in patterns:
        match = pattern.fullmatch(detail)
        if match:
            return message(match)
    return None


def translate(detail: str) -> str:
    """`detail` in the reader's language when the portal knows it, else as members wrote it."""
    found = _known(detail, _exact(), _patterns())
    return detail if found is None else found


def say(detail: str, exact: Mapping[str, str], patterns: Iterable[Pattern] = ()) -> str:
    """An area's API detail in the reader's language: from its table, else as `translate`."""
    found = _known(detail, exact, patterns)
    return translate(detail) if found is None else found


def translated(
    error: ApiError, exact: Mapping[str, str], patterns: Iterable[Pattern] = ()
) -> ApiError:
    """`error` with its field details and its own detail said as `say` does (changed in place)."""
    patterns = list(patterns)
    error.errors = [
        {**entry, "detail": say(str(entry.get("detail", "")), exact, patterns)}
        for entry in error.errors
    ]
    error.detail = say(error.detail, exact, patterns) if error.detail else ""
    return error
