"""Parse the family's 1-10 rating of their child's school experience, as families really type it.

Rules, in order (see tests/core/test_core_rating.py for the table):

1. An explicit scale form ("8/10", "8 out of 10", "8 of 10", "8 de 10", "8 sobre 10",
   "8 sou 10", "ocho de diez") wins: when the message holds exactly one distinct scale
   value, that value is the rating if it is 1-10, otherwise None ("11/10", "0/10").
   Strict mode accepts only these forms (minus "of 10", too common in "3 of 10 days"),
   because it runs on messages that did not answer the rating question.
2. Otherwise (lenient mode only) every number in the message is collected: digits and
   number words in English and Spanish always (families mix languages), Arabic words and
   Chinese numerals by script, Vietnamese and Haitian Creole words only when `language`
   says so (their number words collide with English and Spanish words: "ba", "de", "en").
   The rating is the single distinct value found, if it is 1-10. Two different numbers
   ("7 or 8", "7-8", "entre 7 y 8", "2 kids, 8") are ambiguous: None, the bot re-asks.
3. Not counted as numbers: counts of things ("2 kids", "3 days", "8 años", "7am"),
   ordinals ("3rd"), times ("7:30"), dates and fractions ("3/15"), and "one"/"uno" used as
   a pronoun ("no one", "one of them", "uno de mis hijos").
4. A whole-number decimal is that number ("9.0" -> 9); any other decimal ("5.5", "7,5")
   is None: the scale is whole numbers and guessing a rounding direction would put words
   in the family's mouth.
5. "once" is Spanish for 11 (None), except when `language` is "en", where it is the
   English word and ignored; "ten" is ignored when `language` is "es" ("ten paciencia").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.core.text import fold

RATING_MIN = 1
RATING_MAX = 10

_EN_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "hundred": 100,
}  # fmt: skip
_ES_WORDS: dict[str, int] = {
    "cero": 0, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13,
    "catorce": 14, "quince": 15, "dieciseis": 16, "diecisiete": 17, "dieciocho": 18,
    "diecinueve": 19, "veinte": 20, "cien": 100,
}  # fmt: skip
# Arabic words after fold(): hamza seats are stripped (أربعة -> اربعة).
_AR_WORDS: dict[str, int] = {
    "صفر": 0, "واحد": 1, "واحدة": 1, "اثنين": 2, "اثنان": 2, "ثلاثة": 3, "ثلاث": 3,
    "اربعة": 4, "اربع": 4, "خمسة": 5, "خمس": 5, "ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7,
    "ثمانية": 8, "ثمان": 8, "تسعة": 9, "تسع": 9, "عشرة": 10, "عشر": 10,
}  # fmt: skip
_VI_WORDS: dict[str, int] = {
    "khong": 0, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7,
    "tam": 8, "chin": 9, "muoi": 10,
}  # fmt: skip
_HT_WORDS: dict[str, int] = {
    "zewo": 0, "en": 1, "youn": 1, "de": 2, "twa": 3, "kat": 4, "senk": 5, "sis": 6,
    "set": 7, "uit": 8, "nef": 9, "dis": 10, "onz": 11,
}  # fmt: skip
_ZH_DIGITS: dict[str, int] = {
    "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
    "八": 8, "九": 9, "十": 10,
}  # fmt: skip

_WORD_SETS: dict[str, dict[str, int]] = {
    "en": _EN_WORDS, "es": _ES_WORDS, "ar": _AR_WORDS, "vi": _VI_WORDS, "ht": _HT_WORDS,
}  # fmt: skip
_ALWAYS = ("en", "es", "ar")


def _alternation(words: Iterable[str]) -> str:
    """Regex alternation of words, longest first so "diecisiete" beats "siete"."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_ALL_WORDS = _alternation({w for table in _WORD_SETS.values() for w in table})
# A number token: digits (with an optional decimal part) or a number word.
_NUM = rf"(?:\d+(?:[.,]\d+)?|{_ALL_WORDS})"
_TEN = r"(?:10|ten|diez|dis|muoi|عشرة)"

# "8/10", "8 / 10": not part of a date like 8/10/2024.
_SLASH_SCALE = re.compile(rf"(?<![\w/.,:])({_NUM})\s*/\s*{_TEN}(?![\w/]|[.,:]\d)")
# "8 out of 10", "8 de 10", "8 sobre 10", "8 sou 10" (Haitian), "8 tren 10" (Vietnamese).
_WORD_SCALE = re.compile(
    rf"(?<![\w/.,:])({_NUM})\s+(?:out\s+of|de|sobre|sou|tren)\s+{_TEN}(?![\w/]|[.,:]\d)"
)
# Lenient-only: "8 of 10" (too common in "3 of 10 days" for strict mode).
_OF_SCALE = re.compile(rf"(?<![\w/.,:])({_NUM})\s+of\s+{_TEN}(?![\w/]|[.,:]\d)")

# A standalone digit token; glued to letters ("3rd", "7am"), times, dates and fractions are not
# (Chinese "8分", eight points, is). A leading "-" ("-1", or the "-8" of "7-8") marks a value
# that can never be a rating, so a range stays ambiguous.
_DIGITS = re.compile(r"(?<![\w.,:/])(-?)(\d+(?:[.,]\d+)?)(?!(?!分|ish\b)[\w%]|[.,:/]\d|/)")
_WORD_TOKEN = re.compile(r"[^\W\d_]+")

# Counted things: "2 kids", "3 days", "8 años" are counts, not ratings.
_COUNT_NOUNS = re.compile(
    r"\s*(?:kids?|child(?:ren)?|sons?|daughters?|babies|boys?|girls?|brothers?|sisters?|"
    r"siblings?|days?|weeks?|months?|years?|yrs?|hours?|hrs?|minutes?|mins?|times?|"
    r"am|pm|a\.m\.|p\.m\.|o'?clock|miles?|blocks?|grade|th|st|nd|rd|jobs?|classes|"
    r"friends?|teachers?|subjects?|people|things|amigos?|amigas?|maestr[oa]s?|materias?|"
    r"cosas|personas|hijos?|hijas?|ninos?|ninas?|nenes?|bebes?|hermanos?|hermanas?|dias?|semanas?|"
    r"mes(?:es)?|anos?|horas?|minutos?|veces|cuadras?|millas?|trabajos?|clases|"
    r"ngay|tuan|thang|nam|gio|lan|jou|semen|mwa|ane|pitit|timoun)\b"
)
_COUNT_PREFIX = re.compile(r"(?:grade|grado|class|room|salon|bus|ruta|route|#|no\.)\s*$")
# "one"/"uno" as a pronoun rather than a number.
_PRONOUN_BEFORE = re.compile(r"(?:\bno|\bany|\bevery|\bsome|\bthe|\bthis|\bthat|\bcada)\s*$")
_PRONOUN_AFTER = re.compile(r"\s*(?:of|de|day|more|time|thing|who|que|mas)\b")
_ZH_WHOLE = re.compile(
    r"^(?:我?(?:给|打|觉得|认为)?)?([零一二两三四五六七八九十])分?(?:吧|啦|了|左右)?$"
)
_TRAILING_PUNCT = re.compile(r"[\s.!?,;:~)(\"'*]+$|^[\s.!?,;:~)(\"'*]+")


def _word_value(word: str, language: str | None) -> int | None:
    """Value of a number word, if it is one in a language that applies to this message."""
    if language == "en" and word == "once":
        return None
    if language == "es" and word == "ten":
        return None
    for code, table in _WORD_SETS.items():
        if word in table and (code in _ALWAYS or code == language):
            return table[word]
    return None


def _number_value(token: str, language: str | None) -> int | None:
    """Integer value of a digit or word token; -1 marks a non-whole decimal (never valid)."""
    if token[0].isdigit():
        if "." in token or "," in token:
            whole, frac = re.split(r"[.,]", token, maxsplit=1)
            return int(whole) if set(frac) == {"0"} else -1
        return int(token)
    return _word_value(token, language)


def _scale_values(text: str, language: str | None, *, strict: bool) -> set[int]:
    """Values given in an explicit "N out of 10" form."""
    patterns = (_SLASH_SCALE, _WORD_SCALE) if strict else (_SLASH_SCALE, _WORD_SCALE, _OF_SCALE)
    values: set[int] = set()
    for pattern in patterns:
        for match in pattern.finditer(text):
            value = _number_value(match.group(1), language)
            if value is not None:
                values.add(value)
    return values


def _is_count(text: str, start: int, end: int) -> bool:
    """Whether the number at text[start:end] counts things rather than rating."""
    return bool(_COUNT_NOUNS.match(text, end) or _COUNT_PREFIX.search(text[:start]))


def _loose_values(text: str, language: str | None) -> set[int]:
    """Every number in a message answering the rating question."""
    values: set[int] = set()
    for match in _DIGITS.finditer(text):
        if _is_count(text, match.start(), match.end()):
            continue
        value = _number_value(match.group(2), language)
        if value is not None:
            values.add(-value if match.group(1) else value)
    for match in _WORD_TOKEN.finditer(text):
        word = match.group(0)
        value = _word_value(word, language)
        if value is None or _is_count(text, match.start(), match.end()):
            continue
        if word in ("one", "uno", "en", "mot") and (
            _PRONOUN_BEFORE.search(text[: match.start()]) or _PRONOUN_AFTER.match(text, match.end())
        ):
            continue
        values.add(value)
    zh = _ZH_WHOLE.match(_TRAILING_PUNCT.sub("", text))
    if zh:
        values.add(_ZH_DIGITS[zh.group(1)])
    return values


def _single_valid(values: set[int]) -> int | None:
    """The rating when exactly one distinct value was given and it is on the scale."""
    if len(values) != 1:
        return None
    (value,) = values
    return value if RATING_MIN <= value <= RATING_MAX else None


def parse_rating(text: str, language: str | None = None, *, strict: bool = False) -> int | None:
    """The 1-10 rating in a message, or None when absent or ambiguous (the bot re-asks)."""
    folded = fold(text)
    if not folded:
        return None
    scale = _scale_values(folded, language, strict=strict)
    if scale or strict:
        return _single_valid(scale)
    return _single_valid(_loose_values(folded, language))
