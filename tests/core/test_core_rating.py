"""The 1-10 rating as families type it; ambiguous answers must be re-asked, never guessed."""

from __future__ import annotations

import pytest

from bot.core.rating import RATING_MAX, RATING_MIN, parse_rating

LENIENT = [
    # digits and plain answers
    ("8", None, 8),
    ("1", None, 1),
    ("10", None, 10),
    (" 7 ", None, 7),
    ("7!", None, 7),
    ("7.", None, 7),
    ("10+", None, 10),
    # explicit scale forms
    ("8/10", None, 8),
    ("8 / 10", None, 8),
    ("10/10", None, 10),
    ("8 out of 10", None, 8),
    ("8 of 10", None, 8),
    ("8 de 10", None, 8),
    ("8 sobre 10", None, 8),
    ("ocho de diez", None, 8),
    ("eight out of ten", None, 8),
    # casual English
    ("a 7", None, 7),
    ("7 I guess", None, 7),
    ("maybe a 6", None, 6),
    ("I'd say eight", None, 8),
    ("I’d say eight", None, 8),
    ("like a 9", None, 9),
    ("a solid seven", None, 7),
    ("Nine", None, 9),
    ("one", None, 1),
    ("8, no one bothers him there", None, 8),
    ("I have 2 kids, I'd say 8", None, 8),
    ("she's in 3rd grade, a 6", None, 6),
    ("9 bc the bus comes at 7:30", None, 9),
    ("9 bc of his 2 friends", None, 9),
    ("7ish", None, 7),
    ("8 😊", None, 8),
    # casual Spanish, with and without accents
    ("un 7", None, 7),
    ("ocho", None, 8),
    ("diez", None, 10),
    ("siete creo", None, 7),
    ("Seis", None, 6),
    ("le doy un nueve", None, 9),
    ("uno", None, 1),
    ("tengo 3 hijos, le doy 8", None, 8),
    ("yo diría que un 9", None, 9),
    ("2 de 10 porque sufre bullying", None, 2),
    # whole-number decimals are that number
    ("9.0", None, 9),
    ("10.0", None, 10),
    # other scripts and languages
    ("٨", None, 8),
    ("ثمانية", None, 8),
    ("八分", None, 8),
    ("我给八分", None, 8),
    ("8分", None, 8),
    ("tam", "vi", 8),
    ("uit", "ht", 8),
    ("8 sou 10", "ht", 8),
    # the language decides homonyms
    ("8, once again", "en", 8),
    # invalid: out of range
    ("0", None, None),
    ("11", None, None),
    ("100", None, None),
    ("100%", None, None),
    ("-1", None, None),
    ("eleven", None, None),
    ("once", None, None),
    ("once", "es", None),
    ("cero", None, None),
    ("zero", None, None),
    ("11/10", None, None),
    ("0/10", None, None),
    # invalid: two numbers, ranges
    ("7 or 8", None, None),
    ("7-8", None, None),
    ("7 - 8", None, None),
    ("7–8", None, None),
    ("entre 7 y 8", None, None),
    ("7 u 8", None, None),
    ("siete u ocho", None, None),
    ("7/8", None, None),
    ("4 out of 5", None, None),
    ("8/10 or 9/10", None, None),
    ("8 o 9", None, None),
    ("5 maybe 6", None, None),
    ("it was a 5 last year, now 8", None, None),
    ("She would give it a 10 but I think 8", None, None),
    # invalid: not whole numbers
    ("5.5", None, None),
    ("7,5", None, None),
    ("8.5/10", None, None),
    # invalid: nothing, or only counts of things
    ("", None, None),
    ("   ", None, None),
    ("idk", None, None),
    ("no se", None, None),
    ("no sé", None, None),
    ("good", None, None),
    ("I have 2 kids", None, None),
    ("tengo 3 hijos", None, None),
    ("he missed 3 days", None, None),
    ("7am", None, None),
    ("3rd grade", None, None),
    ("uno de mis hijos", None, None),
    ("no one cares", None, None),
    ("ten", "es", None),
    ("tam", None, None),
    ("uit", None, None),
]


@pytest.mark.parametrize(("text", "language", "expected"), LENIENT)
def test_lenient_rating(text: str, language: str | None, expected: int | None) -> None:
    assert parse_rating(text, language) == expected


STRICT = [
    ("8/10", 8),
    ("8 out of 10", 8),
    ("8 de 10", 8),
    ("8 sobre 10", 8),
    ("ocho de diez", 8),
    ("10/10", 10),
    ("Good! 9/10, but the bus is always late", 9),
    ("le doy 7 de 10, el camión nunca llega", 7),
    # strict mode ignores anything but an explicit scale
    ("8", None),
    ("a 7", None),
    ("ocho", None),
    ("she missed 3 of 10 days", None),
    ("I have 2 kids", None),
    ("the bus comes at 7", None),
    ("11/10", None),
    ("0/10", None),
    ("8/10 or 9/10", None),
    ("we met on 8/10/24", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), STRICT)
def test_strict_rating(text: str, expected: int | None) -> None:
    assert parse_rating(text, strict=True) == expected


def test_scale_bounds_are_one_to_ten() -> None:
    assert (RATING_MIN, RATING_MAX) == (1, 10)


@pytest.mark.parametrize("value", range(RATING_MIN, RATING_MAX + 1))
def test_every_digit_on_the_scale_parses(value: int) -> None:
    assert parse_rating(str(value)) == value
    assert parse_rating(f"{value}/10", strict=True) == value
