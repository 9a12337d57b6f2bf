"""The SMS webhook in a real Sanic server: signatures, recording, acknowledgement, recovery.

Requests are signed with twilio's own RequestValidator for the public URL; replies go to
the fake Twilio Messages API on 127.0.0.1; Rasa's turn is a stand-in at the edge.
"""

# ruff: noqa: F811 - test functions take the fixtures imported from the harness
from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from bot.channels.sms import EMPTY_TWIML
from bot.store import ContactPoint, Conversation, Message, session_scope
from tests.channels.sms_harness import SmsServer, nlg, sms, sms_settings, stored  # noqa: F401
from tests.fakes.twilio_api import (
    AUTH_TOKEN,
    PUBLIC_URL,
    STATUS_PATH,
    WEBHOOK_PATH,
    fake_twilio,  # noqa: F401
    inbound_params,
)

PHONE = "+13125550142"


def count(model: type) -> int:
    with session_scope() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def test_a_signed_message_is_acknowledged_with_empty_twiml_then_answered(sms, fake_twilio):
    response = sms.deliver(inbound_params(PHONE, "hi"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert response.text == EMPTY_TWIML
    [message] = sms.agent.received
    assert (message.text, message.input_channel) == ("hi", "sms")
    assert message.sender_id.startswith("c_") and PHONE[1:] not in message.sender_id
    [sent] = fake_twilio.sent
    assert (sent["To"], sent["Body"]) == (PHONE, "Thanks for writing!")
    inbound, outbound = stored()
    assert (inbound.direction, inbound.status, inbound.text) == ("in", "processed", "hi")
    assert (outbound.status, outbound.response_name, outbound.segments) == (
        "sent",
        "utter_close",
        1,
    )
    assert outbound.provider_id.startswith("SM")


@pytest.mark.parametrize(
    "forgery",
    [
        "wrong token",
        "no signature",
        "signed for request.url",
        "signed for another path",
        "body changed after signing",
        "signature of another request",
    ],
)
def test_unsigned_or_forged_requests_are_refused_and_leave_no_trace(
    sms, fake_twilio, caplog, forgery
):
    params = inbound_params(PHONE, "my secret message")
    kw: dict = {}
    if forgery == "wrong token":
        kw["token"] = "0" * 32
    elif forgery == "no signature":
        kw["headers"] = {"X-Twilio-Signature": ""}
    elif forgery == "signed for request.url":  # what a proxy-unaware check would accept
        kw["url"] = sms.server.base_url + WEBHOOK_PATH
    elif forgery == "signed for another path":
        kw["url"] = PUBLIC_URL + STATUS_PATH
    elif forgery == "signature of another request":
        other = inbound_params(PHONE, "something else")
        from tests.fakes.twilio_api import sign

        kw["headers"] = {"X-Twilio-Signature": sign(PUBLIC_URL + WEBHOOK_PATH, other)}
    if forgery == "body changed after signing":
        signed = dict(params)
        from tests.fakes.twilio_api import sign

        kw["headers"] = {"X-Twilio-Signature": sign(PUBLIC_URL + WEBHOOK_PATH, signed)}
        params = {**params, "Body": "STOP"}
    with caplog.at_level(logging.INFO):
        response = sms.post(params, **kw)
        sms.settle()
    assert response.status_code == 403
    assert (count(Message), count(Conversation), count(ContactPoint)) == (0, 0, 0)
    assert sms.agent.received == [] and fake_twilio.requests == []
    lines = [r for r in caplog.records if r.name.startswith("bot.")]
    assert [r.levelname for r in lines] == ["WARNING"]
    assert PHONE not in caplog.text and "secret" not in caplog.text


def test_the_signature_covers_the_query_string(sms):
    params = inbound_params(PHONE, "hi")
    assert sms.post(params, query="school=12").status_code == 200
    signed_without_query = {"url": PUBLIC_URL + WEBHOOK_PATH}
    assert sms.post(params, query="school=12", **signed_without_query).status_code == 403


@pytest.mark.parametrize("missing", ["MessageSid", "From"])
def test_a_signed_request_without_sid_or_sender_is_a_bad_request(sms, missing):
    params = inbound_params(PHONE, "hi")
    params.pop(missing)
    if missing == "MessageSid":
        params.pop("SmsMessageSid")
    response = sms.deliver(params)
    assert response.status_code == 400
    assert count(Message) == 0 and sms.agent.received == []


def test_a_retried_delivery_is_acknowledged_and_processed_once(sms, fake_twilio):
    params = inbound_params(PHONE, "hi")
    with ThreadPoolExecutor(4) as pool:
        responses = list(pool.map(lambda _: sms.post(params), range(4)))
    responses.append(sms.post(params))
    sms.settle()
    assert [r.status_code for r in responses] == [200] * 5
    assert all(r.text == EMPTY_TWIML for r in responses)
    assert len(stored("in")) == 1
    assert len(sms.agent.received) == 1
    assert len(fake_twilio.sent) == 1


def test_the_acknowledgement_does_not_wait_for_a_slow_rasa_turn(sms_settings, nlg, fake_twilio):
    async def slow_turn(message) -> None:
        await asyncio.sleep(1.5)
        await message.output_channel.send_text_message(message.sender_id, "late answer")

    server = SmsServer(sms_settings, nlg, turn=slow_turn).start()
    try:
        started = time.perf_counter()
        response = server.post(inbound_params(PHONE, "hi"))
        elapsed = time.perf_counter() - started
        assert response.status_code == 200 and elapsed < 1.0
        [inbound] = stored("in")
        assert inbound.status == "received"  # recorded, answered, not processed yet
        server.settle()
        assert stored("in")[0].status == "processed"
        assert [m["Body"] for m in fake_twilio.sent] == ["late answer"]
    finally:
        server.stop()


def test_a_message_recorded_before_a_crash_is_processed_on_restart(sms_settings, nlg, fake_twilio):
    never = asyncio.Event()

    async def stuck_turn(message) -> None:
        await never.wait()  # the process dies in the middle of this turn

    first = SmsServer(sms_settings, nlg, turn=stuck_turn).start()
    assert first.post(inbound_params(PHONE, "hi", sid="SM" + "1" * 32)).status_code == 200
    deadline = time.monotonic() + 10
    while not first.agent.received and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(first.agent.received) == 1
    first.crash()
    assert [m.status for m in stored("in")] == ["received"]
    assert fake_twilio.sent == []

    second = SmsServer(sms_settings, nlg).start()  # recovers in its after_server_start listener
    try:
        second.settle()
        assert [m.text for m in second.agent.received] == ["hi"]
        assert [m.status for m in stored("in")] == ["processed"]
        assert [m["Body"] for m in fake_twilio.sent] == ["Thanks for writing!"]
        # Twilio retrying the same delivery after the restart changes nothing.
        assert second.deliver(inbound_params(PHONE, "hi", sid="SM" + "1" * 32)).status_code == 200
        assert len(second.agent.received) == 1 and len(stored("in")) == 1
    finally:
        second.stop()


def test_recovery_racing_a_webhook_answers_the_message_once(sms, sms_settings, fake_twilio):
    from bot.channels.sms import SmsMessage, _record

    # A webhook recorded this message just as the server started, and is about to submit it.
    inbound, message_id = _record(
        SmsMessage("SM" + "2" * 32, PHONE, "hi", 0), sms_settings.secret_key
    )

    async def race() -> int:
        sms.channel.worker.submit(inbound, message_id)
        return await sms.channel.worker.recover("sms")

    assert sms.server.call(race()) == 1  # recovery found it too
    sms.settle()
    assert len(sms.agent.received) == 1 and len(fake_twilio.sent) == 1


def test_messages_of_one_family_are_answered_in_order(sms_settings, nlg, fake_twilio):
    async def echo(message) -> None:
        await asyncio.sleep(0.2 if message.text == "one" else 0)
        await message.output_channel.send_text_message(message.sender_id, f"re {message.text}")

    server = SmsServer(sms_settings, nlg, turn=echo).start()
    try:
        for text in ("one", "two", "three"):
            assert server.post(inbound_params(PHONE, text)).status_code == 200
        server.settle()
        assert [m["Body"] for m in fake_twilio.sent] == ["re one", "re two", "re three"]
    finally:
        server.stop()


def test_a_photo_without_text_gets_the_kind_unsupported_reply(sms, fake_twilio):
    params = inbound_params(PHONE, "", num_media=1)
    assert params["Body"] == "" and params["ToCity"] == ""  # blank fields are signed too
    assert sms.deliver(params).status_code == 200
    assert sms.agent.received == []
    [sent] = fake_twilio.sent
    assert sent["Body"] == "Sorry, I can only read text messages. Could you type your answer?"
    assert [m.response_name for m in stored("out")] == ["utter_unsupported_content"]
    assert stored("in")[0].status == "processed"


def test_a_photo_with_a_caption_is_read_as_text(sms):
    assert sms.deliver(inbound_params(PHONE, "8", num_media=2)).status_code == 200
    assert [m.text for m in sms.agent.received] == ["8"]


def test_no_phone_number_reaches_the_logs_or_rasa(sms, fake_twilio, caplog):
    with caplog.at_level(logging.DEBUG):
        for text in ("hi", "HELP", "STOP", "hello?", "START"):
            sms.deliver(inbound_params(PHONE, text))
        sms.post(inbound_params(PHONE, "forged"), token="0" * 32)
    assert len(fake_twilio.sent) == 4  # hi, HELP, STOP confirmation, START confirmation
    assert PHONE not in caplog.text and PHONE[2:] not in caplog.text
    assert all(PHONE[2:] not in m.sender_id for m in sms.agent.received)


def test_the_health_route_answers(sms):
    response = sms.client.get(sms.server.base_url + "/webhooks/sms/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_the_channel_is_what_credentials_yml_names(sms_settings, monkeypatch):
    from rasa.shared.utils.common import class_from_module_path

    from bot.rasa_config import SMS_CHANNEL, credentials_config

    for name, value in (
        ("FAMILYBOT_PUBLIC_URL", sms_settings.public_url),
        ("FAMILYBOT_TWILIO_ACCOUNT_SID", sms_settings.twilio_account_sid),
        ("FAMILYBOT_TWILIO_AUTH_TOKEN", AUTH_TOKEN),
        ("FAMILYBOT_TWILIO_FROM", sms_settings.twilio_from),
    ):
        monkeypatch.setenv(name, value)
    from bot.settings import get_settings

    get_settings.cache_clear()
    assert SMS_CHANNEL in credentials_config(get_settings())
    channel = class_from_module_path(SMS_CHANNEL).from_credentials({})
    assert channel.name() == "sms" and channel.url_prefix() == "sms"
    assert channel.get_output_channel().name() == "sms"
