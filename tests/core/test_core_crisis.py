"""Crisis detection: real crises in English and Spanish alert; figures of speech never do."""

from __future__ import annotations

import pytest

from bot.core.crisis import CRISIS_KINDS, CrisisMatch, detect_crisis

CRISES = [
    # self-harm, child or parent
    ("he said he wants to kill himself", "self_harm"),
    ("my daughter is cutting herself", "self_harm"),
    ("I don't want to live anymore", "self_harm"),
    ("i dont want to live anymore", "self_harm"),
    ("I want to die", "self_harm"),
    ("she's been cutting", "self_harm"),
    ("he tried to hang himself", "self_harm"),
    ("my son is suicidal", "self_harm"),
    ("she's not suicidal but she talks about it", "self_harm"),
    ("quiere suicidarse", "self_harm"),
    ("se quiere matar", "self_harm"),
    ("ya no quiero vivir", "self_harm"),
    ("me quiero morir", "self_harm"),
    ("mi hijo dice que se va a matar", "self_harm"),
    ("mi hija se corta los brazos", "self_harm"),
    # abuse or neglect
    ("her stepdad hits her", "abuse"),
    ("someone is touching my child", "abuse"),
    ("my husband beats me", "abuse"),
    ("she is being sexually abused", "abuse"),
    ("the kids are left alone for days", "abuse"),
    ("me pega mi esposo", "abuse"),
    ("abusan de mi hija", "abuse"),
    ("mi esposo me golpea", "abuse"),
    ("la toca su tío", "abuse"),
    ("tiene miedo de regresar a la casa", "abuse"),
    ("he won't let me leave the house", "abuse"),
    ("no me deja salir de la casa", "abuse"),
    ("my uncle touches her", "abuse"),
    # violence or immediate danger
    ("there's a man with a gun", "violence"),
    ("he's threatening to hurt us", "violence"),
    ("he is going to kill us", "violence"),
    ("my ex said he will kill me", "violence"),
    ("someone broke into our house", "violence"),
    ("my son got shot", "violence"),
    ("nos quiere matar", "violence"),
    ("me quiere matar", "violence"),
    ("estamos en peligro", "violence"),
    ("tiene una pistola", "violence"),
    ("amenazó con matarnos", "violence"),
    ("my husband threatened me", "violence"),
    ("mi esposo me amenaza", "violence"),
    ("tengo miedo que me pegue", "violence"),
    ("I'm scared he will hurt me", "violence"),
    ("he pulled a knife on my son", "violence"),
    # medical emergency
    ("she's not breathing", "medical"),
    ("he's having a seizure", "medical"),
    ("my son is unresponsive", "medical"),
    ("she fainted at home", "medical"),
    ("he swallowed a bunch of pills", "medical"),
    ("call 911", "medical"),
    ("no respira", "medical"),
    ("se desmayó", "medical"),
    ("le está dando una convulsión", "medical"),
    ("se está ahogando", "medical"),
    ("no puedo respirar", "medical"),
]


@pytest.mark.parametrize(("text", "kind"), CRISES)
def test_crisis_is_detected(text: str, kind: str) -> None:
    assert detect_crisis(text) == CrisisMatch(kind)


FIGURES_OF_SPEECH = [
    "this homework is killing me",
    "my phone died",
    "I'm dying to know",
    "the traffic is killing me",
    "I could kill for a coffee",
    "dead tired",
    "those tacos are to die for",
    "she's killing it in math",
    "she killed it at the recital",
    "my battery is dead",
    "I'm dead 😂",
    "I almost died laughing",
    "me muero de risa",
    "me mata el tráfico",
    "la tarea me está matando",
    "se murió mi celular",
    "me muero de hambre",
    "estoy muerta de cansancio",
    "me mata la espalda",
    "se mata trabajando",
    # ordinary barrier answers that share words with crises
    "kids pick on her at school",
    "he hurt her feelings",
    "she fell and hurt herself at recess",
    "she hit her head on the table",
    "he's cutting class",
    "he got his flu shot",
    "he loves his nerf gun",
    "shooting hoops after school",
    "she can't wake up in the morning",
    "I can't wake him up in the morning",
    "he doesn't want to be here",
    "no quiere despertarse temprano",
    "he has seizures",
    "she had food poisoning",
    "I can't go on the field trip",
    "we don't want to live here anymore",
    "no quiero vivir aquí",
    "se le pega la gripa",
    "le toca ir a la escuela",
    "his grandpa passed away",
    "se murió mi abuelito",
    "what a stroke of luck",
    "I'm worried sick",
    "we are just killing time",
    "dying of boredom",
    "our dog died",
    "I'm drowning in bills",
    "me ahogo en deudas",
    "my kid is driving me crazy",
    "he has a knife collection",
    "we went to the gun range",
    "I'm so stressed I could die",
    "mi mamá no me deja salir con mis amigas",
    "",
]


@pytest.mark.parametrize("text", FIGURES_OF_SPEECH)
def test_figure_of_speech_is_not_a_crisis(text: str) -> None:
    assert detect_crisis(text) is None


def test_peer_hitting_at_school_is_a_barrier_not_an_alert() -> None:
    assert detect_crisis("los niños le pegan en la escuela") is None
    assert detect_crisis("su padrastro le pega") == CrisisMatch("abuse")


def test_most_urgent_kind_wins() -> None:
    # Self-harm wording beats the gun; a threat beats the hitting that came first.
    assert detect_crisis("he has a gun and says he wants to kill himself") == CrisisMatch(
        "self_harm"
    )
    assert detect_crisis("her stepdad hits her and said he will kill us") == CrisisMatch("violence")


def test_kinds_are_the_four_the_spec_names() -> None:
    assert set(CRISIS_KINDS) == {"self_harm", "abuse", "violence", "medical"}
    assert {detect_crisis(text).kind for text, _ in CRISES} == set(CRISIS_KINDS)  # type: ignore[union-attr]


def test_match_is_immutable() -> None:
    match = CrisisMatch("medical")
    with pytest.raises(AttributeError):
        match.kind = "abuse"  # type: ignore[misc]
