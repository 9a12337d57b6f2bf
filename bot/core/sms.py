"""GSM-7 vs UCS-2 encoding and SMS segment counting (SPEC section 6): Twilio bills per segment.

Counting rules, as carriers apply them:
- GSM-7 when every character is in GSM7_BASIC or GSM7_EXTENDED; extended characters
  ({ } [ ] ~ \\ | ^ € and form feed) take two septets. One segment holds 160 septets;
  a longer message is split into parts of 153, and an escape pair is never split.
- Otherwise UCS-2: one segment holds 70 UTF-16 code units, parts hold 67, so an emoji
  (a surrogate pair) counts 2 and is never split across parts.
- The empty message counts 0 segments: nothing is sent.
Counting is on the text as given; call `to_gsm7` first to swap typographic characters.
"""

from __future__ import annotations

import re

# GSM 03.38 default alphabet (the escape code 0x1B is not a character).
GSM7_BASIC: frozenset[str] = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# GSM 03.38 extension table: each costs an escape plus the character.
GSM7_EXTENDED: frozenset[str] = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE = 160
GSM7_PART = 153
UCS2_SINGLE = 70
UCS2_PART = 67

_TO_GSM7 = str.maketrans(
    {
        "\u2018": "'",  # ‘
        "\u2019": "'",  # ’
        "\u201a": "'",  # ‚
        "\u201b": "'",  # ‛
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u201e": '"',  # „
        "\u201f": '"',  # ‟
        "\u2013": "-",  # –
        "\u2014": "-",  # —
        "\u2012": "-",  # ‒
        "\u2015": "-",  # ―
        "\u2026": "...",  # …
        "\u00a0": " ",  # no-break space
        "\u202f": " ",  # narrow no-break space
        "\u2007": " ",  # figure space
        "\u2009": " ",  # thin space
    }
)
_SPACE_RUN = re.compile(r"(\s+)")


def to_gsm7(text: str) -> str:
    """Swap typographic quotes, dashes, ellipsis and no-break spaces for GSM-7; nothing else."""
    return text.translate(_TO_GSM7)


def is_gsm7(text: str) -> bool:
    """Whether the whole text can be sent in GSM-7 (one other character forces UCS-2)."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def _units(text: str, gsm: bool) -> list[int]:
    """Cost of each character: septets for GSM-7, UTF-16 code units for UCS-2."""
    if gsm:
        return [2 if ch in GSM7_EXTENDED else 1 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def count_segments(text: str) -> int:
    """Segments a carrier bills for this text; 0 for the empty string."""
    if not text:
        return 0
    gsm = is_gsm7(text)
    single, part = (GSM7_SINGLE, GSM7_PART) if gsm else (UCS2_SINGLE, UCS2_PART)
    units = _units(text, gsm)
    if sum(units) <= single:
        return 1
    segments, used = 1, 0
    for cost in units:
        if used + cost > part:
            segments, used = segments + 1, 0
        used += cost
    return segments


def _hard_split(word: str, max_segments: int) -> list[str]:
    """Cut a single over-long word by characters (a URL, a run without spaces)."""
    pieces: list[str] = []
    current = ""
    for ch in word:
        if current and count_segments(current + ch) > max_segments:
            pieces.append(current)
            current = ""
        current += ch
    if current:
        pieces.append(current)
    return pieces


def split_for_sms(text: str, max_segments_per_part: int = 1) -> list[str]:
    """Split text at spaces into messages of at most `max_segments_per_part` segments each."""
    if max_segments_per_part < 1:
        raise ValueError("max_segments_per_part must be at least 1")
    if count_segments(text) <= max_segments_per_part:
        return [text] if text else []
    parts: list[str] = []
    current = ""
    tokens = [t for t in _SPACE_RUN.split(text) if t]
    for token in tokens:
        if token.isspace():
            if current:
                current += token
            continue
        candidate = current + token
        if count_segments(candidate) <= max_segments_per_part:
            current = candidate
            continue
        if current.strip():
            parts.append(current.rstrip())
        if count_segments(token) <= max_segments_per_part:
            current = token
        else:
            *whole, current = _hard_split(token, max_segments_per_part)
            parts.extend(whole)
    if current.strip():
        parts.append(current.rstrip())
    return parts
