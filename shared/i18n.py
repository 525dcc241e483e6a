"""Text stored per locale (en, fr, zh) and read back in the reader's language, with fallback."""

from __future__ import annotations

from marshmallow import ValidationError, fields
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

LOCALES = ("en", "fr", "zh")
DEFAULT_LOCALE = "en"


def fallback_order(language: str | None) -> list[str]:
    """The reader's language first, then English, French, Chinese."""
    order = [language] if language in LOCALES else []
    order += [code for code in (DEFAULT_LOCALE, "fr", "zh") if code not in order]
    return order


def pick(text: dict | None, language: str | None) -> str | None:
    """The best available translation of `text` for `language`."""
    if not text:
        return None
    for code in fallback_order(language):
        if text.get(code):
            return text[code]
    return None


# The zone a reader of each language most likely lives in: times are shown in it when the reader
# has not chosen one (a profile's zone, `?tz=`). English readers get none: the event's own zone.
LANGUAGE_ZONES = {"fr": "Europe/Paris", "zh": "Asia/Shanghai"}


def usual_zone(language: str | None) -> str | None:
    """The usual zone of a language's readers (see LANGUAGE_ZONES), or None."""
    return LANGUAGE_ZONES.get(language or "")


def negotiate(accept_language: str | None) -> str:
    """The best supported locale in an Accept-Language header by its weights (werkzeug's
    matching: an exact tag first, then the primary one, so zh-CN and zh-Hans count as zh)."""
    if not accept_language:
        return DEFAULT_LOCALE
    accepted = parse_accept_header(accept_language, LanguageAccept)
    return accepted.best_match(LOCALES, default=DEFAULT_LOCALE)


class LocalizedText(fields.Dict):
    """`{"en": ..., "fr": ..., "zh": ...}`: known locales only, at least one non-empty text."""

    def __init__(self, *, max_length: int = 10_000, required_locale: bool = True, **kwargs):
        super().__init__(keys=fields.String(), values=fields.String(), **kwargs)
        self.max_length = max_length
        self.required_locale = required_locale
        self.metadata.setdefault(
            "description", "Text per locale: any of en, fr, zh; read back with fallback."
        )

    def _deserialize(self, value, attr, data, **kwargs):
        result = super()._deserialize(value, attr, data, **kwargs)
        unknown = sorted(set(result) - set(LOCALES))
        if unknown:
            raise ValidationError(f"Unknown locale(s): {', '.join(unknown)}; use en, fr or zh.")
        cleaned = {k: v.strip() for k, v in result.items() if v and v.strip()}
        too_long = [k for k, v in cleaned.items() if len(v) > self.max_length]
        if too_long:
            raise ValidationError(
                f"Longer than {self.max_length} characters: {', '.join(too_long)}."
            )
        if self.required_locale and not cleaned:
            raise ValidationError("Give the text in at least one of en, fr, zh.")
        return cleaned
