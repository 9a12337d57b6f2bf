"""The tone of a family's answer to "How are you and your family doing this week?".

It only picks the acknowledgement the bot sends before the rating question, so it is
keyword-based and predictable:
- Phrases are read longest first and consumed: "más o menos bien" is neutral, "not bad"
  and "nada mal" are positive, "no muy bien", "not good", "not great" are negative.
- Any other word under a negation ("not", "no", "nada", "ni", "never" among the two
  words before it) flips: a negated positive is negative, a negated negative is neutral.
- Empathy wins: if anything negative remains, the tone is negative ("good, but the baby
  is sick", "bien pero estresada"), because a cheerful reply to a hard week hurts trust
  more than a gentle one to a mixed week. Only plain tiredness beside a good or okay
  word ("doing ok, a bit tired", "bien pero cansada") is neutral: "I'm sorry this week
  has been hard" would overstate it. Otherwise positive beats neutral; nothing found is
  neutral.
- English and Spanish fully; a few words in Vietnamese and Haitian Creole when `language`
  says so, and Chinese/Arabic by script.
"""

from __future__ import annotations

import re

from bot.core.text import fold_plain

POSITIVE = "positive"
NEUTRAL = "neutral"
NEGATIVE = "negative"

# Whole phrases first: each is consumed so its words are not read again.
_PHRASES: tuple[tuple[str, str], ...] = (
    (r"not (?:too |so |that )?bad|nada mal|no (?:tan |esta |estamos )?mal|not half bad", POSITIVE),
    (r"could be worse|can(?:t|not) complain|no me quejo|no nos quejamos", POSITIVE),
    (r"(?:not|no) (?:so |too |very |that |muy |tan |really |)(?:good|great|well|bien|buena|"
     r"buenas|buenos|bueno)", NEGATIVE),
    (r"(?:been|have been|ive been|weve been) better|could be better|podria estar mejor|"
     r"(?:hemos|he) estado mejor", NEGATIVE),
    (r"mas o menos(?: bien)?|so ?-? ?so(?: good)?|more or less|ni bien ni mal|not bad not great|"
     r"ahi vamos|"
     r"ahi la llevamos|ahi nomas|hanging in there|surviving|sobreviviendo|same as always|"
     r"como siempre|lo normal|nothing new|nada nuevo|same old|regular(?:cito)?|meh|"
     r"so and so|okay i guess|ok i guess|bien y mal|up and down|ups and downs", NEUTRAL),
)  # fmt: skip
_POSITIVE_WORDS = re.compile(
    r"\b(?:great|good|gud|gd|wonderful|amazing|awesome|excellent|fantastic|happy|blessed|"
    r"better|perfect|lovely|nice|super|terrific|thankful|grateful|glad|well|doing well|"
    r"bien|muy bien|excelente|genial|feliz|felices|content[oa]s?|bendecid[oa]s?|mejor|"
    r"maravilla|de maravilla|chido|bonito|tranquil[oa]s?|perfecto|buena|buenas|buenos|"
    r"buenisimo|alegres?)\b|[😊🙂😀😁😃😄❤♥💕👍🥰😍🙌]"
)
_NEUTRAL_WORDS = re.compile(
    r"\b(?:ok+|okay|okey|fine|alright|all right|normal|busy|average|so so|same|regular|"
    r"ocupad[oa]s?|tranqui|bueno|pues)\b|😐"
)
_NEGATIVE_WORDS = re.compile(
    r"\b(?:tired|exhausted|stress\w*|overwhelm\w*|sad|bad|awful|terrible|horrible|rough|"
    r"hard|difficult|tough|sick|worried|worry|struggl\w*|depress\w*|anxious|anxiety|"
    r"lonely|scared|frustrat\w*|angry|upset|crazy|hectic|broke|hospital\w*|lost|died|"
    r"passed away|funeral|evicted|crying|not great|sucks|sucked|worst|exhausting|drained|"
    r"burn(?:ed|t) out|mal|fatal|cansad[oa]s?|estresad[oa]s?|dificil(?:es)?|triste\w*|"
    r"preocupad[oa]s?|enferm\w*|agotad[oa]s?|pesad[oa]s?|dur[oa]|complicad[oa]s?|"
    r"batallando|problemas?|horrible|feo|fea|malit[oa]s?|desesperad[oa]s?|abrumad[oa]s?|"
    r"agobiad[oa]s?|deprimid[oa]s?|ansios[oa]s?|muri\w*|falleci\w*|hospital)\b|"
    r"[😢😞😔😩😭😓😟😣😫😖☹🙁😕😰😥💔]"
)
_NEGATORS = frozenset(
    {"not", "no", "never", "nada", "ni", "nunca", "isnt", "wasnt", "arent", "sin", "without"}
)
_VI = (
    (re.compile(r"\b(?:met|buon|om|khong (?:tot|khoe|on))\b"), NEGATIVE),
    (re.compile(r"\b(?:tot|khoe|vui|on)\b"), POSITIVE),
)
_HT = (
    (re.compile(r"\b(?:pa byen|pa two byen|fatige|malad|tris)\b"), NEGATIVE),
    (re.compile(r"\b(?:byen|anfom|bon)\b"), POSITIVE),
    (re.compile(r"\b(?:pa pi mal|konsa konsa)\b"), NEUTRAL),
)
_ZH = (
    (re.compile(r"不好|不太好|累|难|難|病|担心|擔心|压力|壓力"), NEGATIVE),
    (re.compile(r"好|不错|不錯|开心|開心"), POSITIVE),
)
_AR = (
    (re.compile(r"متعب|تعبان|صعب|مريض|حزين|قلق|سيء"), NEGATIVE),
    (re.compile(r"بخير|الحمد لله|جيد|تمام|ممتاز"), POSITIVE),
)
_COMPILED_PHRASES = tuple((re.compile(rf"\b(?:{p})\b"), tone) for p, tone in _PHRASES)
_WORD = re.compile(r"\w+")


def _negated(text: str, start: int) -> bool:
    """Whether one of the two words before `start` negates what follows."""
    return any(word in _NEGATORS for word in _WORD.findall(text[:start])[-2:])


# Tiredness alone does not make a week hard when the family also says it was good or okay.
_MILD_NEGATIVE = re.compile(r"\b(?:tired|cansad[oa]s?)\b")


def _resolve(found: set[str], mild_only: bool = False) -> str:
    """Empathy first: negative, then positive, then neutral."""
    if NEGATIVE in found and mild_only and found & {POSITIVE, NEUTRAL}:
        return NEUTRAL
    for tone in (NEGATIVE, POSITIVE, NEUTRAL):
        if tone in found:
            return tone
    return NEUTRAL


def feeling_tone(text: str, language: str | None = None) -> str:
    """The tone ("positive", "neutral", "negative") picks how the bot acknowledges the answer."""
    plain = fold_plain(text)
    found: set[str] = set()
    strong_negative = False  # anything negative beyond plain tiredness

    def add(tone: str, mild: bool = False) -> None:
        nonlocal strong_negative
        found.add(tone)
        strong_negative = strong_negative or (tone == NEGATIVE and not mild)

    for pattern, tone in _COMPILED_PHRASES:
        if pattern.search(plain):
            add(tone)
            plain = pattern.sub(" ; ", plain)
    for match in _NEGATIVE_WORDS.finditer(plain):
        negated = _negated(plain, match.start())
        add(NEUTRAL if negated else NEGATIVE, bool(_MILD_NEGATIVE.fullmatch(match.group(0))))
    for match in _POSITIVE_WORDS.finditer(plain):
        add(NEGATIVE if _negated(plain, match.start()) else POSITIVE)
    if _NEUTRAL_WORDS.search(plain):
        add(NEUTRAL)
    extra: tuple[tuple[re.Pattern[str], str], ...] = _ZH + _AR
    if language == "vi":
        extra += _VI
    if language == "ht":
        extra += _HT
    for pattern, tone in extra:
        if pattern.search(plain):
            add(tone)
            plain = pattern.sub(" ; ", plain)
    return _resolve(found, mild_only=not strong_negative)
