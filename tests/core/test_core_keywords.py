"""STOP/START/HELP in all six languages; only a whole one-word message is a keyword."""

from __future__ import annotations

import pytest

from bot.core.keywords import KEYWORDS_BY_LANGUAGE, classify_keyword
from bot.core.language import SUPPORTED_LANGUAGES

KEYWORDS = [
    # English
    ("STOP", "stop"),
    ("stop", "stop"),
    ("Stop.", "stop"),
    ("  stop!  ", "stop"),
    ("STOPALL", "stop"),
    ("unsubscribe", "stop"),
    ("Cancel", "stop"),
    ("END", "stop"),
    ("quit", "stop"),
    ("REVOKE", "stop"),
    ("OPTOUT", "stop"),
    ("opt-out", "stop"),
    ("START", "start"),
    ("unstop", "start"),
    ("HELP", "help"),
    ("help?", "help"),
    ("info", "help"),
    # Spanish
    ("ALTO", "stop"),
    ("parar", "stop"),
    ("Para", "stop"),
    ("BAJA", "stop"),
    ("cancelar", "stop"),
    ("INICIAR", "start"),
    ("comenzar", "start"),
    ("AYUDA", "help"),
    ("¡ayuda!", "help"),
    # Vietnamese, with and without accents
    ("DỪNG", "stop"),
    ("dung", "stop"),
    ("HỦY", "stop"),
    ("huy", "stop"),
    ("BẮT ĐẦU", "start"),
    ("bat dau", "start"),
    ("GIÚP", "help"),
    ("giup", "help"),
    # Chinese
    ("停止", "stop"),
    ("退订", "stop"),
    ("停止。", "stop"),
    ("开始", "start"),
    ("帮助", "help"),
    # Arabic, with and without hamza
    ("توقف", "stop"),
    ("إلغاء", "stop"),
    ("الغاء", "stop"),
    ("ابدأ", "start"),
    ("مساعدة", "help"),
    # Haitian Creole
    ("KANPE", "stop"),
    ("sispann", "stop"),
    ("KÒMANSE", "start"),
    ("komanse", "start"),
    ("ÈD", "help"),
    ("ed", "help"),
]


@pytest.mark.parametrize(("text", "kind"), KEYWORDS)
def test_keyword(text: str, kind: str) -> None:
    assert classify_keyword(text) == kind


NOT_KEYWORDS = [
    "yes",
    "YES",
    "si",
    "stop calling me so early",
    "please stop",
    "stop it",
    "help me",
    "I need help",
    "necesito ayuda",
    "para que",
    "start over",
    "stopp",
    "stopping",
    "",
    "   ",
    "!!!",
    "ok",
]


@pytest.mark.parametrize("text", NOT_KEYWORDS)
def test_not_a_keyword(text: str) -> None:
    assert classify_keyword(text) is None


def test_every_supported_language_has_all_three_kinds() -> None:
    assert set(KEYWORDS_BY_LANGUAGE) == set(SUPPORTED_LANGUAGES)
    for table in KEYWORDS_BY_LANGUAGE.values():
        assert set(table) == {"stop", "start", "help"}
        assert all(table.values())


def test_every_listed_keyword_classifies_as_its_kind() -> None:
    for table in KEYWORDS_BY_LANGUAGE.values():
        for kind, words in table.items():
            for word in words:
                assert classify_keyword(word) == kind, word
                assert classify_keyword(word.lower() + ".") == kind, word
