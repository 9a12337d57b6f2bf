"""Read the yes/no answers to "Would you like someone to follow up?" and "Was this helpful?".

Rules, in order:

1. Hedges win: "maybe", "not sure", "idk", "no se", "yes and no" -> None (the bot must
   not decide for the family).
2. Phrases that contain "no" without meaning no are neutralised first ("no problem",
   "no worries", "why not", "no one", "no hay problema").
3. Strong markers (yes, yeah, sure, si, claro, 👍 / no, nope, not now, no gracias, 👎 and
   negated requests such as "don't call", "not helpful") decide. Both kinds present ->
   None. Weak markers ("ok", "please", "por favor", "thanks") count only when no strong
   marker is present, so "no por favor" is no and "ok" alone is yes.
4. "I'm good", "we're fine", "estamos bien" decline the offer (False) when nothing else
   answers: in a follow-up offer that is how families say "no thanks".
Anything else ("what?", "who is this") -> None.
"""

from __future__ import annotations

import re

from bot.core.text import fold_plain

_HEDGES = re.compile(
    r"\b(?:maybe|perhaps|not sure|unsure|idk|i dunno|dunno|i do ?not know|i dont know|"
    r"depends|it depends|kind of|kinda|sort of|yes and no|yes or no|yes no|"
    r"quizas?|tal vez|a lo mejor|puede ser|no se|no lo se|no estoy segur[oa]|depende|"
    r"si y no|si o no|mas o menos|co the|khong biet|petet|m pa konnen|pa konnen)\b"
)
# Phrases with "no" in them that mean yes, or mean nothing about the question.
_MEANS_YES = re.compile(
    r"\b(?:why not|no doubt|i dont mind|i do not mind|dont mind|not bad|por que no|"
    r"porque no|si no es molestia|no es molestia|no me molesta|nada mal|no hay problema|"
    r"no problem|no prob)\b|没问题|沒問題|没事|沒事"
)
_MEANS_NOTHING = re.compile(
    r"\b(?:no worries|no biggie|no one|nobody|no hay bronca|no te preocupes|no se preocupe)\b"
)
# A yes-word under a negation ("not helpful", "no me ayudo", "don't call me") is a no.
_NEGATED_YES = re.compile(
    r"\b(?:not|no|dont|do not|didnt|did not|wasnt|was not|isnt|is not|doesnt|does not|"
    r"never|nunca|ni)\s+(?:\w+\s+)?(?:helpful|useful|help|helped|helps|util|utiles|ayudo|"
    r"ayudaron|ayuda|sirvio|sirve|call|calls|calling|text|contact|llamen|llame|llamar|"
    r"contacten|contacte|necesito|necesitamos|need|needed|want|wanna|quiero|queremos|"
    r"really|very|much|mucho|muy|gustaria|like)\b"
)
_STRONG_YES = re.compile(
    r"\b(?:yes please|ye+s+|ye+a+h*|ya+h|yep|yup|sure|of course|absolutely|definitely|"
    r"def|certainly|for sure|sounds good|that would be great|would be great|please do|"
    r"call me|please call|text me|it helped|very helpful|helpful|useful|really helped|"
    r"it did|si+|sip|sep|simon|claro|por supuesto|desde luego|dale|me ayudo|me sirvio|"
    r"sirvio|ayudo mucho|muy util|util|afirmativo|wi|dako|yes|llamame|llamenme|llameme|"
    r"que me llamen|me gustaria|i would like (?:that|it|a call|someone)|id like (?:that|it|a call|"
    r"someone)|that would be nice|would be nice)\b|[👍👌✅]"
)
_STRONG_NO = re.compile(
    r"\b(?:not now|not right now|not today|not yet|not really|not at all|not necessary|"
    r"not needed|no need|not interested|unhelpful|no thanks|no thank you|never mind|nvm|"
    r"negative|nel|nop|nope|nah+|naw|nay|para nada|ahorita no|ahora no|todavia no|"
    r"mejor no|tampoco|no gracias|non|pa bezwen|no+)\b|👎"
)
_WEAK_YES = re.compile(
    r"\b(?:ok+|okay|okey|oki|kk|k|please|pls|plz|por favor|porfa|porfavor|bueno|va|"
    r"esta bien|good|great|nice|perfect|perfecto|alright|all right|tanpri)\b|[🙏🙂😊]"
)
_DECLINE = re.compile(
    r"\b(?:(?:im|i am|were|we are) (?:good|fine|ok|okay|all good|all set)|all good|"
    r"estamos bien|estoy bien|todo bien|asi estamos bien)\b"
)
# A lone letter is an SMS answer only when it is the whole message.
_LONE = {"y": True, "n": False}
# Other supported languages, for families who answer in their own words.
_VI_YES = re.compile(r"\b(?:co|vang|da|duoc|u|dong y)\b")
_VI_NO = re.compile(r"\b(?:khong|ko|kg|k|thoi)\b")
_ZH_NO = re.compile(r"[不没沒别別]")
_ZH_YES = re.compile(r"[是好要对對行嗯]|可以|需要|有帮助|有幫助")
_AR_YES = re.compile(r"(?:^|\s)(?:نعم|ايوه|ايوا|اه|اجل|طبعا|حسنا|اكيد|ممكن)(?:\s|$)")
_AR_NO = re.compile(r"(?:^|\s)(?:لا|كلا|مش|ليس)(?:\s|$)")
_PUNCT = re.compile(r"[^\w\s👍👌✅👎🙏🙂😊]")
_SPACES = re.compile(r"\s+")


def _other_languages(text: str, language: str | None) -> bool | None:
    """Answer in Vietnamese, Chinese or Arabic; Vietnamese only when the family speaks it."""
    yes = no = False
    if language == "vi":
        yes, no = bool(_VI_YES.search(text)), bool(_VI_NO.search(text))
    if _ZH_NO.search(text):
        no = True
    elif _ZH_YES.search(text):
        yes = True
    yes = yes or bool(_AR_YES.search(text))
    no = no or bool(_AR_NO.search(text))
    if yes != no:
        return yes
    return None


def parse_yes_no(text: str, language: str | None = None) -> bool | None:
    """True for yes, False for no, None when the family did not clearly say either."""
    folded = fold_plain(text)
    bare = _SPACES.sub(" ", _PUNCT.sub(" ", folded)).strip()
    if not bare:
        return None
    if bare in _LONE:
        return _LONE[bare]
    if _HEDGES.search(bare):
        return None
    # Punctuation is kept while rewriting so a negation never reaches across "no, sure".
    folded = _MEANS_YES.sub(" yes ", folded)
    folded = _MEANS_NOTHING.sub(" ", folded)
    folded = _NEGATED_YES.sub(" no ", folded)
    plain = _SPACES.sub(" ", _PUNCT.sub(" ", folded)).strip()
    if language == "vi" and (answer := _other_languages(plain, language)) is not None:
        return answer
    yes = bool(_STRONG_YES.search(plain))
    no = bool(_STRONG_NO.search(plain))
    if yes and no:
        return None
    if yes or no:
        return yes
    if _DECLINE.search(plain):
        return False
    if _WEAK_YES.search(plain):
        return True
    return _other_languages(plain, language)
