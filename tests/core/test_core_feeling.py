"""The tone of "How are you and your family doing this week?", for a kind acknowledgement."""

from __future__ import annotations

import pytest

from bot.core.feeling import feeling_tone

ROWS = [
    # positive
    ("great", None, "positive"),
    ("good thanks", None, "positive"),
    ("We are doing well!", None, "positive"),
    ("not bad", None, "positive"),
    ("not too bad", None, "positive"),
    ("bien", None, "positive"),
    ("muy bien", None, "positive"),
    ("bien gracias a Dios", None, "positive"),
    ("todo bien", None, "positive"),
    ("nada mal", None, "positive"),
    ("excelente", None, "positive"),
    ("😊", None, "positive"),
    # neutral
    ("ok", None, "neutral"),
    ("okay", None, "neutral"),
    ("fine", None, "neutral"),
    ("so-so", None, "neutral"),
    ("so so", None, "neutral"),
    ("más o menos", None, "neutral"),
    ("mas o menos bien", None, "neutral"),
    ("normal", None, "neutral"),
    ("regular", None, "neutral"),
    ("ahí vamos", None, "neutral"),
    ("busy", None, "neutral"),
    ("thanks for asking", None, "neutral"),
    ("I'll be fine", None, "neutral"),
    ("not tired", None, "neutral"),
    ("", None, "neutral"),
    # negative
    ("tired", None, "negative"),
    ("stressed", None, "negative"),
    ("not good", None, "negative"),
    ("not great", None, "negative"),
    ("not so good", None, "negative"),
    ("rough week", None, "negative"),
    ("been better", None, "negative"),
    ("my son has been sick", None, "negative"),
    ("Good, just tired", None, "neutral"),  # tiredness beside "good" is not a hard week
    ("doing ok, a bit tired", None, "neutral"),
    ("good but the baby is sick", None, "negative"),
    ("ok, tired and stressed", None, "negative"),
    ("not good, tired", None, "negative"),
    ("mal", None, "negative"),
    ("no muy bien", None, "negative"),
    ("no estamos bien", None, "negative"),
    ("cansada", None, "negative"),
    ("difícil", None, "negative"),
    ("bien pero cansada", None, "neutral"),
    ("bien pero cansada y estresada", None, "negative"),
    ("una semana pesada", None, "negative"),
    ("😢", None, "negative"),
    # other languages
    ("我们很好", None, "positive"),
    ("我们不太好", None, "negative"),
    ("الحمد لله بخير", None, "positive"),
    ("mwen byen", "ht", "positive"),
    ("pa byen", "ht", "negative"),
    ("khỏe", "vi", "positive"),
    ("mệt", "vi", "negative"),
]


@pytest.mark.parametrize(("text", "language", "expected"), ROWS)
def test_feeling_tone(text: str, language: str | None, expected: str) -> None:
    assert feeling_tone(text, language) == expected
