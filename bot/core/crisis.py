"""Deterministic crisis detection, run on every inbound message before NLU (SPEC section 4).

Bias: recall. A false alarm costs a staff member a minute; a miss can cost a life. So
negations are not undone ("he's not suicidal" still alerts), and a person threatening a
person alerts even when it may be a joke ("my mom is going to kill me", "mi mama me va
a matar"). "I'm going to kill him" (the family member speaking) does not, and accidents
told plainly ("she fell and hurt herself") do not, except "cut herself", which alerts.
Figures of speech are excluded by shape rather than by word: "is killing me", "my phone
died", "dying to", "dead tired", "to die for", "killing it", "me muero de risa",
"me mata el trafico", "la tarea me esta matando", "se murio mi celular" never match
because every pattern needs an intent ("wants to", "quiere"), a reflexive ("himself",
"matarse"), a person doing harm to a person, or a medical sign.

When several kinds match, the first in this order is returned: self_harm, violence,
medical, abuse (the reply for immediate danger must not be replaced by a hotline number).
Limits: English and Spanish only today; misspellings beyond common SMS forms, euphemisms
("unalive" is covered, new slang is not), and crises told as stories without any of these
shapes can be missed: staff still see every message of an escalated or handed-off chat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.text import fold_plain

CRISIS_KINDS: tuple[str, ...] = ("self_harm", "violence", "medical", "abuse")

_SELF = r"(?:him|her|them|your|our|one|my ?)sel(?:f|ves)"
_PERSON = (
    r"(?:he|she|hes|shes|they|someone|somebody|a man|a guy|a woman|(?:my|her|his|their|our|the) "
    r"(?:\w+ )?(?:dad|father|mom|mother|stepdad|stepfather|stepmom|stepmother|step dad|step mom|"
    r"boyfriend|girlfriend|husband|wife|partner|ex|uncle|aunt|grandpa|grandma|grandfather|"
    r"grandmother|brother|sister|cousin|babysitter|sitter|neighbor|coach|teacher|parent|"
    r"roommate|landlord|man|guy))"
)
_KIN = (
    r"(?:kids?|children|child|son|daughter|baby|babies|girl|boy|sister|brother|mom|mother|"
    r"wife|family|grandson|granddaughter|niece|nephew|stepson|stepdaughter)"
)
_OBJECT = r"(?:me|her|him|us|them|the kids|the baby|(?:my|our|his|her|their) (?:\w+ )?" + _KIN + ")"
_INTENT = (
    r"(?:want|wants|wanted|wanna|trying|tried|tries|try|going|gonna|threaten\w*|might|will|"
    r"would|keeps?|kept|has been|have been|is|was|hes|shes|been|on purpose)"
)
# Benign phrases blanked before matching: toys, sports, idioms that share words with crises.
_BENIGN = re.compile(
    r"\b(?:(?:nerf|water|glue|toy|squirt|nail|heat|bb|paintball|airsoft|hot glue|spray|staple|"
    r"finger) guns?|stroke of (?:luck|genius)|food poisoning|hurt (?:his|her|my|their|our|your) "
    r"feelings|hit (?:his|her|my|their) (?:head|knee|arm|leg|elbow|face|toe|foot|hand|nose|back)"
    r"|se (?:me|le|les|nos|te) peg\w*|(?:photo|bath) ?bombs?|choking up|"
    r"passed out (?:the|some|flyers|papers|candy|forms|tests|homework|cards|invitations)|"
    r"(?:knife|gun|guns|knives) (?:collection|safety|range|show|club|control)|gun range)\b"
)
_PEERS_AT_SCHOOL = re.compile(
    r"\b(?:at school|in school|en la escuela|kids|students|classmates|bully|bullies|"
    r"ninos|companeros|alumnos|otro nino|otra nina)\b"
)

_SELF_HARM = (
    r"kill(?:s|ed|ing)? " + _SELF,
    r"kms",
    r"unalive\w*",
    r"suicid\w*",
    r"(?:want|wants|wanted|wanting|wanna|going|gonna|trying|tried|try|tries|plan|plans|"
    r"planning) to (?:die|end it|end (?:it all|(?:my|his|her|their) (?:own )?life))",
    r"(?:want|wants|wanted|wish|wishes|wished) (?:to be|(?:he|she|i|they) (?:was|were)) dead",
    r"better off dead",
    r"(?:dont|doesnt|do not|does not|didnt) (?:want|wanna) to (?:live(?! (?:here|there|with|in|"
    r"at|near|by|like))|be alive|exist)(?: anymore)?",
    r"(?:no|dont see (?:a|any)|doesnt see (?:a|any)) (?:reason|point) (?:to|in|of) (?:live|living)",
    r"(?:end|ending|ended|take|taking|took) (?:it all|(?:my|his|her|their) (?:own )?life)",
    r"(?:harm|harms|harming|harmed|cut|cuts|cutting|starve|starving|starved|hang|hanging|"
    r"hanged|strangle|strangling) " + _SELF,
    _INTENT + r" (?:to )?(?:hurt|hurting|burn|burning|hit|hitting) " + _SELF,
    r"(?:hurt|hurts|hurting|burn|burns|burned|hit|hits) " + _SELF + r" on purpose",
    r"self ?harm\w*",
    r"(?:is|has been|was|been|started|keeps|keep|caught (?:her|him)) cutting(?! (?:class|"
    r"school|hair|paper|grass|wood|back|down|out|his|her|my|the|a|an|some|off|up|it|them|"
    r"through|coupons|onions|in line|corners))",
    r"cutting (?:on )?(?:his|her|my|their) (?:arms?|wrists?|legs?|thighs?|skin)",
    r"slit (?:his|her|my|their) wrists?",
    r"(?:cant|cannot) go on(?= *(?:$|[.!]| like this| anymore| living))",
    r"jump (?:off|from) (?:a|the) (?:bridge|building|roof)",
    # Spanish
    r"se (?:quiere |queria |quiso |va a |iba a |intento |trato de |piensa |penso en )?"
    r"mat(?:ar|o|e)(?! \w+(?:ando|iendo)\b)",
    r"se (?:quiere |queria |va a |iba a )?mata(?! \w+(?:ando|iendo)\b)",
    r"(?:me quiero|me voy a|quiero|voy a|pienso|pense en) matarme",
    r"me quiero matar",
    r"matarse",
    r"quitar(?:se|me|le) la vida",
    r"(?:se|me) (?:quiere|quiero|queria|va a|voy a) quitar la vida",
    r"(?:ya )?no (?:quiero|quiere|queremos|quiera) (?:seguir )?(?:vivir(?! (?:aqui|alla|ahi|con|"
    r"en|cerca))|viviendo|estar vivo|estar viva)",
    r"no (?:tiene|tengo) (?:ganas de|razon para) vivir",
    r"(?:quiero|quiere|queria) morir(?:me|se)?",
    r"(?:me|se) (?:quiero|quiere|queria) morir",
    r"(?:desearia|quisiera|quiere|quiero) estar muert[oa]",
    r"autolesi\w*",
    r"se (?:esta |ha estado )?cort(?:a|o|aba|ando) (?:los brazos|las munecas|las piernas|"
    r"el brazo|la muneca|sola|solo|a si mism[oa])",
    r"cortandose(?! el (?:pelo|cabello))",
    r"(?:se|me) (?:hace|hizo|hago|quiere hacer|esta haciendo) dano",
    r"hacer(?:se|me) dano",
    r"se lastima (?:a si mism[oa]|sol[oa])",
    r"(?:se|me) quiero aventar|se quiere aventar",
)

_VIOLENCE = (
    r"(?:gun|guns|gunman|firearm|pistol|rifle|shotgun|shooter)(?<!nerf gun)(?<!water gun)"
    r"(?<!glue gun)(?<!toy gun)(?<!nail gun)(?<!heat gun)",
    r"armed",
    r"(?:a|with a|has a|had a|pulled a|pulled out a|holding a|waving a) (?:knife|weapon|machete)",
    r"(?:got|was|been|is|being|getting|were) (?:shot|stabbed)",
    r"stab(?:s|bed|bing)?",
    r"shooting(?! (?:hoops|baskets|practice|photos|pictures|video|star|stars|guard|range))",
    r"(?:threaten\w*|threat\w*|says|said|saying|swears|swore) (?:\w+ )?(?:to|he will|he would|"
    r"she will|she would|hell|shell|they will|theyll|he is going to|she is going to) "
    r"(?:kill|hurt|shoot|stab|beat) (?:us|me|you|" + _OBJECT + ")",
    r"(?:" + _PERSON + r"|people|someone|they) (?:\w+ ){0,3}?(?:going|gonna|wants?|wanted|trying|"
    r"tried|tries|will|would|hell|shell|theyll) (?:to )?(?:kill|hurt|shoot|stab|beat up|attack) "
    r"(?:us|you|" + _OBJECT + ")",
    r"(?:want|wanna|afraid i will|afraid ill|scared ill|scared i will|might) (?:to )?(?:hurt|harm|"
    r"shake) (?:my|the) (?:baby|kids?|children|son|daughter)",
    _PERSON + r" (?:is |are )?(?:hurting|beating|attacking|choking|strangling|hitting) " + _OBJECT,
    r"(?:someone|somebody|a man|a guy|people|theres someone|he|she|they) (?:is |are )?"
    r"(?:breaking|broke|trying to (?:break|get)) in",
    r"break-?ins?",
    r"broke into (?:our|my|the) (?:house|home|apartment|place|room)",
    r"intruder",
    r"(?:in|immediate) danger",
    r"(?:were|we are|im|i am|shes|she is|hes|he is|theyre|they are|kids are|we arent|im not) "
    r"(?:not safe|unsafe|in danger)",
    r"hostage",
    r"threaten(?:s|ed|ing)? (?:me|us)",
    _PERSON + r" (?:\w+ )?threaten(?:s|ed|ing)? (?:her|him|them|" + _OBJECT + ")",
    r"kidnap\w*",
    r"(?:took|taken|abducted|grabbed) (?:my|our) (?:child|son|daughter|kids|baby|children)",
    r"(?:following|stalking) (?:me|us|her|him|my \w+)",
    r"bomb",
    r"lockdown",
    r"active shooter",
    # Spanish
    r"arma(?:s)?(?: de fuego)?",
    r"pistola",
    r"(?:un|con un|tiene un|trae un|saco un) (?:cuchillo|machete|navaja)",
    r"balazo\w*",
    r"balacera",
    r"disparo\w*",
    r"dispararon",
    r"tiroteo",
    r"(?:nos|me|la|lo|le|les|los|las|te) (?:quiere|quieren|queria|va a|van a|iba a|amenaza con|"
    r"amenazo con|amenazan con|intento|trato de|esta tratando de) (?:matar|lastimar|pegar|"
    r"golpear|hacer dano|disparar|apunalar|acuchillar)",
    r"(?:quiere|quieren|va a|van a) (?:matarnos|matarme|matarla|matarlo|matarlos|lastimarnos|"
    r"lastimarme|lastimarla|lastimarlo)",
    r"amenaz\w* (?:de|con) (?:matar\w*|muerte|lastimar\w*)",
    r"amenaza de muerte",
    r"(?:me|nos|la|lo|les|los|las) amenaz(?:a|an|o|aron|aba|aban)",
    r"miedo (?:de )?que (?:me|nos|la|lo|le|les|los|las) (?:pegue|peguen|golpee|golpeen|lastime|"
    r"lastimen|mate|maten|haga dano|hagan dano)",
    r"(?:estamos|estoy|esta|estan) en peligro",
    r"(?:se|nos) (?:metio|metieron|quiere meter|quieren meter|esta metiendo) (?:a|en) "
    r"(?:la|mi|nuestra) casa",
    r"secuestr\w*",
    r"apunal\w*",
    r"acuchill\w*",
    r"(?:el|ella|alguien|un hombre|un senor|mi (?:esposo|pareja|novio|ex|padrastro|marido)|"
    r"su (?:papa|padrastro|novio|pareja|ex)) (?:me|nos|la|lo|los|las) (?:esta|estan) "
    r"(?:matando|golpeando|pegando|lastimando|ahorcando)",
)

_MEDICAL = (
    r"(?:not|isnt|is not|stopped|cant|cannot|can not|having trouble|trouble|struggling to|"
    r"hard time) breath(?:e|ing)",
    r"(?:having|is having|hes having|shes having|just had|in the middle of) (?:a )?seizure",
    r"seizing",
    r"convulsing",
    r"unconscious",
    r"unresponsive",
    r"passed out",
    r"fainted",
    r"collapsed",
    r"overdos\w*",
    r"choking",
    r"bleeding (?:a lot|badly|heavily|everywhere|profusely|wont stop|from (?:the|his|her) head)",
    r"(?:wont|will not|doesnt|does not) stop bleeding",
    r"heart attack",
    r"stroke",
    r"anaphyla\w*",
    r"allergic reaction",
    r"(?:turning|turned|going) blue",
    r"(?:lips|face|skin) (?:are|is|look|looks|turned|turning) blue",
    r"blue lips",
    r"swallowed (?:\w+ ){0,3}?(?:pills|poison|bleach|batter(?:y|ies)|chemicals|medicine)",
    r"(?:took|ate|drank) (?:a (?:bunch|lot) of |too many |all (?:the|her|his|my) )(?:pills|meds|"
    r"medicine|tablets)",
    r"(?:drank|ate|swallowed) (?:bleach|poison|detergent|a tide pod)",
    r"poison(?:ed|ing)",
    r"hit by a car",
    r"ambulance",
    r"911",
    r"(?:cant|cannot|wont|will not) wake (?:him|her|them) up(?! (?:in the morning|for school|on "
    r"time|early|every|most|some|in time|on weekdays|mornings|before))",
    r"(?:hes|shes|he is|she is|is) not waking up(?! (?:in the morning|for school|on time|early|"
    r"every|mornings))",
    # Spanish
    r"no (?:puede |puedo |podia |pudo )?respira\w*",
    r"(?:le cuesta|dejo de|no puede) respirar",
    r"(?:esta )?convulsionando",
    r"le (?:esta )?(?:dando|dio) (?:una )?convulsion",
    r"(?:se )?desmay\w*",
    r"inconsciente",
    r"no reacciona",
    r"(?<!se )no despierta",
    r"sobredosis",
    r"se (?:esta )?ahogando",
    r"se atraganto",
    r"ataque (?:al corazon|cardiaco)",
    r"derrame cerebral",
    r"infarto",
    r"sangr(?:a|ando) mucho",
    r"mucha sangre",
    r"no (?:para|deja) de sangrar",
    r"envenen\w*",
    r"(?:se )?(?:trago|tomo|bebio) (?:muchas |un monton de |todas las )?(?:pastillas|veneno|"
    r"cloro|pilas)",
    r"ambulancia",
    r"reaccion alergica",
    r"se (?:puso|esta poniendo) (?:morad[oa]|azul)",
    r"atropell\w*",
)

_ABUSE = (
    _PERSON + r" (?:\w+ )?(?:hits|hit|beats|beat|punches|punched|kicks|kicked|slaps|slapped|"
    r"chokes|choked|burns|burned|whips|whipped|hurts|hurt|abuses|abused|rapes|raped|molests|"
    r"molested|touches|touched|locks|locked|starves|starved|strangles|strangled) " + _OBJECT,
    r"abus(?:e|es|ed|ing|ive|er)",
    r"(?:touch|touches|touched|touching) (?:my|our|his|her|the) (?:child|children|kids?|"
    r"daughter|son|baby|girl|boy|private\w*)",
    r"(?:touch|touches|touched|touching) (?:me|her|him) (?:inappropriately|down there|in (?:her|"
    r"his|my) private\w*|in (?:a )?(?:bad|wrong|weird|private) (?:way|places?))",
    r"(?:inappropriate(?:ly)?|sexual(?:ly)?) (?:touch\w*|abuse\w*|assault\w*|harass\w*)",
    r"molest\w*",
    r"rape(?:d|s)?",
    r"raping",
    r"neglect\w*",
    r"(?:not|nobody is|no one is|never) (?:feeding|feed) (?:them|her|him|the kids|my \w+)",
    r"left (?:home )?alone (?:for days|all (?:day|night|weekend)|overnight)",
    r"(?:afraid|scared) (?:of going|to go) home",
    r"(?:afraid|scared) of (?:her|his|their|my) (?:\w+ )?(?:dad|father|stepdad|stepfather|mom|"
    r"mother|stepmom|uncle|boyfriend|husband)",
    r"domestic violence",
    r"(?:wont|doesnt|will not|does not|never) let (?:me|us|her|him) (?:leave (?:the house|home)|"
    r"out of the house|see (?:anyone|my family|her family|his family))",
    r"bruises? (?:all over|everywhere|from (?:her|his|my|their))",
    # Spanish
    r"(?:me|le|la|lo|les|los|las|nos|te) (?:pega|pegan|pego|pegaba|golpea|golpean|golpeo|"
    r"golpeaba|maltrata|maltratan|maltrato|maltrataba|abusa|abusan|abuso|abusaba|manosea|"
    r"manosean|manoseo|ahorca|ahorco)",
    r"abus(?:an|a|o|aron|aba|ando|ado|ada|o sexual)? de (?:mi|su|la|el|mis|sus) (?:hij\w*|"
    r"nin\w*|bebe|chamac\w*|muchach\w*|sobrin\w*|niet\w*)",
    r"abuso",
    r"violad\w*",
    r"violacion",
    r"(?:la|lo|me) viol(?:o|aron|a)",
    r"(?:la|lo|los|las) (?:toca|tocan|toco|tocaba|tocaron)",
    r"(?:toca|tocan|toco|tocaba|tocando|tocaron) (?:a )?(?:mi|su|la|el) (?:hij\w*|nin\w*|bebe|"
    r"chamac\w*|muchach\w*|partes)",
    r"me (?:toca|tocan|toco|tocaba) (?:mis partes|inapropiad\w*)",
    r"tocamientos",
    r"manose\w*",
    r"acoso sexual",
    r"negligencia",
    r"no (?:me|nos|la|lo|las|los) deja(?:n)? salir de (?:la|mi|su|nuestra) casa",
    r"la dejan sola (?:todo el dia|por dias)|lo dejan solo (?:todo el dia|por dias)",
    r"(?:tiene|tengo) miedo de (?:ir a|volver a|regresar a) (?:la|su|mi) casa",
    r"violencia (?:domestica|familiar|intrafamiliar)",
)


@dataclass(frozen=True)
class CrisisMatch:
    """A crisis found in a family's message; `kind` picks the safety reply and the alert."""

    kind: str


def _compile(parts: tuple[str, ...]) -> re.Pattern[str]:
    """One word-bounded alternation for a kind."""
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b")


_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("self_harm", _compile(_SELF_HARM)),
    ("violence", _compile(_VIOLENCE)),
    ("medical", _compile(_MEDICAL)),
    ("abuse", _compile(_ABUSE)),
)
# Spanish hitting verbs also describe schoolyard bullying ("le pegan en la escuela"), which is
# a barrier for staff, not a crisis alert; only these patterns yield to a peer/school context.
_PEER_SENSITIVE = re.compile(
    r"\b(?:le|la|lo|les|los|las) (?:pega|pegan|pego|pegaba|golpea|golpean|golpeo|golpeaba|"
    r"maltrata|maltratan|maltrato|maltrataba)\b"
)


def _abuse_only_from_peers(text: str, match: re.Match[str]) -> bool:
    """Whether an abuse match is a Spanish hitting verb in a school/peer context (bullying)."""
    return bool(_PEER_SENSITIVE.fullmatch(match.group(0)) and _PEERS_AT_SCHOOL.search(text))


def detect_crisis(text: str) -> CrisisMatch | None:
    """The crisis a message describes, or None; deterministic and safe to run on every message."""
    plain = _BENIGN.sub(lambda m: " " * len(m.group(0)), fold_plain(text))
    if not plain.strip():
        return None
    for kind, pattern in _KINDS:
        for match in pattern.finditer(plain):
            if kind == "abuse" and _abuse_only_from_peers(plain, match):
                continue
            return CrisisMatch(kind)
    return None
