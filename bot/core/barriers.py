"""Code a family's free-text answer about attendance barriers into the codes of SPEC section 3.

How it works, and its limits (tests/core/test_core_barriers.py is the table):

- Keyword/regex patterns in English and Spanish run together whatever `language` says,
  because families mix languages ("the bus no pasa"). Text is folded first: lowercase,
  no accents, no apostrophes ("don't" and "dont" match alike).
- Multi-label: every code with a live match is returned, in canonical order, once.
- Negation: "state" patterns (sick, anxious, bullied, bored...) are cancelled by a negator
  among the three words before them in the same clause ("he is not sick anymore, it's the
  bus" -> transportation). Patterns that carry their own "no" ("no ride", "no tenemos
  comida") are never cancelled. Any pattern is cancelled when the same clause goes on to
  say it is fine ("the bus is fine", "el camion esta bien"). Limits: negation further
  away ("I don't think he's really sick"), sarcasm and double negatives are not handled;
  a fine-then-but clause ("the bus is ok but always late") drops the bus.
- Each code may blank phrases before its patterns run, so "living in our car" is
  housing and not transportation, "le cuesta trabajo levantarse" is sleep and not work,
  and "my phone died" is not a death in the family.
- Nothing named ("Nothing, all good", "nada", "todo bien", "idk", "ok") -> []. Only
  negated mentions ("he's not sick") -> []. Anything else with words but no code ->
  ["other"]. A relative's illness also reads as `health` unless the sentence is shaped
  "my mom is sick" (then caregiving only); staff see the family's own words beside codes.
- Known over-reach, kept for recall: any mention of the bus, a car or walking codes
  transportation; "food", "clothes" or "money" code basic_needs even in "he doesn't like
  the school food". Only English and Spanish are coded; other languages come out "other".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.text import fold_plain

BARRIER_CODES: tuple[str, ...] = (
    "transportation",
    "health",
    "mental_health",
    "bullying_safety",
    "school_engagement",
    "caregiving",
    "housing",
    "basic_needs",
    "work_schedule",
    "family_circumstances",
    "sleep_routine",
    "other",
)
SERIOUS_BARRIERS = frozenset({"housing", "basic_needs", "bullying_safety"})

_ADULT = (
    r"(?:mom|mother|mama|dad|father|papa|grand\w*|husband|wife|aunt|uncle|relative|"
    r"mother in law|father in law|abuel\w*|madre|padre|esposo|esposa|tia|tio|suegr\w*)"
)
_SIBLING_OR_KIN = (
    r"(?:(?:little|younger|baby|older|big|sick|disabled|elderly|new|2|two|3|three) )?"
    r"(?:brothers?|sisters?|siblings?|baby|babies|kids|children|little ones|"
    r"grandma|grandmother|grandpa|grandfather|grandparents?|mom|mother|dad|father|aunt|"
    r"uncle|cousins?|family|relatives?|husband|wife|nephews?|nieces?)"
)
_DEVICE = (
    r"(?:phone|cell|cellphone|battery|car|laptop|computer|charger|tablet|ipad|alarm|engine|"
    r"celular|cel|telefono|bateria|pila|carro|coche|compu\w*|tableta)"
)


@dataclass(frozen=True)
class _Rules:
    """One code's patterns: facts always count, states can be negated, excludes are blanked."""

    code: str
    facts: re.Pattern[str] | None
    states: re.Pattern[str] | None
    exclude: re.Pattern[str] | None


def _compile(parts: list[str]) -> re.Pattern[str] | None:
    """One word-bounded alternation from pattern fragments."""
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b") if parts else None


def _rules(
    code: str, facts: list[str], states: list[str] | None = None, exclude: list[str] | None = None
) -> _Rules:
    """Build a code's compiled rules."""
    return _Rules(code, _compile(facts), _compile(states or []), _compile(exclude or []))


# fmt: off
_RULES: tuple[_Rules, ...] = (
    _rules(
        "transportation",
        facts=[
            r"(?:school )?bus(?:es|ses)?", r"busito", r"rides?", r"raite", r"aventon",
            r"cars?", r"trucks?", r"minivan", r"vehicle", r"vehiculo",
            r"carro", r"coche", r"auto", r"troca", r"camioneta",
            r"camion(?:es)?", r"autobus(?:es)?", r"colectivo", r"micro", r"ruta escolar",
            r"la ruta", r"transporte\w*", r"transportation", r"transport", r"transit",
            r"gas money", r"gas prices?", r"money for gas",
            r"(?:afford|pay for|buy|out of|need) gas",
            r"gasolina", r"gasoline", r"too far", r"far away", r"really far", r"very far",
            r"far from", r"lives? far", r"lejos",
            r"walk(?:s|ing|ed)?", r"long walk", r"a pie", r"camin(?:ar|a|ando|amos|an)",
            r"flat tire", r"tires?", r"llanta\w*", r"ponchad\w*", r"mechanic", r"mecanico",
            r"uber", r"lyft", r"taxi", r"cab", r"train", r"subway", r"metro", r"tren",
            r"bike", r"bicycle", r"bicicleta", r"bici",
            r"drive|drives|driving|driver", r"manejar|maneja|manejo", r"licen[sc]e", r"licencia",
            r"(?:take|get|drive|bring|drop) (?:him|her|them|my \w+) (?:to school|off)",
            r"no (?:tengo|tenemos|hay) (?:como|quien|en que) (?:llevar\w*|lleve)",
            r"(?:llevar|lleve|llevo)\w* a la escuela",
        ],
        exclude=[
            r"(?:liv|sleep|stay)\w* (?:in|out of) (?:a|our|my|the|his|her) (?:car|van|truck)",
            r"(?:vivimos|viviendo|vivir|dormimos|durmiendo|dormir) en (?:el|un|nuestro|mi) "
            r"(?:carro|coche|auto|camioneta)",
            r"driv(?:e|es|ing) (?:me|us|him|her) (?:crazy|nuts|insane|up the wall)",
            r"car seat",
        ],
    ),
    _rules(
        "health",
        facts=[
            r"doctors?", r"dr", r"pediatrician", r"clinic", r"urgent care", r"emergency room",
            r"dentist", r"dental", r"orthodontist", r"braces", r"medical", r"medicine",
            r"medications?", r"meds", r"inhaler", r"appointments?", r"check ?ups?",
            r"physical therapy", r"speech therapy", r"nurse",
            r"doctora?", r"medic[oa]s?", r"clinica", r"dentista", r"citas?",
            r"medicina\w*", r"medicamento\w*", r"pastillas", r"inhalador", r"terapia fisica",
            r"terapia de lenguaje", r"enfermera", r"urgencias", r"salud",
            r"no se siente bien", r"se (?:siente|sentia|sintio) mal", r"le duele\w*",
            r"me duele\w*",
        ],
        states=[
            r"sick(?:ly)?", r"(?:is|was|been|got|gets|getting|feeling|feels|felt|very|so|"
            r"really|still|hes|shes|fell|chronically) ill", r"illness(?:es)?",
            r"flu", r"influenza", r"fevers?", r"cough(?:ing|s)?", r"covid", r"virus", r"asthma\w*",
            r"allerg\w*", r"diabet\w*", r"epilep\w*", r"seizures?", r"infections?", r"strep",
            r"pink eye", r"ear ?aches?", r"stomach ?aches?", r"stomach bug", r"tummy ?aches?",
            r"head ?aches?", r"migraines?", r"vomit\w*", r"throwing up", r"threw up",
            r"diarrh?ea", r"lice", r"nits", r"rash", r"chicken ?pox", r"pneumonia",
            r"bronchitis", r"cancer", r"chemo\w*", r"tumou?r", r"sickle cell",
            r"injur(?:y|ies|ed)", r"broken (?:arm|leg|ankle|wrist|foot|hand|bone|finger)",
            r"broke (?:his|her|my|their) (?:arm|leg|ankle|wrist|foot|hand|finger|toe|nose|"
            r"collarbone)", r"sprain\w*", r"concussion", r"surgery", r"operation",
            r"hospital\w*", r"(?:a|the|bad|head|chest) colds?(?! (?:morning|weather|day|outside))",
            r"(?:in|with|has|have|chest|back|stomach|tooth|ear|belly|leg|knee) pain", r"pains",
            r"(?:got|gets|is|was|been|getting) hurt",
            r"(?:stomach|head|tummy|belly|ear|ears|tooth|teeth|back|leg|legs|arm|foot|feet|knee|"
            r"chest|throat|eye|eyes) (?:hurts|hurt|aches|ache|is hurting|are hurting)",
            r"autis\w*", r"special needs", r"disabilit(?:y|ies)", r"disabled",
            r"hurt (?:his|her|their|my) (?:arm|leg|ankle|wrist|foot|hand|back|head|knee)",
            r"enferm\w*", r"malit[oa]s?", r"gripa", r"gripe", r"resfri\w*", r"catarro",
            r"fiebre", r"calentura", r"tos", r"asma", r"alergi\w*", r"convulsion\w*",
            r"infeccion\w*", r"dolor(?:es)? de \w+", r"diarrea", r"piojos?", r"liendres",
            r"varicela", r"neumonia", r"bronquitis", r"quimio\w*", r"herid[oa]s?",
            r"lastimad[oa]s?", r"se lastimo", r"se (?:rompio|quebro|fracturo) (?:el|la|un|una) \w+",
            r"fractura\w*", r"yeso", r"esguince", r"cirugia", r"operacion",
            r"(?:lo|la) operaron", r"internad[oa]",
        ],
        exclude=[
            r"sick (?:of|and tired)", r"sick " + _ADULT,
            r"(?:my|his|her|their|our|mi|su) " + _ADULT
            + r" (?:is |has been |was |got |gets |esta |estan |anda )?(?:very |really |so |muy )?"
            r"(?:sick|ill|enferm\w*|malit\w*)",
            r"(?:court|immigration|lawyer|legal|uscis|visa|social security|welfare|job|work|"
            r"wic|housing) appointments?",
            r"appointments? (?:at|in|with) (?:the |a )?"
            r"(?:court|immigration|lawyer|uscis|consulate)",
            r"citas? (?:en|de|con|para) (?:la |el )?(?:corte|migracion|inmigracion|abogad\w*|"
            r"consulado|trabajo|juez)",
            r"salud mental", r"learning disabilit\w*",
        ],
    ),
    _rules(
        "mental_health",
        facts=[
            r"mental health", r"mental", r"therap(?:y|ist)", r"counsel(?:or|ing|ling)",
            r"psycholog\w*", r"psychiatr\w*", r"salud mental", r"psicolog\w*",
            r"psiquiatr\w*", r"terapia", r"terapeuta", r"consejer\w*", r"no tiene amigos",
            r"(?:doesnt|does not) have (?:any )?friends", r"no friends",
            r"se siente sol[oa]",
        ],
        states=[
            r"anxi\w*", r"panic\w*", r"stress\w*", r"depress\w*", r"sad", r"sadness",
            r"worr(?:y|ied|ies|ying)", r"nervous", r"scared", r"afraid", r"fearful", r"fears?",
            r"cries", r"crying", r"cried", r"grie(?:f|ving|ves)", r"mourning", r"overwhelm\w*",
            r"lonely", r"loneliness", r"isolated", r"emotional\w*", r"meltdowns?",
            r"tantrums?", r"mood\w*", r"trauma\w*", r"ptsd", r"ocd", r"adhd",
            r"self esteem", r"eating disorder", r"upset", r"anger issues",
            r"ansi\w*", r"panico", r"estres\w*", r"depre\w*", r"deprimid\w*", r"triste\w*",
            r"preocupad\w*", r"preocupacion\w*", r"nervios\w*", r"miedo\w*", r"asustad\w*",
            r"llor\w*", r"llanto", r"duelo", r"de luto", r"abrumad\w*", r"agobiad\w*",
            r"emocional\w*", r"berrinches?", r"angustia\w*", r"tdah", r"autoestima",
        ],
        exclude=[
            r"physical therapy", r"speech therapy", r"terapia fisica", r"terapia de lenguaje",
            r"upset stomach", r"stomach upset",
        ],
    ),
    _rules(
        "bullying_safety",
        facts=[
            r"unsafe", r"not safe", r"isnt safe", r"(?:doesnt|does not|dont|do not) feel safe",
            r"no (?:es|se siente|esta|estan|me siento) segur[oa]s?", r"insegur\w*",
            r"(?:gets?|got|getting|been) (?:in|into) (?:a )?fights?", r"fights? (?:at|in) school",
            r"fight(?:s|ing)? with (?:other )?(?:kids|students|classmates|boys|girls)",
            r"school fights?", r"beat(?:s|en)? (?:him|her|them) up", r"molest\w*",
            r"beaten up", r"jumped", r"gangs?", r"shootings?", r"violen\w*", r"danger\w*",
            r"rumou?rs", r"(?:kids|students|classmates|girls|boys|they) (?:are|were|is being|"
            r"are being) mean", r"mean (?:kids|girls|boys)",
            r"(?:steal|steals|stealing|stole|take|takes|took) (?:his|her) (?:stuff|things|lunch|"
            r"money|phone)",
            r"(?:push|pushes|pushed|pushing|hit|hits|hitting|kick|kicks|kicked|trip|tripped|"
            r"punch|punched) (?:him|her|them)",
            r"bother(?:s|ing)? (?:him|her)", r"excluded", r"left out", r"threat\w*",
            r"acos\w*", r"(?:lo|la|le|les|los|las) molest\w*", r"molestan",
            r"se burlan", r"burla\w*", r"(?:le|lo|la|les) (?:pegan|pegaron|pegaban)",
            r"pelea\w*", r"amenaz\w*", r"peligro\w*", r"pandill\w*", r"balacera\w*",
            r"violencia", r"maltrat\w*", r"(?:lo|la|los|las) empuj\w*",
            r"le (?:quitan|roban|robaron|quitaron)",
        ],
        states=[
            r"bull(?:y|ies|ied|ying|yed)", r"bulling", r"buling", r"buleo", r"bulean",
            r"cyberbull\w*", r"picks? on", r"picked on", r"picking on",
            r"teas(?:e|es|ed|ing)", r"mak(?:e|es|ing) fun of", r"made fun of", r"harass\w*",
        ],
    ),
    _rules(
        "school_engagement",
        facts=[
            r"(?:doesnt|does not|dont|do not|didnt|wont|will not|never) (?:want|wanna|wants|like)"
            r"(?: to)? (?:go|going|attend)\w*", r"refus\w* to (?:go|attend)", r"wont go",
            r"will not go", r"(?:doesnt|does not|dont|do not) like (?:school|going|class\w*|"
            r"his class|her class|the class|(?:his|her|the) teachers?)",
            r"not (?:interested|motivated)", r"unmotivated", r"no motivation",
            r"behind (?:in|on|at)", r"fall(?:s|ing|en)? behind", r"fell behind", r"failing",
            r"struggl\w* (?:in|with) (?:school|class\w*|math|reading|writing|english|science)",
            r"(?:doesnt|does not|dont) get along with (?:his|her|the) teachers?",
            r"problems? with (?:his|her|the|a) teachers?",
            r"teachers? (?:is|was|are) (?:mean|rude|unfair|strict)",
            r"teachers? (?:yells|yelled|picks on|doesnt like|hates)",
            r"suspen\w*", r"detention", r"expel\w*", r"skip(?:s|ping|ped)? (?:school|class\w*)",
            r"ditch\w* (?:school|class\w*)", r"cut(?:s|ting)? (?:class\w*|school)", r"truan\w*",
            r"iep", r"special ed\w*", r"learning disabilit\w*", r"dyslexi\w*", r"tutor\w*",
            r"homework", r"behaviou?r\w*", r"in trouble at school", r"gets? in trouble",
            r"lazy", r"school is (?:pointless|stupid|hard|too hard|boring)",
            r"no quiere (?:ir|venir|asistir|estudiar)", r"no le gusta (?:ir|la escuela|su escuela|"
            r"la clase|sus clases|su maestr\w*|estudiar|la maestr\w*|el maestro)",
            r"atrasad\w*", r"va mal en", r"reprob\w*", r"calificaciones", r"malas notas",
            r"notas bajas", r"no entiende (?:las clases|la clase|la tarea|al maestro|a la "
            r"maestra|nada)", r"tareas?", r"suspendid\w*", r"suspension", r"expulsad\w*",
            r"castigad\w*", r"de pinta", r"se salta (?:clases|la escuela)", r"falta a clases",
            r"flojera", r"no le echa ganas", r"no tiene ganas de (?:ir|estudiar)",
            r"problemas con (?:el|la|su) (?:maestr\w*|profe\w*)",
            r"(?:el|la|su) (?:maestr\w*|profe\w*) (?:lo |la |le )?(?:regana|grita|trata mal|odia)",
            r"no le cae bien (?:el|la|su) (?:maestr\w*|profe\w*)", r"educacion especial",
            r"dislexia", r"mala conducta", r"comportamiento", r"se porta mal",
        ],
        states=[
            r"hates? (?:school|going|class\w*|it there|his school|her school|the school)",
            r"hated school", r"bored", r"boring", r"grades", r"(?:bad|low|failing|poor) grades?",
            r"odia (?:la escuela|ir|su escuela|las clases|a su maestr\w*)", r"aburr\w*",
        ],
    ),
    _rules(
        "caregiving",
        facts=[
            r"(?:watch|watches|watching|watched|babysit\w*|take care of|takes care of|"
            r"taking care of|took care of|look after|looks after|looking after|care for|cares "
            r"for|caring for|stay home with|stays home with|staying home with) "
            r"(?:his|her|my|their|the|our) " + _SIBLING_OR_KIN,
            r"babysitters?", r"sitter", r"child ?care", r"day ?care", r"caregiv\w*",
            r"caretaker", r"no one to (?:watch|take care)", r"nobody to (?:watch|take care)",
            r"new baby", r"newborn", r"sick " + _ADULT,
            r"(?:my|his|her|their|our|mi|su) " + _ADULT
            + r" (?:is |has been |was |got |gets |esta |estan |anda )?(?:very |really |so |muy )?"
            r"(?:sick|ill|enferm\w*|malit\w*)",
            r"(?:drop|take|walk) (?:off )?(?:his|her|my) (?:little |younger |baby )?"
            r"(?:brothers?|sisters?|siblings)",
            r"cuid(?:a|an|ar|ando|arlo|arla|arlos|arlas|o|e|amos) (?:a |de )?(?:sus?|mis?|la|el|"
            r"los|las|nuestr\w*)? ?(?:hermanit\w*|herman\w*|abuel\w*|bebes?|nin\w*|hij\w*|mama|"
            r"papa|madre|padre|tia|tio|prim\w*|familia|sobrin\w*|esposo|esposa)",
            r"(?:tengo|tiene|tenemos) que cuidar\w*",
            r"no (?:tengo|tenemos|hay) (?:quien|con quien) (?:me |nos )?(?:lo |la |los |las )?"
            r"(?:cuide|cuida|dejar|deje)", r"con quien dejar\w*", r"guarderia", r"ninera",
            r"bebe nuevo", r"recien nacid\w*",
        ],
    ),
    _rules(
        "housing",
        facts=[
            r"evict\w*", r"homeless\w*", r"shelter", r"motel", r"couch ?surf\w*", r"landlord",
            r"rent", r"foreclos\w*", r"kicked (?:us )?out",
            r"lost (?:our|the|my) (?:house|home|apartment|place)",
            r"no (?:place|where) to (?:live|stay)", r"nowhere to (?:live|stay|go)",
            r"(?:staying|living|stay|live|moved in|sleeping) (?:with|at) (?:my|our|his|her|their|"
            r"a|the) (?:\w+ )?(?:sisters?|brothers?|mom|mother|dad|father|aunt|uncle|cousins?|"
            r"grand\w*|family|relatives?|friends?|in ?laws?|friends house|sisters house|"
            r"moms house|house|place)",
            r"(?:living|sleeping|staying|live|sleep|stay) in (?:a|our|my|the) (?:car|van|truck)",
            r"(?:living|staying|live|stay) (?:in|at) (?:a |the )?(?:hotel|motel)",
            r"moving", r"move (?:out|in|again|to a|to another|soon)", r"moved",
            r"(?:have|had|having|got) to move", r"new (?:apartment|house|address|place)",
            r"housing", r"between places", r"no home", r"mold", r"roaches",
            r"desaloj\w*", r"desahuci\w*", r"nos (?:corrieron|echaron|sacaron|van a sacar|"
            r"quieren sacar)", r"sin (?:casa|hogar|techo)",
            r"no tenemos (?:casa|donde vivir|donde quedarnos|a donde ir)", r"refugio",
            r"albergue", r"mud(?:a|an|amos|ando|arnos|arse|aron|o|e|ado|ada|ar)", r"mudanza",
            r"(?:viviendo|quedandonos|quedando|vivimos|estamos|nos quedamos|vivir) (?:con|en casa "
            r"de) (?:mi|mis|su|sus|unos|unas|una|un)? ?(?:hermana|hermano|mama|papa|suegr\w*|"
            r"tia|tio|prim\w*|abuel\w*|familia|amig\w*|parientes|familiares)",
            r"(?:vivimos|viviendo|dormimos|durmiendo|vivir) en (?:el|un|nuestro|mi) "
            r"(?:carro|coche|auto|camioneta)", r"renta", r"alquiler", r"vivienda",
            r"(?:nueva casa|casa nueva|nuevo apartamento|nuevo departamento)",
        ],
    ),
    _rules(
        "basic_needs",
        facts=[
            r"uniforms?", r"clean clothes", r"clothes", r"clothing", r"laundry", r"laundromat",
            r"washer", r"washing machine", r"dryer", r"shoes", r"sneakers", r"boots",
            r"coat", r"jacket", r"backpack", r"school supplies", r"supplies", r"food",
            r"hungry", r"groceries", r"food stamps", r"snap", r"ebt", r"wic", r"food bank",
            r"pantry", r"diapers", r"electricity", r"electric bill",
            r"(?:power|lights?|water|heat|gas|electricity) (?:got |was |were |is |are )?"
            r"(?:cut|shut|turned) ?(?:off)?", r"no (?:power|lights|water|heat|hot water)",
            r"heating", r"utilit(?:y|ies)", r"bills", r"money", r"afford",
            r"(?:were|we are|im|i am|so|flat) broke", r"(?:were|we are|so) poor", r"poverty",
            r"internet", r"wifi",
            r"hygiene", r"soap", r"toothpaste", r"deodorant", r"pay(?:ing)? for",
            r"uniforme\w*", r"ropa", r"lavadora", r"secadora", r"lavanderia", r"zapatos",
            r"tenis", r"botas", r"chamarra", r"chaqueta", r"abrigo", r"sueter", r"mochila",
            r"utiles", r"comida", r"hambre", r"despensa", r"comestibles", r"estampillas",
            r"cupones", r"banco de (?:comida|alimentos)", r"panales",
            r"(?:cortaron|corto|sin|no hay|no tenemos|se fue|quitaron) (?:la |el )?"
            r"(?:luz|agua|gas|electricidad|calefaccion|internet)", r"electricidad", r"biles",
            r"billes", r"las cuentas", r"recibos", r"dinero", r"no (?:nos |me |le )?alcanza",
            r"no tenemos para", r"pobre\w*",
        ],
        exclude=[
            r"gas money", r"money for gas", r"(?:buy|pay for|afford) gas",
            r"field trip money", r"no money for the bus",
        ],
    ),
    _rules(
        "work_schedule",
        facts=[
            r"(?:for|to|at|from|after|before|off|leave for|go to|get to|goes to|gets to|left for)"
            r" work", r"work(?:s|ing|ed)? (?:early|late|nights?|overnight|mornings?|weekends?|"
            r"two jobs|double|doubles|long hours|shifts?|until|till|from|at \d+|\d+|the night|"
            r"graveyard)",
            r"(?:i|we|he|she|they|husband|wife|mom|dad|both|son|daughter|kid|child|teen|father|"
            r"mother|parents?|partner|boyfriend) (?:both |also |still |now |even )?"
            r"(?:work|works|working|have to work|has to work|gotta work|start work)",
            r"(?:two|2|three|3) jobs", r"(?:my|his|her|our|new|a|the) jobs?", r"jobs",
            r"shifts?", r"night shift", r"graveyard", r"overtime", r"(?:my|the) boss",
            r"employer", r"work schedule", r"(?:my|our|his|her) schedule", r"work hours",
            r"working hours", r"clock in",
            r"trabaj\w*", r"turno\w*", r"chamba\w*", r"jale", r"horario de trabajo",
            r"(?:mi|su|nuestro) horario", r"dos trabajos", r"mi jefe", r"el patron",
        ],
        exclude=[
            r"(?:good|great|nice|awesome) job", r"job well done",
            r"cuesta(?:n)? (?:mucho )?trabajo", r"trabajos? (?:de la escuela|escolar\w*|en clase)",
        ],
    ),
    _rules(
        "family_circumstances",
        facts=[
            r"passed away", r"passed on", r"died", r"death", r"funeral", r"burial",
            r"lost (?:his|her|my|our|their) (?:\w+ )?(?:grand\w*|mom|mother|dad|father|brother|"
            r"sister|aunt|uncle|cousin|baby|husband|wife|friend|family member)",
            r"divorc\w*", r"separat(?:ed|ion|ing)", r"custody", r"court", r"judge",
            r"lawyer", r"attorney", r"immigration", r"deport\w*", r"uscis", r"visa",
            r"green card", r"ice (?:took|detained|arrested|picked|raids?|agents?|came|got)",
            r"jail", r"prison", r"arrest\w*", r"incarcerat\w*", r"probation", r"travel\w*",
            r"trip", r"vacation", r"out of (?:the )?(?:country|town|state)",
            r"visiting (?:family|relatives|grand\w*)", r"family (?:emergency|problems?|issues?|"
            r"matters?|stuff|situation|reasons|drama)", r"things at home",
            r"problems at home", r"going on at home", r"(?:dad|mom|father|mother) left",
            r"foster", r"cps", r"social worker", r"deploy\w*", r"military",
            r"religious (?:holiday|reasons)", r"wedding",
            r"falleci\w*", r"muri\w*", r"muerte", r"funeral", r"velorio", r"entierro",
            r"perdio a su", r"perdimos a", r"perdi a mi", r"divorci\w*",
            r"separ(?:amos|aron|ados|adas|acion)", r"custodia", r"corte", r"juez", r"jueza",
            r"abogad\w*", r"inmigracion", r"migracion", r"la migra", r"papeles", r"carcel",
            r"prision", r"pres[oa]", r"detenid\w*", r"arrestad\w*", r"encarcelad\w*",
            r"viaj\w*", r"vacaciones", r"fuera del pais",
            r"(?:fuimos|vamos|fue|se fue|estamos|estuvimos|nos fuimos) (?:a|en|para) (?:mexico|"
            r"guatemala|honduras|el salvador|nicaragua|colombia|venezuela|peru|ecuador|"
            r"republica dominicana|puerto rico|cuba)",
            r"problemas (?:familiares|en (?:la|mi|su) casa|en casa)", r"emergencia familiar",
            r"situacion familiar", r"asuntos familiares", r"cosas de (?:la )?familia",
            r"asuntos de (?:la )?familia", r"family things",
            r"(?:su|mi) (?:papa|mama|esposo|esposa|pareja) se fue", r"nos dejo", r"bautizo",
            r"boda", r"quinceanera",
        ],
        exclude=[
            _DEVICE + r" (?:\w+ )?died", r"died (?:laughing|of laughter)",
            r"separation anxiety", r"field trip", r"(?:basketball|tennis|food) court",
            r"se (?:me |le |nos )?muri\w* (?:el|la|mi|su) " + _DEVICE,
            _DEVICE + r" se (?:me |le |nos )?muri\w*",
            r"corte (?:de pelo|de cabello|de luz|de agua|del agua|de la luz)",
            r"papeles (?:de|para) la escuela",
        ],
    ),
    _rules(
        "sleep_routine",
        facts=[
            r"(?:cant|cannot|can not|wont|will not|doesnt|does not|dont|do not|hard to|hard time|"
            r"trouble|struggles? to|struggling to|problems?|difficult to|refuses to|never) "
            r"(?:\w+ ){0,2}?(?:wake|waking|get up|getting up|gets up)",
            r"wak(?:e|es|ing) up late", r"oversle\w*", r"overslept",
            r"(?:sleep|sleeps|sleeping|slept) (?:in|late|through)", r"stays? up",
            r"staying up", r"up late", r"up all night", r"late nights?", r"bed ?time",
            r"(?:goes|go|going|went) to (?:bed|sleep) late", r"insomnia", r"not sleeping",
            r"sleep\w*", r"tired", r"exhausted", r"alarm",
            r"mornings? (?:are|is) (?:so |really |very )?(?:hard|rough|tough|crazy|hectic|chaotic|"
            r"difficult|a struggle|a mess)", r"hard mornings?", r"rough mornings?",
            r"morning routine", r"slow in the mornings?",
            # a person is late (hard mornings); "the bus is always late" is transportation
            r"(?:we|were|i|im|he|hes|she|shes|they|theyre|kids?) (?:are |is |am )?"
            r"(?:always|often|usually)? ?(?:running )?late",
            r"no se (?:quiere )?(?:despierta|levanta)",
            r"no (?:se )?(?:quiere|puede) (?:despertar|levantar)\w*",
            r"(?:cuesta|cuestan) (?:mucho )?(?:trabajo )?(?:despertar|levantar)\w*",
            r"(?:despertar|levantar)(?:se|lo|la|los|las)? temprano",
            r"se (?:queda|quedo|quedan) dormid\w*", r"nos quedamos dormid\w*",
            r"se (?:duerme|acuesta) tarde", r"duerme tarde", r"desvel\w*", r"hasta tarde",
            r"no duerme", r"no puede dormir", r"insomnio", r"sueno", r"cansad\w*",
            r"se (?:me|nos|le|les) hace tarde", r"(?:llegamos|llego) tarde",
            r"la alarma", r"el despertador",
            r"las mananas son (?:muy )?(?:dificiles|pesadas|dificil|un caos|complicadas)",
            r"mananas dificiles", r"rutina (?:de la manana|de las mananas|en las mananas)",
        ],
        exclude=[
            r"sleep\w* (?:in|at|on) (?:a|our|my|the|his|her) (?:\w+ )?(?:car|van|truck|shelter|"
            r"couch|floor|house|place)", r"tired of", r"sick and tired",
        ],
    ),
)

# fmt: on

_NEGATORS = frozenset(
    {"not", "no", "never", "isnt", "wasnt", "arent", "werent", "dont", "doesnt", "didnt",
     "aint", "without", "nunca", "tampoco", "ni", "sin", "longer"}
)  # fmt: skip
_CLAUSE_BREAK = re.compile(r"[.,;:!?\n()]|\b(?:but|pero|its|it is|es el|es la|just|solo)\b")
_FINE_AFTER = re.compile(
    r"\s*(?:(?!but\b|pero\b|and\b|y\b)\w+\s+)?(?:is|are|has been|was|were|es|esta|estan|anda|"
    r"andan)?\s*"
    r"(?:fine|ok|okay|good|great|better|no problem|not a problem|not an issue|isnt a problem|"
    r"isnt an issue|bien|mejor|perfecto|no es problema)\b"
)
_WORD = re.compile(r"\w+")
_PUNCT = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")

# Whole-message answers that name nothing. At least one _NONE phrase must be present.
# fmt: off
_NONE: tuple[str, ...] = (
    r"nothing(?: really| at all| much| else| in particular| right now| at the moment| for now|"
    r" so far| comes to mind)?",
    r"none", r"no", r"nope", r"nah", r"not really", r"not at all", r"no problems?",
    r"no issues?", r"no barriers?", r"no concerns?", r"nothing wrong", r"no thanks?",
    r"no thank you",
    r"(?:were|we are|we|im|i am|i|hes|he is|shes|she is|they are|theyre|both are|\w+ is|\w+s)"
    r" (?:all )?(?:good|fine|ok|okay|great|alright|doing (?:good|fine|well|great|ok|okay))",
    r"all good", r"its all good", r"all is well", r"all fine",
    r"everything(?:s| is)? (?:good|fine|ok|okay|great|alright|going well)",
    r"(?:its|it is) (?:fine|ok|okay|good)",
    r"(?:he|she|they|we|\w+) (?:loves?|likes?|enjoys?) (?:school|it|going|his school|her school)",
    r"(?:le|les) (?:encanta|gusta) (?:la escuela|ir|su escuela)",
    r"fine", r"good", r"cant think of anything",
    r"not that i can think of", r"we manage",
    r"nada(?: mas| en particular| por ahora)?", r"ninguno", r"ninguna", r"ningun problema",
    r"todo bien", r"todo esta bien", r"todo va bien", r"todo tranquilo", r"estamos bien",
    r"esta bien", r"(?:el|ella) esta bien", r"no hay (?:problemas?|nada|ningun problema)",
    r"sin problemas?", r"no gracias",
    r"khong co gi", r"khong", r"anyen", r"pa gen anyen", r"tout bon", r"tout bagay anfom", r"non",
)
_FILLER: tuple[str, ...] = (
    r"thanks(?: for asking)?", r"thank you(?: for asking)?", r"thx", r"ty", r"tyvm",
    r"gracias(?: por preguntar)?", r"really", r"honestly", r"right now", r"at the moment",
    r"for now", r"so far", r"currently", r"por ahora", r"por el momento", r"ahorita",
    r"de momento", r"hasta ahora", r"la verdad", r"just", r"pues", r"bueno", r"well", r"um+",
    r"hm+", r"and", r"y", r"but", r"pero", r"ok", r"okay", r"k", r"yes", r"yeah", r"si",
    r"hi", r"hello", r"hola", r"mesi", r"else", r"mas", r"idk", r"i dont know", r"dont know",
    r"not sure", r"no se", r"lol", r"alright", r"here", r"over here", r"on our end",
    r"at home", r"aqui", r"aca", r"por aca", r"por aqui", r"en casa", r"for us",
    r"para nosotros",
)
# fmt: on
_NONE_RES = tuple(re.compile(rf"(?:{part})\b\s*") for part in _NONE)
_FILLER_RES = tuple(re.compile(rf"(?:{part})\b\s*") for part in _FILLER)
_NONE_SCRIPT = re.compile(
    r"^(?:没有|没事|都好|没问题|一切都好|没有问题|都挺好|"
    r"لا شيء|لا|كل شيء بخير|لا يوجد|لا توجد مشاكل)"
    r"(?:\s*(?:谢谢|شكرا))?$"
)


def _scan(text: str) -> tuple[bool, bool]:
    """(fully made of none-phrases and fillers, at least one none-phrase) for a bare message."""
    position, named_none = 0, False
    while position < len(text):
        # The longest phrase wins, so "no hay problema" is read whole, not as "no" then "hay".
        none = max((_longest(_NONE_RES, text, position)), default=position)
        filler = max((_longest(_FILLER_RES, text, position)), default=position)
        if none == filler == position:
            return False, named_none
        named_none = named_none or none >= filler
        position = max(none, filler)
    return True, named_none


def _longest(patterns: tuple[re.Pattern[str], ...], text: str, position: int) -> list[int]:
    """End offsets of every pattern that matches at `position`."""
    return [m.end() for p in patterns if (m := p.match(text, position))]


def _bare(text: str) -> str:
    """Folded text without punctuation, for whole-message checks."""
    return _SPACES.sub(" ", _PUNCT.sub(" ", fold_plain(text))).strip()


def is_none_answer(text: str) -> bool:
    """Whether the family said nothing is making attendance hard ("nothing, all good", "nada")."""
    bare = _bare(text)
    if not bare:
        return False
    if _NONE_SCRIPT.match(bare):
        return True
    consumed, named_none = _scan(bare)
    return consumed and named_none


def _negated(text: str, start: int) -> bool:
    """Whether a negator sits among the three words before `start` in the same clause."""
    before = _CLAUSE_BREAK.split(text[:start])[-1]
    return any(word in _NEGATORS for word in _WORD.findall(before)[-3:])


def _said_fine(text: str, end: int) -> bool:
    """Whether the clause goes on to say the thing is fine ("the bus is fine")."""
    return bool(_FINE_AFTER.match(text, end))


def _blank(text: str, pattern: re.Pattern[str] | None) -> str:
    """Replace matches with spaces so offsets and clause breaks stay where they were."""
    if pattern is None:
        return text
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def _live(text: str, pattern: re.Pattern[str] | None, *, negatable: bool) -> tuple[bool, bool]:
    """(a match that counts, a match that was cancelled) for one pattern."""
    live = cancelled = False
    if pattern is None:
        return live, cancelled
    for match in pattern.finditer(text):
        if _said_fine(text, match.end()) or (negatable and _negated(text, match.start())):
            cancelled = True
        else:
            live = True
    return live, cancelled


def code_barriers(text: str, language: str | None = None) -> list[str]:
    """Barrier codes named in a family's answer, canonical order, no duplicates."""
    plain = fold_plain(text)
    if not plain:
        return []
    codes: list[str] = []
    any_cancelled = False
    for rules in _RULES:
        view = _blank(plain, rules.exclude)
        fact_live, fact_cancelled = _live(view, rules.facts, negatable=False)
        state_live, state_cancelled = _live(view, rules.states, negatable=True)
        any_cancelled = any_cancelled or fact_cancelled or state_cancelled
        if fact_live or state_live:
            codes.append(rules.code)
    if codes:
        return codes
    bare = _bare(text)
    if not bare or any_cancelled or _NONE_SCRIPT.match(bare) or _scan(bare)[0]:
        return []
    if _LEANS_NONE.search(bare):  # "not that i know of", "nel nada", "no, todo bien con ella"
        return []
    return ["other"]


# With no barrier named, an answer that opens with a "no" or says things are fine is a
# "nothing", not `other` (SPEC section 3: "Nothing, all good" is an empty list).
_LEANS_NONE = re.compile(
    r"^(?:no|nope|nah|nel|nada|nothing|none|not really|not that|ninguno|ninguna|creo que no|"
    r"i dont think|dont think|que yo sepa no|para nada)\b|"
    r"\b(?:all good|todo bien|no problems?|sin problemas?|no issues?|"
    r"(?:were|we are|hes|he is|shes|she is|its|everything is|everythings) (?:good|fine|ok|okay)|"
    r"likes? (?:school|it)|le gusta|(?:every day|todos los dias))\b"
)
