"""Which language to speak: normalise codes and names, spot a switch request, guess a first message.

- `normalize_language` accepts codes, locale tags and names in English or the language
  itself ("es_MX", "Spanish", "español", "kreyòl") and raises UnknownLanguage otherwise.
- `requested_language` only answers for an explicit request: a short message made of a
  language name and request words ("en español por favor", "can we do this in english"),
  or a request verb followed by "in <language>" ("can you text me in spanish? my english
  is bad"). A sentence that merely mentions a language ("my son is learning Spanish at
  school", "he is failing English class") is None. Negated names ("no english") never
  count. Returns any supported code; callers decide whether it is enabled.
- `detect_language` is an offline heuristic for a family's first message: script first
  (Han -> zh, Arabic -> ar, Vietnamese letters -> vi), then Haitian Creole markers, then
  English vs Spanish word scores. None when unsure ("ok", "👍", a tie).
"""

from __future__ import annotations

import re
import unicodedata

from bot.core.text import fold_plain

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "es", "vi", "zh", "ar", "ht")
ENABLED_LANGUAGES: tuple[str, ...] = ("en", "es")


class UnknownLanguage(ValueError):
    """A language value that FamilyBot does not support; the message lists what it accepts."""


# Names in English, in the language itself (folded), common misspellings and ISO 639-2/3 codes.
_NAMES: dict[str, str] = {
    "english": "en", "ingles": "en", "eng": "en", "anglais": "en", "angle": "en",
    "tieng anh": "en", "englis": "en", "inglish": "en",
    "spanish": "es", "espanol": "es", "castellano": "es", "spa": "es", "espaniol": "es",
    "espanish": "es", "spanglish": "es", "espagnol": "es", "panyol": "es",
    "tieng tay ban nha": "es",
    "vietnamese": "vi", "tieng viet": "vi", "viet": "vi", "vie": "vi", "viet nam": "vi",
    "vietnam": "vi", "vietnamita": "vi",
    "chinese": "zh", "mandarin": "zh", "simplified chinese": "zh", "zho": "zh", "chi": "zh",
    "cmn": "zh", "zhongwen": "zh", "putonghua": "zh", "chino": "zh", "mandarin chinese": "zh",
    "中文": "zh", "汉语": "zh", "漢語": "zh", "普通话": "zh", "普通話": "zh", "简体中文": "zh",
    "华语": "zh", "華語": "zh", "国语": "zh", "國語": "zh",
    "arabic": "ar", "ara": "ar", "arabe": "ar", "عربي": "ar", "العربية": "ar", "عربية": "ar",
    "اللغة العربية": "ar",
    "haitian creole": "ht", "haitian": "ht", "creole": "ht", "kreyol": "ht", "hat": "ht",
    "kreyol ayisyen": "ht", "ayisyen": "ht", "haitian kreyol": "ht", "creole haitiano": "ht",
    "criollo haitiano": "ht", "criollo": "ht", "creol": "ht", "kreol": "ht",
}  # fmt: skip
_TAG = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]+)*$")


def normalize_language(value: str) -> str:
    """The two-letter code for a code, locale tag or language name; UnknownLanguage otherwise."""
    folded = re.sub(r"[\s_]+", " ", fold_plain(value or "")).strip(" .")
    if folded in _NAMES:
        return _NAMES[folded]
    tag = _TAG.match(folded.replace(" ", "-"))
    if tag:
        primary = tag.group(1)
        if primary in SUPPORTED_LANGUAGES:
            return primary
        if primary in _NAMES:
            return _NAMES[primary]
    raise UnknownLanguage(
        f"unsupported language {value!r}: use one of {', '.join(SUPPORTED_LANGUAGES)} "
        "(codes, tags like 'es-MX', or names like 'Spanish' are accepted)"
    )


# --- explicit requests ----------------------------------------------------------------

# Names usable in a request: not 3-letter codes, not country names ("in vietnam"), not "angle".
_REQUEST_NAMES: dict[str, str] = {
    name: code
    for name, code in _NAMES.items()
    if len(name) > 3 and name.isascii() and name not in ("vietnam", "viet nam", "angle")
}
_NAME_ALT = "|".join(sorted(map(re.escape, _REQUEST_NAMES), key=len, reverse=True))
_NAME_RE = re.compile(rf"\b({_NAME_ALT})\b")
# Words that may surround a language name in a request without making it a sentence.
_REQUEST_WORDS = frozenset(
    """
    please pls plz por favor porfa porfavor gracias thanks thank you ty in en an bang em na
    language idioma lang lenguaje only solo solamente just mejor better prefer prefiero
    preferimos i we me us you u can could would will may puede puedes pueden podemos podria
    se do this talk text write speak speaking switch change go back to a al el la cambiar
    cambia cambie cambiemos hablar habla hablas hablan hablame hablen escribir escribe
    escribeme escribame escriban mandame mande mensajes messages message reply respond
    answer contestar contesta continue seguir sigamos hi hello hola ok okay si yes want
    quiero queremos need necesito the de que en lugar instead of mas more tanpri pale
    ann nou ka mwen vle souple xin vui long noi chuyen dung
    """.split()
)
_REQUEST_VERBS = (
    r"(?:can|could|would|will|please|pls|plz|prefer|prefiero|preferimos|want|quiero|queremos|"
    r"text|write|speak|talk|reply|respond|answer|continue|switch|change|message|chat|"
    r"puede\w*|podemos|podria\w*|mejor|por favor|porfa|escrib\w*|contest\w*|"
    r"hablar\w*|hablame|hablen|hablemos|hablas|hablamos|"
    r"respond\w*|mand\w*|segu\w*|sig\w*|cambi\w*|pale|ekri)"
)
_IN = r"(?:in|en|an|bang|em)"
_EXPLICIT = re.compile(
    _REQUEST_VERBS + r"\b(?:\s+(?!help\b|ayud)\w+){0,6}?\s+" + _IN + rf"\s+({_NAME_ALT})\b"
    r"(?!\s+(?:class|classes|clase|clases|grade|homework|tarea|teacher|maestr\w*|test|exam|"
    r"reading|lectura|materia|subject|speaking|course|curso))"
)
_NEGATED_NAME = re.compile(
    r"\b(?:no|not|dont speak|do not speak|dont understand|no hablo|no entiendo|no se|"
    rf"my|mi)\s+(?:\w+\s+)?({_NAME_ALT})\b"
)
_ZH_REQUEST = re.compile(
    r"^(?:请|請|可以|能|我要|我想)?(?:用|说|說|讲|講|要)?(?:中文|普通话|普通話|汉语|漢語|华语|華語|国语|國語|简体中文)"
    r"(?:吧|可以吗|可以嗎|好吗|好嗎|谢谢|謝謝|请|請)?$"
)
_AR_REQUEST = re.compile(
    r"^(?:ممكن |من فضلك |لو سمحت |اريد |اتكلم |تكلم )?(?:بال|باللغة ال|اللغة ال|ال)?(?:عربي|عربية)"
    r"(?: من فضلك| لو سمحت| شكرا)?$"
)
_PUNCT = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")


def _bare(text: str) -> str:
    """Folded, apostrophe-free text with punctuation turned into spaces."""
    return _SPACES.sub(" ", _PUNCT.sub(" ", fold_plain(text))).strip()


def requested_language(text: str) -> str | None:
    """The language a family explicitly asks to switch to, or None for ordinary sentences."""
    bare = _bare(text)
    if not bare:
        return None
    compact = bare.replace(" ", "")
    if _ZH_REQUEST.match(compact):
        return "zh"
    if _AR_REQUEST.match(bare):
        return "ar"
    explicit = {_REQUEST_NAMES[m.group(1)] for m in _EXPLICIT.finditer(bare)}
    if len(explicit) == 1:
        return explicit.pop()
    # Short messages: a language name and nothing but request words around it.
    without_negated = _NEGATED_NAME.sub(" ", bare)
    names = {_REQUEST_NAMES[m.group(1)] for m in _NAME_RE.finditer(without_negated)}
    if len(names) != 1:
        return None
    rest = _NAME_RE.sub(" ", without_negated).split()
    if len(rest) <= 6 and all(word in _REQUEST_WORDS for word in rest):
        return names.pop()
    return None


# --- first-message detection -----------------------------------------------------------

_ES_WORDS = frozenset(
    """
    hola buenos buenas dias tardes noches gracias que como esta estas estamos estoy bien mi
    mis hijo hija hijos hijas nino nina ninos ninas escuela el la los las del y por para pero
    muy con es tengo tiene tenemos quiero puede favor senor senora maestra maestro todo
    nada porque pq xq tambien ella ellos usted hoy manana semana familia nosotros bueno buena
    claro disculpe perdon quien cual cuando donde hace ser estar una al lo le su sus ya aqui
    ahorita cansada cansado enfermo enferma mal soy somos eres hay esto eso mucho poco ayuda
    necesito dice dijo fue va vamos siento gusto saludos si
    """.split()
)
_EN_WORDS = frozenset(
    """
    hi hello hey good morning afternoon evening thanks thank you u yes yeah the and is are my
    daughter kid kids child children school we i im it this that what who how doing fine
    well not but with for have has he she they was week today tomorrow please sorry sick
    tired bus whats dont can cant your our his her him them been just about when where
    why there their because bc would could should will yep nope hru wyd ty thx
    """.split()
)
# Haitian Creole: strong markers count 3, weak ones 1 (none shared with Spanish or English).
_HT_STRONG = frozenset(
    {"bonjou", "bonswa", "mwen", "kijan", "kouman", "tanpri", "kounye", "kreyol", "mesi", "pitit",
     "sak"}
)  # fmt: skip
_HT_WEAK = frozenset({"nou", "gen", "byen", "anpil", "lekol", "pou", "ap", "ki", "li", "pase"})
_VI_ASCII = re.compile(r"\b(?:xin chao|cam on|khong|duoc|chau (?:bi|khoe)|toi la)\b")
_VI_LETTERS = re.compile(r"[ăắằẳẵặđơớờởỡợưứừửữựĂĐƠƯ\u1ea0-\u1ef9]")


def _script_counts(text: str) -> tuple[int, int]:
    """(Han characters, Arabic-script characters) in the text."""
    han = arabic = 0
    for ch in text:
        code = ord(ch)
        if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
            han += 1
        elif 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
            if unicodedata.category(ch).startswith("L"):
                arabic += 1
    return han, arabic


def detect_language(text: str) -> str | None:
    """Best guess at the language of a family's message, or None when unsure."""
    raw = unicodedata.normalize("NFC", text).lower()
    han, arabic = _script_counts(raw)
    if han or arabic:
        return "zh" if han >= arabic else "ar"
    if _VI_LETTERS.search(raw):
        return "vi"
    words = _bare(text).split()
    if not words:
        return None
    if _VI_ASCII.search(" ".join(words)):
        return "vi"
    ht = sum(3 * (word in _HT_STRONG) + (word in _HT_WEAK) for word in words)
    es = sum(word in _ES_WORDS for word in words) + 2 * len(re.findall(r"[ñ¿¡áíóú]", raw))
    en = sum(word in _EN_WORDS for word in words)
    if ht >= 3 and ht > es and ht > en:
        return "ht"
    if es > en:
        return "es"
    if en > es:
        return "en"
    return None
