"""Barrier coding (SPEC section 3): multi-label, canonical order, `other` only when named."""

from __future__ import annotations

import pytest

from bot.core.barriers import BARRIER_CODES, SERIOUS_BARRIERS, code_barriers, is_none_answer

CODED = [
    # transportation
    ("the bus never comes on time", ["transportation"]),
    ("se me descompuso el carro", ["transportation"]),
    ("el camion no pasa", ["transportation"]),
    ("el bus siempre llega tarde", ["transportation"]),  # the bus is late, not a hard morning
    ("the bus is always late", ["transportation"]),  # late bus, not a hard morning
    ("we are always running late", ["sleep_routine"]),
    ("no ride", ["transportation"]),
    ("can't afford gas", ["transportation"]),
    ("we live too far to walk", ["transportation"]),
    ("no tengo como llevarla a la escuela", ["transportation"]),
    # health
    ("my son has asthma", ["health"]),
    ("she has a lot of doctor appointments", ["health"]),
    ("he had lice", ["health"]),
    ("tiene cita con el doctor", ["health"]),
    ("mi hija está enfermita", ["health"]),
    ("She says her stomach hurts every morning before school", ["health"]),
    # mental_health
    ("tiene ansiedad", ["mental_health"]),
    ("he has anxiety about tests", ["mental_health"]),
    ("she cries every morning, she's so sad", ["mental_health"]),
    # bullying_safety
    ("kids pick on her at school", ["bullying_safety"]),
    ("he gets bullied", ["bullying_safety"]),
    ("los niños lo molestan", ["bullying_safety"]),
    ("she doesn't feel safe walking there", ["transportation", "bullying_safety"]),
    # school_engagement
    ("he hates school, says it's boring", ["school_engagement"]),
    ("no quiere ir a la escuela", ["school_engagement"]),
    ("la maestra lo regaña mucho", ["school_engagement"]),
    ("he's failing math", ["school_engagement"]),
    # caregiving and work_schedule together
    (
        "I have to leave for work at 5am and she watches her little brother",
        ["caregiving", "work_schedule"],
    ),
    ("my mom is sick and I take care of her", ["caregiving"]),
    ("no tengo quien me cuide al bebé", ["caregiving"]),
    ("tengo dos trabajos", ["work_schedule"]),
    ("mi esposo trabaja de noche", ["work_schedule"]),
    ("my son works after school at a restaurant", ["work_schedule"]),
    ("his dad is deployed and I work early", ["work_schedule", "family_circumstances"]),
    # housing
    ("we got evicted and are staying with my sister", ["housing"]),
    ("nos estamos mudando", ["housing"]),
    ("we are living in our car", ["housing"]),
    ("estamos viviendo con mi suegra", ["housing"]),
    # basic_needs
    ("no clean uniform, washer broke", ["basic_needs"]),
    ("no tenemos comida", ["basic_needs"]),
    ("nos cortaron la luz", ["basic_needs"]),
    ("he needs shoes", ["basic_needs"]),
    # family_circumstances
    ("his grandpa passed away", ["family_circumstances"]),
    ("su abuelito murió", ["family_circumstances"]),
    ("we went to Mexico for a funeral", ["family_circumstances"]),
    ("tenemos cita en la corte", ["family_circumstances"]),
    ("going through a divorce", ["family_circumstances"]),
    # sleep_routine
    ("she can't wake up in the morning", ["sleep_routine"]),
    ("le cuesta trabajo levantarse", ["sleep_routine"]),
    ("he stays up late on his phone", ["sleep_routine"]),
    ("es que a veces se nos hace tarde", ["sleep_routine"]),
    # several at once, canonical order whatever the order in the text
    ("mi hijo está enfermito y no tenemos carro", ["transportation", "health"]),
    (
        "we got evicted, the kids are hungry and the bus doesn't come",
        ["transportation", "housing", "basic_needs"],
    ),
    ("su hermanito tiene fiebre y tengo que cuidarlo", ["health", "caregiving"]),
    ("the car broke down, the car is old, the car!", ["transportation"]),
    # negation
    ("he is not sick anymore, it's the bus", ["transportation"]),
    ("the bus is fine, it's his asthma", ["health"]),
    ("no one picks on him, he's just bored", ["school_engagement"]),
    # a real barrier next to "nothing else"
    ("nothing else, just the bus", ["transportation"]),
    ("nada más, solo que no tenemos carro", ["transportation"]),
    # figures of speech do not code family_circumstances
    ("my phone died", ["other"]),
    ("se murió mi celular", ["other"]),
    # something named that no code fits
    ("the school keeps calling me", ["other"]),
    ("we just need someone to talk to", ["other"]),
    ("it's the weather", ["other"]),
    # nothing named
    ("Nothing, all good", []),
    ("nothing", []),
    ("no", []),
    ("nope we're fine", []),
    ("all good here", []),
    ("Nothing really, thanks for asking!", []),
    ("nada", []),
    ("todo bien", []),
    ("ninguno", []),
    ("no gracias todo bien", []),
    ("no hay problema, todo bien gracias", []),
    ("idk", []),
    ("ok", []),
    ("", []),
    ("he's not sick", []),
    ("Nothing, he loves school", []),
    ("no, le encanta la escuela", []),
    ("ya no está enfermo", []),
]


@pytest.mark.parametrize(("text", "expected"), CODED)
def test_code_barriers(text: str, expected: list[str]) -> None:
    assert code_barriers(text) == expected


@pytest.mark.parametrize(("text", "expected"), CODED[:12])
def test_language_hint_does_not_limit_patterns(text: str, expected: list[str]) -> None:
    assert code_barriers(text, "en") == code_barriers(text, "es") == expected


NONE_ANSWERS = [
    ("nothing", True),
    ("no", True),
    ("Nope, we're fine!", True),
    ("all good", True),
    ("Nothing, all good", True),
    ("everything is fine thanks", True),
    ("she's doing great", True),
    ("nada", True),
    ("todo bien", True),
    ("ninguno", True),
    ("no gracias todo bien", True),
    ("nada por ahora, gracias", True),
    ("没有", True),
    ("لا شيء", True),
    ("the bus is late", False),
    ("nothing else, just the bus", False),
    ("ok", False),
    ("idk", False),
    ("", False),
]


@pytest.mark.parametrize(("text", "expected"), NONE_ANSWERS)
def test_is_none_answer(text: str, expected: bool) -> None:
    assert is_none_answer(text) is expected


def test_codes_follow_spec_order() -> None:
    assert BARRIER_CODES == (
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


def test_serious_barriers_are_known_codes() -> None:
    assert SERIOUS_BARRIERS == {"housing", "basic_needs", "bullying_safety"}
    assert SERIOUS_BARRIERS <= set(BARRIER_CODES)


@pytest.mark.parametrize(("text", "_"), CODED)
def test_results_are_canonical_and_unique(text: str, _: list[str]) -> None:
    codes = code_barriers(text)
    assert codes == sorted(set(codes), key=BARRIER_CODES.index)
    assert "other" not in codes or codes == ["other"]


@pytest.mark.parametrize(
    "text",
    [
        "not that I'm aware of",
        "no, everything is fine",
        "nah she likes school",
        "creo que no, le gusta ir",
        "ninguno, gracias por preguntar",
        "i dont think so, hes fine",
        "va todos los dias sin falta",
    ],
)
def test_answers_that_lean_to_nothing_are_an_empty_list_not_other(text: str) -> None:
    assert code_barriers(text) == []


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("no ride most days", ["transportation"]),  # a "no" that names a barrier still codes it
        ("no, but his grandma is sick and I look after her", ["caregiving"]),
        ("hmm it's complicated", ["other"]),
    ],
)
def test_a_leading_no_does_not_hide_a_named_barrier(text: str, codes: list[str]) -> None:
    assert code_barriers(text) == codes
