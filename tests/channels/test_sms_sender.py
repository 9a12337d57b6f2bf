"""TwilioSender against the fake Twilio Messages API: the one outbound path for SMS."""

# ruff: noqa: F811 - test functions take the fixtures imported from the harness
from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

import pytest

from bot.channels.senders import SenderOutputChannel, TwilioSender
from bot.core.sms import count_segments
from bot.store import (
    conversation_for_contact,
    get_or_create_conversation,
    is_opted_out,
    opt_out,
    session_scope,
)
from tests.channels.sms_harness import sms_settings, stored  # noqa: F401
from tests.fakes.twilio_api import (  # noqa: F401
    ACCOUNT_SID,
    AUTH_TOKEN,
    FROM_NUMBER,
    PUBLIC_URL,
    Answer,
    error,
    fake_twilio,
)

PHONE = "+13125550142"


@pytest.fixture
def cid(sms_settings) -> str:
    """A family known by its number."""
    with session_scope() as session:
        conversation = conversation_for_contact(
            session=session, channel="sms", address=PHONE, key=sms_settings.secret_key
        )
        return str(conversation.id)


class Sleeps(list):
    """An injected sleep that records the backoff instead of waiting."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


def sender(settings, sleeps: Sleeps | None = None, **kw) -> TwilioSender:
    return TwilioSender(settings, sleep=sleeps if sleeps is not None else Sleeps(), **kw)


def send(s: TwilioSender, cid: str, text: str, **kw):
    return asyncio.run(s.send(cid, text, **kw))


def out_rows() -> list[tuple]:
    return [
        (m.text, m.status, m.segments, m.provider_id is not None, m.error_code, m.author)
        for m in stored("out")
    ]


def test_a_message_is_posted_as_twilio_expects_and_recorded(sms_settings, fake_twilio, cid):
    [result] = send(sender(sms_settings), cid, "Hi! How are you?", response_name="utter_opening")
    [request] = fake_twilio.requests
    assert request.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert request.auth == (ACCOUNT_SID, AUTH_TOKEN)
    assert request.form == {
        "To": PHONE,
        "Body": "Hi! How are you?",
        "From": FROM_NUMBER,
        "StatusCallback": PUBLIC_URL + "/webhooks/sms/status",
    }
    assert (result.status, result.segments, result.ok) == ("sent", 1, True)
    assert result.provider_id and result.provider_id.startswith("SM")
    [message] = stored("out")
    assert (message.provider_id, message.response_name, message.channel) == (
        result.provider_id,
        "utter_opening",
        "sms",
    )


def test_a_messaging_service_is_used_when_the_sender_is_one(sms_settings, fake_twilio, cid):
    service = "MG" + "0" * 32
    send(sender(replace(sms_settings, twilio_from=service)), cid, "hi")
    [form] = fake_twilio.sent
    assert form["MessagingServiceSid"] == service and "From" not in form


def test_429_then_success_backs_off_and_sends_once(sms_settings, fake_twilio, cid):
    fake_twilio.script(error(429, 20429, "Too Many Requests"))
    sleeps = Sleeps()
    [result] = send(sender(sms_settings, sleeps), cid, "hi")
    assert result.status == "sent"
    assert len(fake_twilio.sent) == 2 and sleeps == [0.5]
    assert out_rows() == [("hi", "sent", 1, True, None, "bot")]


def test_retry_after_is_honoured(sms_settings, fake_twilio, cid):
    fake_twilio.script(Answer(429, {"code": 20429}, headers={"Retry-After": "3"}))
    sleeps = Sleeps()
    send(sender(sms_settings, sleeps), cid, "hi")
    assert sleeps == [3.0]


def test_server_errors_are_retried_with_exponential_backoff_then_given_up(
    sms_settings, fake_twilio, cid
):
    fake_twilio.script(*[error(500, 20500, "Internal Server Error")] * 4)
    sleeps = Sleeps()
    [result] = send(sender(sms_settings, sleeps, max_attempts=4), cid, "hi")
    assert len(fake_twilio.sent) == 4  # bounded
    assert sleeps == [0.5, 1.0, 2.0]
    assert (result.status, result.error_code, result.ok) == ("failed", "20500", False)
    assert out_rows() == [("hi", "failed", 1, False, "20500", "bot")]


def test_500s_then_success(sms_settings, fake_twilio, cid):
    fake_twilio.script(Answer(503), error(500, 20500))
    [result] = send(sender(sms_settings), cid, "hi")
    assert result.status == "sent" and len(fake_twilio.sent) == 3


def test_a_timeout_is_retried(sms_settings, fake_twilio, cid):
    fake_twilio.script(Answer(201, {"sid": "SMslow", "status": "queued"}, delay=1.0))
    sleeps = Sleeps()
    [result] = send(sender(sms_settings, sleeps, timeout=0.2), cid, "hi")
    assert result.status == "sent" and len(sleeps) == 1
    assert len(fake_twilio.sent) == 2


def test_an_unreachable_api_fails_after_bounded_retries(sms_settings, cid):
    closed = replace(sms_settings, twilio_api_url="http://127.0.0.1:9")  # discard port
    sleeps = Sleeps()
    [result] = send(sender(closed, sleeps, max_attempts=3), cid, "hi")
    assert (result.status, result.error_code) == ("failed", "connection")
    assert len(sleeps) == 2


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        (error(400, 21211, "The 'To' number +13125550142 is not a valid phone number."), "21211"),
        (error(400, 21614, "'To' number is not a valid mobile number"), "21614"),
        (error(401, 20003, "Authenticate"), "20003"),
        (Answer(404), "http_404"),
    ],
)
def test_permanent_failures_are_recorded_and_never_retried(
    sms_settings, fake_twilio, cid, caplog, answer, code
):
    fake_twilio.script(answer)
    sleeps = Sleeps()
    with caplog.at_level(logging.INFO):
        [result] = send(sender(sms_settings, sleeps), cid, "hi")
    assert (result.status, result.error_code) == ("failed", code)
    assert len(fake_twilio.sent) == 1 and sleeps == []
    assert out_rows() == [("hi", "failed", 1, False, code, "bot")]
    assert PHONE not in caplog.text and PHONE[2:] not in caplog.text
    with session_scope() as session:
        assert not is_opted_out(session=session, conversation_id=cid)


def test_an_unsubscribed_recipient_is_recorded_and_opted_out(sms_settings, fake_twilio, cid):
    fake_twilio.script(error(400, 21610, "Attempt to send to unsubscribed recipient"))
    s = sender(sms_settings)
    [result] = send(s, cid, "hi")
    assert (result.status, result.error_code) == ("failed", "21610")
    with session_scope() as session:
        assert is_opted_out(session=session, conversation_id=cid)
    assert send(s, cid, "hello again", author="staff")[0].status == "refused"
    assert len(fake_twilio.sent) == 1
    assert out_rows() == [("hi", "failed", 1, False, "21610", "bot")]


def test_nothing_is_sent_or_recorded_for_an_opted_out_contact(sms_settings, fake_twilio, cid):
    with session_scope() as session:
        opt_out(session=session, conversation_id=cid)
    s = sender(sms_settings)
    for author in ("bot", "staff", "system"):
        [result] = send(s, cid, "Any news?", author=author)
        assert (result.status, result.error_code, result.ok) == ("refused", "opted_out", False)
    assert fake_twilio.requests == [] and stored("out") == []


def test_a_conversation_without_a_number_is_refused(sms_settings, fake_twilio):
    with session_scope() as session:
        get_or_create_conversation(session=session, conversation_id="rest-1", channel="rest")
    [result] = send(sender(sms_settings), "rest-1", "hi")
    assert (result.status, result.error_code) == ("refused", "no_address")
    assert fake_twilio.requests == []


def test_typographic_characters_become_gsm7_and_stay_one_segment(sms_settings, fake_twilio, cid):
    text = "We’re glad you wrote — “thank you”… (" + "x" * 100 + ")"
    [result] = send(sender(sms_settings), cid, text)
    [form] = fake_twilio.sent
    assert form["Body"] == 'We\'re glad you wrote - "thank you"... (' + "x" * 100 + ")"
    assert result.segments == 1 and stored("out")[0].segments == 1


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Thank you for telling us. " * 20, 2),  # 520 GSM-7 characters: 306 per part at most
        ("Gracias por contarnos cómo está su familia. " * 8, 3),  # ó: UCS-2, 134 per part
        ("Cảm ơn quý phụ huynh đã chia sẻ. " * 6, 2),  # Vietnamese, always UCS-2
    ],
)
def test_long_text_is_split_at_word_boundaries_within_two_segments(
    sms_settings, fake_twilio, cid, text, parts
):
    results = send(sender(sms_settings), cid, text, response_name="utter_resources")
    bodies = [form["Body"] for form in fake_twilio.sent]
    assert len(bodies) == len(results) == parts
    assert " ".join(bodies).split() == text.split()  # nothing lost, no word cut
    assert all(1 <= count_segments(b) <= 2 for b in bodies)
    assert [m.segments for m in stored("out")] == [count_segments(b) for b in bodies]
    assert [r.segments for r in results] == [count_segments(b) for b in bodies]
    assert {m.response_name for m in stored("out")} == {"utter_resources"}
    assert all(r.status == "sent" for r in results)


def test_a_permanent_failure_stops_the_remaining_parts(sms_settings, fake_twilio, cid):
    fake_twilio.script(error(400, 21610))
    results = send(sender(sms_settings), cid, "Thank you for telling us. " * 20)
    assert len(fake_twilio.sent) == 1
    assert [(r.status, r.error_code) for r in results] == [("failed", "21610")] * 2
    assert [m.status for m in stored("out")] == ["failed", "failed"]


def test_empty_text_sends_nothing(sms_settings, fake_twilio, cid):
    assert send(sender(sms_settings), cid, "   ") == []
    assert fake_twilio.requests == [] and stored("out") == []


def test_the_output_channel_sends_through_the_sender(sms_settings, fake_twilio, cid):
    output = SenderOutputChannel(sender(sms_settings))
    assert output.name() == "sms"
    asyncio.run(output.send_text_message(cid, "Hello!", utter_action="utter_opening"))
    asyncio.run(
        output.send_response(
            cid, {"text": "Pick one", "buttons": [{"title": "Yes", "payload": "/affirm"}]}
        )
    )
    assert [f["Body"] for f in fake_twilio.sent] == ["Hello!", "Pick one"]
    assert [m.response_name for m in stored("out")] == ["utter_opening", None]
