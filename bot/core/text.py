"""Text folding shared by every rule: families type lowercase, without accents, on cheap phones."""

from __future__ import annotations

import re
import unicodedata

# Typographic punctuation that phones and word processors insert for plain ASCII.
_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'",  # left single quote
        "\u2019": "'",  # right single quote / apostrophe
        "\u201a": "'",  # single low-9 quote
        "\u201b": "'",  # single high-reversed-9 quote
        "\u2032": "'",  # prime
        "\u02bc": "'",  # modifier letter apostrophe
        "\u0060": "'",  # grave accent used as an apostrophe
        "\u00b4": "'",  # acute accent used as an apostrophe
        "\u201c": '"',  # left double quote
        "\u201d": '"',  # right double quote
        "\u201e": '"',  # double low-9 quote
        "\u201f": '"',  # double high-reversed-9 quote
        "\u2033": '"',  # double prime
        "\u00ab": '"',  # left guillemet
        "\u00bb": '"',  # right guillemet
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2015": "-",  # horizontal bar
        "\u2212": "-",  # minus sign
        "\u0111": "d",  # Vietnamese d with stroke has no decomposition
        "\u0110": "d",
        "\u0142": "l",  # Polish l with stroke, for names
        "\u0141": "l",
        "\u00f8": "o",  # Nordic o with stroke, for names
        "\u00d8": "o",
    }
)
_SPACES = re.compile(r"\s+")
_APOSTROPHES = re.compile(r"'")


def fold(text: str) -> str:
    """Lowercase, strip accents and typographic quotes so rules match how families really type."""
    text = text.translate(_TYPOGRAPHIC)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) not in ("Mn", "Me"))
    # NFKD turns the ellipsis into "..." and full-width forms into ASCII; recompose the rest.
    folded = unicodedata.normalize("NFC", stripped).lower()
    return _SPACES.sub(" ", folded).strip()


def fold_plain(text: str) -> str:
    """Fold and drop apostrophes, so "don't", "don’t" and the SMS "dont" match one pattern."""
    return _APOSTROPHES.sub("", fold(text))
