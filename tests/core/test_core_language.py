"""Language codes, explicit switch requests and first-message guesses."""

from __future__ import annotations

import pytest

from bot.core.language import (
    ENABLED_LANGUAGES,
    SUPPORTED_LANGUAGES,
    UnknownLanguage,
    detect_language,
    normalize_language,
    requested_language,
)


def test_language_sets() -> None:
    assert SUPPORTED_LANGUAGES == ("en", "es", "vi", "zh", "ar", "ht")
    assert ENABLED_LANGUAGES == ("en", "es")
    assert set(ENABLED_LANGUAGES) <= set(SUPPORTED_LANGUAGES)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("en-US", "en"),
        ("en_GB", "en"),
        ("English", "en"),
        ("inglés", "en"),
        ("es", "es"),
        ("Spanish", "es"),
        ("español", "es"),
        ("espanol", "es"),
        ("es_MX", "es"),
        ("es-419", "es"),
        ("spa", "es"),
        ("Vietnamese", "vi"),
        ("Tiếng Việt", "vi"),
        ("vi-VN", "vi"),
        ("Chinese", "zh"),
        ("zh-Hans", "zh"),
        ("zh_CN", "zh"),
        ("中文", "zh"),
        ("Mandarin", "zh"),
        ("Arabic", "ar"),
        ("ar-SA", "ar"),
        ("العربية", "ar"),
        ("Haitian Creole", "ht"),
        ("kreyol", "ht"),
        ("kreyòl", "ht"),
        ("ht-HT", "ht"),
        (" Spanish ", "es"),
    ],
)
def test_normalize_language(value: str, code: str) -> None:
    assert normalize_language(value) == code


@pytest.mark.parametrize("value", ["", "fr", "French", "fr-FR", "klingon", "x", "e n"])
def test_unknown_language_is_refused_clearly(value: str) -> None:
    with pytest.raises(UnknownLanguage, match="unsupported language") as raised:
        normalize_language(value)
    assert "en, es, vi, zh, ar, ht" in str(raised.value)
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("en español", "es"),
        ("En español por favor", "es"),
        ("en espanol por favor", "es"),
        ("Spanish please", "es"),
        ("español", "es"),
        ("spanish", "es"),
        ("do you speak spanish?", "es"),
        ("Me puede hablar en español por favor", "es"),
        ("can you text me in spanish? my english is not good", "es"),
        ("can we do this in english", "en"),
        ("english", "en"),
        ("inglés", "en"),
        ("en inglés por favor gracias", "en"),
        ("puede escribirme en inglés?", "en"),
        ("hablas ingles?", "en"),
        ("Tiếng Việt", "vi"),
        ("nói tiếng việt", "vi"),
        ("Vietnamese please", "vi"),
        ("中文", "zh"),
        ("请说中文", "zh"),
        ("用中文", "zh"),
        ("عربي", "ar"),
        ("بالعربي من فضلك", "ar"),
        ("kreyòl", "ht"),
        ("an kreyòl tanpri", "ht"),
    ],
)
def test_requested_language(text: str, code: str) -> None:
    assert requested_language(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "my son is learning Spanish at school",
        "he is failing English class",
        "can you help him in english",
        "mi hijo habla en inglés con sus amigos",
        "by the way he likes english",
        "no hablo inglés",
        "no english",
        "English or Spanish",
        "we traveled in vietnam",
        "hola",
        "hi",
        "8",
        "",
    ],
)
def test_mentioning_a_language_is_not_a_request(text: str) -> None:
    assert requested_language(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("hola", "es"),
        ("Hola buenas tardes", "es"),
        ("buenos dias", "es"),
        ("mi hijo esta enfermo", "es"),
        ("¿Qué pasó?", "es"),
        ("Hi, mi hijo no va a ir hoy", "es"),
        ("gracias", "es"),
        ("hi", "en"),
        ("Hello, how are you?", "en"),
        ("thanks", "en"),
        ("my son is sick today", "en"),
        ("Xin chào", "vi"),
        ("Cảm ơn", "vi"),
        ("xin chao", "vi"),
        ("你好", "zh"),
        ("我的孩子生病了", "zh"),
        ("مرحبا", "ar"),
        ("bonjou", "ht"),
        ("kijan ou ye", "ht"),
        ("sak pase", "ht"),
        ("mwen byen mesi", "ht"),
        ("ok", None),
        ("okay", None),
        ("👍", None),
        ("no", None),
        ("8", None),
        ("", None),
    ],
)
def test_detect_language(text: str, code: str | None) -> None:
    assert detect_language(text) == code
