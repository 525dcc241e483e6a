"""What a JSON request body may hold, checked on the raw bytes before any parser recurses into it.

Python's parser recurses once per nesting level, so 100,000 `[` end in a `RecursionError`; the
depth is therefore measured on the bytes first, in C-speed passes (strings blanked out by one
linear regex, then a running sum over the brackets). Once parsed, every value is checked for what
the databases cannot store: lone surrogates and NUL characters in strings (PostgreSQL refuses
both, SQLite's UTF-8 encoder the first), integers beyond 64 bits, and non-finite numbers.
"""

from __future__ import annotations

import json
import math
import re
from itertools import accumulate

MAX_DEPTH = 32
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
MAX_ERRORS = 20

# A string literal, its closing quote optional: an unterminated string is consumed in one match,
# so the scan stays linear whatever the body.
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"?', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = [0] * 256
_STEP[ord("[")] = _STEP[ord("{")] = 1
_STEP[ord("]")] = _STEP[ord("}")] = -1


class InvalidJson(ValueError):
    """The body is not JSON at all."""


def nesting_depth(data: bytes) -> int:
    """How deeply arrays and objects nest in `data`, brackets inside strings not counted."""
    if data.count(b"[") + data.count(b"{") == 0:
        return 0
    brackets = _STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def parse(data: bytes) -> object:
    """The parsed body; `InvalidJson` when it is not UTF-8 JSON (callers checked the depth)."""
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError and huge ints included
        raise InvalidJson(str(exc)) from exc


def pointer(path: tuple) -> str:
    """An RFC 6901 JSON pointer to `path`."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path) or "/"


def unstorable_text(value: str) -> str | None:
    """Why a string cannot be stored, or None: lone surrogates and NUL are refused."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "Text must be valid Unicode (no lone surrogates)."
    if "\x00" in value:
        return "Text must not contain NUL characters."
    return None


def _number_problem(value) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
        return "Number out of range (64-bit integers at most)."
    if isinstance(value, float) and not math.isfinite(value):
        return "Numbers must be finite."
    return None


def value_errors(document: object) -> list[dict]:
    """Field errors (JSON pointers) for every value of `document` no database could store."""
    errors: list[dict] = []
    stack: list[tuple[tuple, object]] = [((), document)]
    while stack and len(errors) < MAX_ERRORS:
        path, value = stack.pop()
        problem = None
        if isinstance(value, str):
            problem = unstorable_text(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                key_problem = unstorable_text(key)
                if key_problem:  # the key itself cannot go in a pointer: name its object
                    errors.append(
                        {
                            "pointer": pointer(path),
                            "detail": f"A key: {key_problem}",
                            "code": "not_storable",
                        }
                    )
                else:
                    stack.append(((*path, key), item))
        elif isinstance(value, list):
            stack.extend(((*path, i), item) for i, item in enumerate(value))
        else:
            problem = _number_problem(value)
        if problem:
            errors.append({"pointer": pointer(path), "detail": problem, "code": "not_storable"})
    return sorted(errors, key=lambda e: e["pointer"])
