"""Whole conversations through `POST /webhooks/rest/webhook`, checked field by field in the export.

The model is trained once per run; `familybot up` runs on a temporary SQLite file.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

EXPORT_FIELDS = [
    "conversation_id",
    "channel",
    "language",
    "started_at",
    "completed",
    "rating",
    "barriers",
    "barrier_text",
    "follow_up_requested",
    "helpful",
    "escalated",
    "escalation_reasons",
]


@dataclass
class Conversation:
    """A scripted family: what they write, and the record the school should get."""

    sender: str
    turns: list[str]
    expected: dict[str, Any]
    # (turn index, text that must appear in one of the bot's replies to that turn)
    reply_checks: list[tuple[int, str]] = field(default_factory=list)
    silent_turns: list[int] = field(default_factory=list)


def record(**fields: Any) -> dict[str, Any]:
    base = {
        "channel": "rest",
        "language": "en",
        "completed": False,
        "rating": None,
        "barriers": [],
        "barrier_text": None,
        "follow_up_requested": None,
        "helpful": None,
        "escalated": False,
        "escalation_reasons": [],
    }
    base.update(fields)
    return base


CONVERSATIONS = [
    Conversation(
        "e2e-en-bus",
        [
            "hi",
            "we're doing good, thanks",
            "8",
            "the bus is always late",
            "yes please",
            "yes it was",
        ],
        record(
            completed=True,
            rating=8,
            barriers=["transportation"],
            barrier_text="the bus is always late",
            follow_up_requested=True,
            helpful=True,
            escalated=True,
            escalation_reasons=["requested"],
        ),
        reply_checks=[(0, "How are you and your family"), (1, "1 to 10"), (5, "Thank you")],
    ),
    Conversation(
        "e2e-es-none",
        ["hola", "bien gracias", "nueve", "nada, todo bien", "no gracias", "sí"],
        record(
            language="es",
            completed=True,
            rating=9,
            barrier_text="nada, todo bien",
            follow_up_requested=False,
            helpful=True,
        ),
        reply_checks=[(0, "Cómo están"), (1, "Del 1 al 10"), (5, "Gracias")],
    ),
    Conversation(
        "e2e-en-low-bullying",
        [
            "hello",
            "not great honestly",
            "2",
            "kids at school keep picking on her",
            "yes",
            "yes, thank you",
        ],
        record(
            completed=True,
            rating=2,
            barriers=["bullying_safety"],
            barrier_text="kids at school keep picking on her",
            follow_up_requested=True,
            helpful=True,
            escalated=True,
            escalation_reasons=["requested", "low_rating", "serious_barrier"],
        ),
        reply_checks=[(2, "I'm sorry it has been hard")],
    ),
    Conversation(
        "e2e-es-crisis",
        ["hola", "mi esposo me pega a mí y a los niños", "hola?"],
        record(language="es", escalated=True, escalation_reasons=["crisis"]),
        reply_checks=[(1, "911"), (1, "988")],
        silent_turns=[2],
    ),
    Conversation(
        "e2e-en-person",
        ["hi", "can I talk to a real person please", "hello?"],
        record(escalated=True, escalation_reasons=["requested"]),
        reply_checks=[(1, "someone from school")],
        silent_turns=[2],
    ),
    Conversation(
        "e2e-switch-to-es",
        ["hi", "en español por favor", "bien", "8", "se nos descompuso el carro", "no", "si"],
        record(
            language="es",
            completed=True,
            rating=8,
            barriers=["transportation"],
            barrier_text="se nos descompuso el carro",
            follow_up_requested=False,
            helpful=True,
        ),
        reply_checks=[(1, "español"), (2, "Del 1 al 10")],
    ),
    Conversation(
        "e2e-en-no-rating",
        ["hi", "fine", "eleven", "idk", "7 or 8", "nothing really", "no", "yes"],
        record(
            completed=True, barrier_text="nothing really", follow_up_requested=False, helpful=True
        ),
        reply_checks=[(2, "number from 1 to 10"), (4, "hard to get to school")],
    ),
    Conversation(
        "e2e-es-two-in-one",
        ["buenas tardes", "bien", "un 6, pero el bus siempre llega tarde", "sí", "sí, gracias"],
        record(
            language="es",
            completed=True,
            rating=6,
            barriers=["transportation"],
            barrier_text="un 6, pero el bus siempre llega tarde",
            follow_up_requested=True,
            helpful=True,
            escalated=True,
            escalation_reasons=["requested"],
        ),
        reply_checks=[(2, "SÍ o NO")],
    ),
    Conversation(
        "e2e-en-several",
        [
            "hello",
            "tired",
            "5",
            "I work nights and she has to watch her little brother, and we might get evicted",
            "yes",
            "yes",
        ],
        record(
            completed=True,
            rating=5,
            barriers=["caregiving", "housing", "work_schedule"],
            barrier_text="I work nights and she has to watch her little brother, and we "
            "might get evicted",
            follow_up_requested=True,
            helpful=True,
            escalated=True,
            escalation_reasons=["requested", "serious_barrier"],
        ),
    ),
    Conversation(
        "e2e-en-what-is-this",
        ["hi", "who is this?", "good", "10", "nope, all good", "no", "not really"],
        record(
            completed=True,
            rating=10,
            barrier_text="nope, all good",
            follow_up_requested=False,
            helpful=False,
        ),
        reply_checks=[(1, "check-in from your child's school"), (1, "How are you")],
    ),
    Conversation(
        "e2e-es-off-topic",
        [
            "buenos días",
            "más o menos",
            "¿cuándo son las vacaciones de primavera?",
            "7",
            "mi hijo tiene asma",
            "no gracias",
            "sí, gracias",
        ],
        record(
            language="es",
            completed=True,
            rating=7,
            barriers=["health"],
            barrier_text="mi hijo tiene asma",
            follow_up_requested=False,
            helpful=True,
        ),
        reply_checks=[(2, "oficina de la escuela"), (2, "Del 1 al 10")],
    ),
    Conversation(
        "e2e-en-drop-off",
        ["hi", "ok", "4"],
        record(rating=4),
    ),
    Conversation(
        "e2e-en-stop",
        ["hi", "STOP", "hello?"],
        record(),
        reply_checks=[(1, "unsubscribed")],
        silent_turns=[2],
    ),
    Conversation(
        "e2e-en-fallback",
        ["hi", "fine", "8", "no", "purple", "banana"],
        record(rating=8, barrier_text="no", escalated=True, escalation_reasons=["fallback"]),
        reply_checks=[(4, "YES or NO"), (5, "trouble understanding")],
    ),
]


@pytest.fixture(scope="module")
def conversations_run(running_bot) -> dict[str, list[list[str]]]:
    """Drive every scripted conversation once; keep the replies for the checks."""
    replies: dict[str, list[list[str]]] = {}
    for conversation in CONVERSATIONS:
        replies[conversation.sender] = [
            running_bot.send(conversation.sender, turn) for turn in conversation.turns
        ]
    return replies


@pytest.fixture(scope="module")
def exported(running_bot, conversations_run) -> dict[str, dict[str, Any]]:
    rows = [json.loads(line) for line in running_bot.export("jsonl").splitlines() if line]
    return {row["conversation_id"]: row for row in rows}


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=lambda c: c.sender)
def test_the_export_holds_the_checkin_field_by_field(conversation, exported, conversations_run):
    row = exported[conversation.sender]
    assert list(row) == EXPORT_FIELDS
    started = datetime.fromisoformat(row["started_at"])
    assert started.tzinfo is not None
    expected = {"conversation_id": conversation.sender, **conversation.expected}
    actual = {key: value for key, value in row.items() if key != "started_at"}
    assert actual == expected, f"replies were: {conversations_run[conversation.sender]}"


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=lambda c: c.sender)
def test_the_bot_answers_each_turn_as_expected(conversation, conversations_run):
    replies = conversations_run[conversation.sender]
    for index, turn_replies in enumerate(replies):
        if index in conversation.silent_turns:
            assert turn_replies == [], f"turn {index} should be kept for staff, not answered"
        else:
            assert turn_replies, f"turn {index} ({conversation.turns[index]!r}) got no reply"
    for index, needle in conversation.reply_checks:
        assert any(needle in text for text in replies[index]), (index, needle, replies[index])


def test_every_scripted_conversation_was_exported_once(exported):
    assert sorted(exported) == sorted(c.sender for c in CONVERSATIONS)


def test_csv_export_has_the_same_records(running_bot, exported):
    rows = list(csv.DictReader(io.StringIO(running_bot.export("csv"))))
    assert [r["conversation_id"] for r in rows] == list(exported)
    assert list(rows[0]) == EXPORT_FIELDS


def test_bad_requests_get_a_clear_error_and_store_nothing(running_bot):
    import urllib.error

    for raw in (b"not json", b"[]", b'{"sender": 5, "message": "hi"}', b'{"message": "hi"}'):
        with pytest.raises(urllib.error.HTTPError) as caught:
            running_bot.post(None, raw=raw)
        assert caught.value.code == 400
        assert "error" in json.loads(caught.value.read())
