"""SMS encoding and segment counts (SPEC section 6), exact at every boundary."""

from __future__ import annotations

import pytest

from bot.core.sms import (
    GSM7_BASIC,
    GSM7_EXTENDED,
    count_segments,
    is_gsm7,
    split_for_sms,
    to_gsm7,
)


def test_alphabets_have_the_standard_sizes() -> None:
    # GSM 03.38: 128 codes minus the escape; 9 extension characters plus form feed.
    assert len(GSM7_BASIC) == 127
    assert len(GSM7_EXTENDED) == 10
    assert not GSM7_BASIC & GSM7_EXTENDED


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello", True),
        ("é ñ ü à ¿ ¡ ò è ù ì Ä Ö Ü Ñ É Ç ß", True),
        ("{braces} [brackets] ~ | \\ ^ €", True),
        ("Hola, ¿cómo está?", False),  # ó
        ("á", False),
        ("í", False),
        ("ú", False),
        ("don’t", False),
        ("“hi”", False),
        ("👍", False),
        ("Tiếng Việt", False),
        ("中文", False),
        ("مرحبا", False),
        ("", True),
    ],
)
def test_is_gsm7(text: str, expected: bool) -> None:
    assert is_gsm7(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("don’t", "don't"),
        ("‘quoted’", "'quoted'"),
        ("“Hi”", '"Hi"'),
        ("a — b – c", "a - b - c"),
        ("wait…", "wait..."),
        ("10\u00a0am", "10 am"),
        # nothing else changes: accents stay, emoji stay
        ("¿Cómo está?", "¿Cómo está?"),
        ("Gracias 👍", "Gracias 👍"),
    ],
)
def test_to_gsm7(text: str, expected: str) -> None:
    assert to_gsm7(text) == expected


def test_to_gsm7_makes_typographic_english_gsm() -> None:
    text = "We’re here for you — reply “HELP”… anytime."
    assert not is_gsm7(text)
    assert is_gsm7(to_gsm7(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("a", 1),
        # GSM-7: 160 in one, then 153 per part
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("a" * 459, 3),
        ("a" * 460, 4),
        # extended characters count two septets
        ("€" * 80, 1),
        ("a" * 159 + "€", 2),
        ("a" * 158 + "€", 1),
        ("a" * 152 + "€" + "a" * 152, 3),  # an escape pair is never split across parts
        ("a" * 151 + "€" + "a" * 153, 2),
        # GSM-7 accents are single septets
        ("é" * 160, 1),
        # UCS-2: 70 in one, then 67 per part
        ("á" * 70, 1),
        ("á" * 71, 2),
        ("á" * 134, 2),
        ("á" * 135, 3),
        ("a" * 69 + "á", 1),
        ("a" * 70 + "á", 2),
        ("a" * 159 + "’", 3),  # one curly quote switches 160 characters to UCS-2
        # emoji are two UTF-16 code units
        ("👍" * 35, 1),
        ("👍" * 36, 2),
        ("a" * 68 + "👍", 1),
        ("a" * 69 + "👍", 2),
        ("a" * 66 + "👍" + "a" * 66, 3),  # a surrogate pair is never split across parts
        ("中" * 70, 1),
        ("中" * 71, 2),
    ],
)
def test_count_segments(text: str, expected: int) -> None:
    assert count_segments(text) == expected


def _words(count: int) -> str:
    return " ".join(f"w{i:03d}" for i in range(count))


def test_short_text_is_not_split() -> None:
    assert split_for_sms("Hi there") == ["Hi there"]
    assert split_for_sms("") == []


@pytest.mark.parametrize("max_segments", [1, 2])
@pytest.mark.parametrize(
    "text",
    [
        _words(100),
        "¿Cómo está? " * 30,
        "Hola 👍 " * 60,
        "Sentence one.\nSentence two is here. " * 12,
    ],
)
def test_split_parts_fit_and_keep_every_word(text: str, max_segments: int) -> None:
    parts = split_for_sms(text, max_segments)
    assert len(parts) > 1
    assert all(0 < count_segments(part) <= max_segments for part in parts)
    assert " ".join(parts).split() == text.split()
    assert all(part == part.strip() for part in parts)


def test_split_breaks_at_word_boundaries() -> None:
    parts = split_for_sms(_words(100))
    words = set(_words(100).split())
    assert all(set(part.split()) <= words for part in parts)


def test_split_cuts_a_word_longer_than_a_segment() -> None:
    parts = split_for_sms("x" * 200)
    assert parts == ["x" * 160, "x" * 40]


def test_split_refuses_zero_segments() -> None:
    with pytest.raises(ValueError):
        split_for_sms("hello", 0)
