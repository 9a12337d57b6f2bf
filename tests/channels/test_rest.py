"""The dev REST channel: body validation, and the pipeline with Rasa's own response generator."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from sqlalchemy import select

from bot.channels.gates import Inbound
from bot.channels.output import RecordingCollectingOutputChannel
from bot.channels.pipeline import InboundPipeline
from bot.channels.rest import RestRequestError, parse_rest_body
from bot.store import Message, session_scope

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"sender": "a", "message": "hi"}', ("a", "hi")),
        (b'{"sender": " a ", "message": ""}', ("a", "")),
        (b'{"sender": "a"}', ("a", "")),
        ('{"sender": "a", "message": "¿qué es esto?"}'.encode(), ("a", "¿qué es esto?")),
    ],
)
def test_valid_bodies(body, expected):
    assert parse_rest_body(body) == expected


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "JSON"),
        (b"not json", "JSON"),
        (b"\xff\xfe", "JSON"),
        (b"[1, 2]", "object"),
        (b'{"message": "hi"}', "sender"),
        (b'{"sender": "", "message": "hi"}', "sender"),
        (b'{"sender": 12, "message": "hi"}', "sender"),
        (b'{"sender": "a\\nb", "message": "hi"}', "sender"),
        (b'{"sender": "a", "message": 5}', "message"),
        (b'{"sender": "a", "message": "' + b"x" * 5000 + b'"}', "message"),
    ],
)
def test_invalid_bodies_are_refused_with_the_reason(body, reason):
    with pytest.raises(RestRequestError, match=reason):
        parse_rest_body(body)


@pytest.fixture
def agent():
    """Rasa's real domain and response generator: what the Rasa server renders with."""
    domain = Domain.load(str(REPO / "domain.yml"))
    return SimpleNamespace(domain=domain, nlg=TemplatedNaturalLanguageGenerator(domain.responses))


def run_pipeline(agent, text: str, cid: str = "pipe-1"):
    received: list[UserMessage] = []

    async def on_new_message(message: UserMessage) -> None:  # Rasa's processor, at the edge
        received.append(message)
        await message.output_channel.send_text_message(
            message.sender_id, "from rasa", utter_action="utter_close"
        )

    collector = RecordingCollectingOutputChannel("rest")
    result = asyncio.run(
        InboundPipeline(on_new_message, agent).handle(Inbound(cid, "rest", text), collector)
    )
    return result, received, collector.messages


def test_keyword_replies_are_rendered_in_the_family_language_and_recorded(app_db, agent):
    result, received, messages = run_pipeline(agent, "hola")
    assert result.language == "es"
    result, received, messages = run_pipeline(agent, "ALTO")
    assert received == []
    assert [m["text"] for m in messages] == [
        "Listo, ya no recibirá más mensajes nuestros. Responda START para volver a recibirlos."
    ]
    with session_scope() as session:
        out = session.execute(select(Message).where(Message.direction == "out")).scalars().all()
        assert [(m.response_name, m.author, m.segments) for m in out] == [
            ("utter_close", "bot", 1),
            ("utter_stop_confirm", "bot", 2),
        ]


def test_crisis_replies_carry_the_numbers(app_db, agent):
    _, received, messages = run_pipeline(agent, "my son says he wants to kill himself")
    assert received == []
    text = " ".join(m["text"] for m in messages)
    assert "911" in text and "988" in text and "1-800-422-4453" in text


def test_ordinary_messages_go_to_rasa_and_are_marked_processed(app_db, agent):
    result, received, _ = run_pipeline(agent, "hi")
    assert [(m.text, m.sender_id, m.input_channel, m.parse_data) for m in received] == [
        ("hi", "pipe-1", "rest", None)
    ]
    with session_scope() as session:
        assert session.get(Message, result.message_id).status == "processed"


def test_a_language_request_reaches_rasa_with_the_intent_already_set(app_db, agent):
    _, received, _ = run_pipeline(agent, "in english please")
    assert received[0].parse_data["intent"]["name"] == "switch_language"
