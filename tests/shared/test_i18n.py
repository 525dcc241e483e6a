"""Localized text falls back sensibly and Accept-Language picks a supported locale."""

from shared.i18n import negotiate, pick


def test_reader_language_first_then_english_then_french_then_chinese():
    text = {"fr": "Bonjour", "zh": "你好"}
    assert pick(text, "zh") == "你好"
    assert pick(text, "en") == "Bonjour"
    assert pick({"zh": "你好"}, "fr") == "你好"
    assert pick({}, "en") is None


def test_accept_language_with_regions_and_weights():
    assert negotiate("zh-CN,zh;q=0.9,en;q=0.8") == "zh"
    assert negotiate("de-DE, fr;q=0.5, en;q=0.4") == "fr"
    assert negotiate("de") == "en"
    assert negotiate(None) == "en"
