"""members' English error details in the reader's language.

The APIs answer in English; the portal shows their field messages next to the fields, so it
translates the ones it knows. A detail it does not know is shown as members wrote it.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

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


def _patterns():
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


def translate(detail: str) -> str:
    """`detail` in the reader's language when the portal knows it, else as members wrote it."""
    known = _exact().get(detail)
    if known is not None:
        return known
    for pattern, message in _patterns():
        found = pattern.fullmatch(detail)
        if found:
            return message(found)
    return detail
