"""Where the portal may send a browser back to: a path of this site, nothing else.

`next`, `back` and a notification's link come from the request or from data, so an attacker can
choose them. Browsers drop tabs and newlines from URLs and read a backslash as a slash, so
`/\\t/evil.example` or `/\\evil.example` leave the site although they start with one slash; and a
CR/LF would split the Location header. A target is therefore judged after percent-decoding
(repeatedly, for doubly encoded forms): a control character is a bad request (400); a scheme, a
host, `//`, a backslash or anything not starting with `/` falls back to a safe default.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

from werkzeug.exceptions import BadRequest

_DECODING_ROUNDS = 4


class UnsafeRedirect(BadRequest):
    description = "The address to return to holds control characters."


def _decodings(target: str) -> list[str]:
    """The target and each percent-decoding of it, until decoding changes nothing."""
    forms = [target]
    for _ in range(_DECODING_ROUNDS):
        decoded = unquote(forms[-1])
        if decoded == forms[-1]:
            break
        forms.append(decoded)
    return forms


def _has_control(text: str) -> bool:
    return any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in text)


def _same_site_path(text: str) -> bool:
    if not text.startswith("/") or text.startswith("//") or "\\" in text:
        return False
    parts = urlsplit(text)
    return not parts.scheme and not parts.netloc


def safe_path(target: str | None, default: str) -> str:
    """`target` when it is a path of this site in every decoding, else `default`.

    UnsafeRedirect (400) when any decoding holds a control character: such a request is forged,
    and answering it with a redirect would put the character in a header.
    """
    if not target:
        return default
    forms = _decodings(target)
    if any(_has_control(form) for form in forms):
        raise UnsafeRedirect()
    if all(_same_site_path(form) for form in forms):
        return target
    return default
