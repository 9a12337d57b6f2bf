"""STOP / START / HELP keywords in every supported language (SPEC sections 1 and 5).

A keyword is the whole message: one word, any case, with or without accents, ignoring
surrounding spaces, punctuation and symbols ("STOP.", "stop!", " Baja "). Internal
hyphens and underscores are ignored too ("opt-out" is OPTOUT). "stop calling me so early"
is a sentence, not a keyword. Vietnamese writes words as space-separated syllables, so
its two-syllable keywords ("BẮT ĐẦU", "TRỢ GIÚP") are accepted as exact whole messages.

"YES" is deliberately not a START keyword: "yes" answers our follow-up question. (Twilio's
default Advanced Opt-Out treats YES as opt-in; deployments should remove it there too.)
"""

from __future__ import annotations

import re
import unicodedata

from bot.core.text import fold

STOP = "stop"
START = "start"
HELP = "help"

# One table per language, written as families would type them (accents optional when matching).
KEYWORDS_EN: dict[str, tuple[str, ...]] = {
    STOP: ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"),
    START: ("START", "UNSTOP"),
    HELP: ("HELP", "INFO"),
}
KEYWORDS_ES: dict[str, tuple[str, ...]] = {
    STOP: ("ALTO", "PARAR", "PARA", "BAJA", "CANCELAR", "DETENER"),
    START: ("INICIAR", "COMENZAR", "EMPEZAR"),
    HELP: ("AYUDA",),
}
KEYWORDS_VI: dict[str, tuple[str, ...]] = {
    STOP: ("DỪNG", "HỦY", "NGỪNG"),
    START: ("BẮT ĐẦU",),
    HELP: ("GIÚP", "TRỢ GIÚP"),
}
KEYWORDS_ZH: dict[str, tuple[str, ...]] = {
    STOP: ("停止", "退订", "退訂", "取消"),
    START: ("开始", "開始"),
    HELP: ("帮助", "幫助"),
}
KEYWORDS_AR: dict[str, tuple[str, ...]] = {
    STOP: ("توقف", "إلغاء", "الغاء", "إيقاف"),
    START: ("ابدأ", "بدء"),
    HELP: ("مساعدة",),
}
KEYWORDS_HT: dict[str, tuple[str, ...]] = {
    STOP: ("KANPE", "SISPANN", "ANILE"),
    START: ("KÒMANSE",),
    HELP: ("ÈD",),
}
KEYWORDS_BY_LANGUAGE: dict[str, dict[str, tuple[str, ...]]] = {
    "en": KEYWORDS_EN,
    "es": KEYWORDS_ES,
    "vi": KEYWORDS_VI,
    "zh": KEYWORDS_ZH,
    "ar": KEYWORDS_AR,
    "ht": KEYWORDS_HT,
}

_JOINERS = re.compile(r"[-_]")


def _key(text: str) -> str:
    """Fold a message or keyword to its lookup form: no accents, edges trimmed, joiners gone."""
    folded = fold(text)
    start, end = 0, len(folded)
    while start < end and _is_edge(folded[start]):
        start += 1
    while end > start and _is_edge(folded[end - 1]):
        end -= 1
    return _JOINERS.sub("", folded[start:end])


def _is_edge(ch: str) -> bool:
    """Whether a character may surround a keyword: space, punctuation, symbol or emoji."""
    return ch.isspace() or unicodedata.category(ch)[0] in ("P", "S")


def _build_lookup() -> dict[str, str]:
    """Folded keyword -> kind, refusing a word listed under two kinds."""
    lookup: dict[str, str] = {}
    for table in KEYWORDS_BY_LANGUAGE.values():
        for kind, words in table.items():
            for word in words:
                key = _key(word)
                if lookup.setdefault(key, kind) != kind:
                    raise ValueError(f"keyword {word!r} is both {lookup[key]} and {kind}")
    return lookup


_LOOKUP = _build_lookup()


def classify_keyword(text: str) -> str | None:
    """The keyword kind ("stop", "start", "help") when the whole message is one, else None."""
    return _LOOKUP.get(_key(text))
