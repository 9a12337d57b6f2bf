"""STOP / START / HELP over SMS in every language, end to end: one confirmation, then silence.

Nothing reaches an opted-out number afterwards: not the bot, not staff, not outreach.
"""

# ruff: noqa: F811 - test functions take the fixtures imported from the harness
from __future__ import annotations

import asyncio
import unicodedata
from types import SimpleNamespace

import pytest

from bot.channels.gates import Reply
from bot.channels.pipeline import render
from bot.core.keywords import HELP, KEYWORDS_BY_LANGUAGE, START, STOP
from bot.core.language import ENABLED_LANGUAGES
from bot.core.sms import to_gsm7
from bot.store import conversation_for_contact, session_scope, set_conversation_language
from tests.channels.sms_harness import nlg, sms, sms_settings, stored  # noqa: F401
from tests.fakes.twilio_api import fake_twilio, inbound_params  # noqa: F401


def expected(nlg, response: str, language: str) -> str:
    """The text the family should receive: Rasa's rendering, made GSM-7 where it can be."""
    agent = SimpleNamespace(domain=nlg[0], nlg=nlg[1])
    text = asyncio.run(render(agent, Reply(response), language, "sms"))
    assert text
    return to_gsm7(text)


def known_family(phone: str, language: str | None, sms_settings) -> str:
    """A family from the roster: its number is known, maybe its language too."""
    with session_scope() as session:
        conversation = conversation_for_contact(
            session=session, channel="sms", address=phone, key=sms_settings.secret_key
        )
        if language:
            set_conversation_language(
                session=session, conversation_id=conversation.id, language=language
            )
        return str(conversation.id)


def language_of(phone: str, sms_settings) -> str:
    """The language the gates settled on for a new number (guessed from its first words)."""
    with session_scope() as session:
        conversation = conversation_for_contact(
            session=session, channel="sms", address=phone, key=sms_settings.secret_key
        )
        assert conversation.language in ENABLED_LANGUAGES
        return str(conversation.language)


def bodies_to(fake_twilio, phone: str) -> list[str]:
    return [m["Body"] for m in fake_twilio.sent if m["To"] == phone]


def unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")


@pytest.mark.parametrize("language", list(KEYWORDS_BY_LANGUAGE))
def test_stop_start_help_in_each_language(sms, fake_twilio, nlg, sms_settings, language):
    table = KEYWORDS_BY_LANGUAGE[language]
    phone = "+13125550100"
    reply_language = language if language in ENABLED_LANGUAGES else "en"
    cid = known_family(phone, reply_language, sms_settings)

    sms.deliver(inbound_params(phone, f" {table[STOP][0].lower()}! "))
    confirmation = expected(nlg, "utter_stop_confirm", reply_language)
    assert bodies_to(fake_twilio, phone) == [confirmation]

    # After STOP: the family writes again, says STOP again, staff and outreach try to write.
    sms.deliver(inbound_params(phone, "hello? are you there"))
    sms.deliver(inbound_params(phone, table[STOP][0]))
    staff = asyncio.run(sms.sender.send(cid, "Can we talk?", author="staff"))
    outreach = asyncio.run(sms.sender.send(cid, "Good news!", author="system"))
    pretend = asyncio.run(
        sms.sender.send(cid, "Hi again", author="staff", response_name="utter_stop_confirm")
    )
    assert [r.status for r in staff + outreach + pretend] == ["refused"] * 3
    assert bodies_to(fake_twilio, phone) == [confirmation]
    assert sms.agent.received == []

    sms.deliver(inbound_params(phone, table[START][0]))
    sms.deliver(inbound_params(phone, table[HELP][0]))
    sms.deliver(inbound_params(phone, "hi"))
    assert bodies_to(fake_twilio, phone) == [
        confirmation,
        expected(nlg, "utter_start_confirm", reply_language),
        expected(nlg, "utter_help_generic", reply_language),
        "Thanks for writing!",
    ]
    assert [m.text for m in sms.agent.received] == ["hi"]
    assert [m.response_name for m in stored("out")] == [
        "utter_stop_confirm",
        "utter_start_confirm",
        "utter_help_generic",
        "utter_close",
    ]
    assert all(m.status == "sent" for m in stored("out"))


def test_every_stop_word_opts_out_with_one_confirmation(sms, fake_twilio, nlg, sms_settings):
    # Every word as listed, plus how families type them: any case, no accents, punctuation.
    words = [word for table in KEYWORDS_BY_LANGUAGE.values() for word in table[STOP]]
    words += ["dung", unaccented("NGỪNG").lower(), "Huy", "stop.", "Baja ", "anile!", "Kanpe"]
    for index, word in enumerate(words):
        phone = f"+1312555{index:04d}"
        sms.post(inbound_params(phone, word))
    sms.settle()
    for index, word in enumerate(words):
        phone = f"+1312555{index:04d}"
        confirmation = expected(nlg, "utter_stop_confirm", language_of(phone, sms_settings))
        assert bodies_to(fake_twilio, phone) == [confirmation], word
    assert sms.agent.received == []
    assert len(fake_twilio.sent) == len(words) >= 28 + 7


def test_every_start_and_help_word_is_answered(sms, fake_twilio, nlg, sms_settings):
    index = 0
    for table in KEYWORDS_BY_LANGUAGE.values():
        for kind, response in ((START, "utter_start_confirm"), (HELP, "utter_help_generic")):
            for word in table[kind]:
                index += 1
                phone = f"+1646555{index:04d}"
                sms.deliver(inbound_params(phone, word))
                reply = expected(nlg, response, language_of(phone, sms_settings))
                assert bodies_to(fake_twilio, phone) == [reply], word
    assert sms.agent.received == []
