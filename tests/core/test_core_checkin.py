"""The check-in's turn decisions: what is an answer, what is a detour (SPEC section 2)."""

from __future__ import annotations

import pytest

from bot.core.checkin import (
    acknowledgement_response,
    barrier_question_response,
    barriers_beside_rating,
    is_digression,
    is_low_rating,
    read_yes_no,
)


@pytest.mark.parametrize(
    ("step", "text", "intent", "confidence", "expected"),
    [
        # plain answers
        ("feeling", "we're good thanks", "share_feeling", 0.99, False),
        ("rating", "8", "give_rating", 0.99, False),
        ("barriers_text", "the bus is late", "report_barrier", 0.99, False),
        # detours
        ("feeling", "who is this?", "ask_what_is_this", 0.99, True),
        ("rating", "when is spring break?", "out_of_scope", 0.99, True),
        ("follow_up", "can I talk to a real person", "request_human", 0.95, True),
        ("feeling", "my husband hits me", "crisis", 0.97, True),
        # a language request is a detour whatever the model thought
        ("rating", "en español por favor", "give_rating", 0.9, True),
        ("feeling", "english please", "share_feeling", 0.9, True),
        # the model's guess is too unsure to override an answer
        ("feeling", "who knows honestly", "ask_what_is_this", 0.5, False),
        # the step's own reading wins over a detour intent
        ("rating", "7 i guess", "out_of_scope", 0.95, False),
        ("rating", "ocho", "ask_what_is_this", 0.9, False),
        ("follow_up", "yes please call me", "request_human", 0.9, False),
        ("barriers_text", "we travel a lot to see family", "out_of_scope", 0.95, False),
        ("barriers_text", "mi hijo tiene asma", "crisis", 0.99, False),
        # an off-topic guess must be very sure to take over free text
        ("feeling", "busy with work stuff", "out_of_scope", 0.7, False),
        ("feeling", "what time does school start?", "out_of_scope", 0.95, True),
    ],
)
def test_is_digression(step, text, intent, confidence, expected):
    assert is_digression(step, text, intent, confidence) is expected


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("6, the bus keeps coming late", ["transportation"]),
        ("un 6, pero el bus siempre llega tarde", ["transportation"]),
        ("7 I guess", []),
        ("8", []),
        ("3, she has asthma and we had to move", ["health", "housing"]),
    ],
)
def test_barriers_beside_a_rating(text, codes):
    assert barriers_beside_rating(text) == codes


@pytest.mark.parametrize(
    ("rating", "low", "question"),
    [
        (1, True, "utter_ask_barriers_low_rating"),
        (3, True, "utter_ask_barriers_low_rating"),
        (4, False, "utter_ask_barriers"),
        (10, False, "utter_ask_barriers"),
        (None, False, "utter_ask_barriers"),
    ],
)
def test_a_low_rating_changes_the_wording_not_the_steps(rating, low, question):
    assert is_low_rating(rating) is low
    assert barrier_question_response(rating) == question


@pytest.mark.parametrize(
    ("tone", "response"),
    [
        ("positive", "utter_ack_positive"),
        ("negative", "utter_ack_negative"),
        ("neutral", "utter_ack_neutral"),
        ("unknown", "utter_ack_neutral"),
    ],
)
def test_acknowledgement(tone, response):
    assert acknowledgement_response(tone) == response


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("yes please", True),
        ("sí", True),
        ("no thanks", False),
        ("purple", None),
        ("banana", None),
        ("maybe", None),
    ],
)
def test_yes_no_comes_from_the_words_only(text, answer):
    assert read_yes_no(text) is answer
