"""Twilio delivery status callbacks: signed, applied by MessageSid, never moving backwards."""

# ruff: noqa: F811 - test functions take the fixtures imported from the harness
from __future__ import annotations

import asyncio

import pytest

from bot.store import is_opted_out, session_scope
from tests.channels.sms_harness import nlg, sms, sms_settings, stored  # noqa: F401
from tests.fakes.twilio_api import (  # noqa: F401
    STATUS_PATH,
    fake_twilio,
    inbound_params,
    status_params,
)

PHONE = "+13125550199"


@pytest.fixture
def reply(sms) -> str:
    """A family wrote, the bot answered: the sid Twilio gave that answer."""
    sms.deliver(inbound_params(PHONE, "hi"))
    [message] = stored("out")
    assert message.status == "sent" and message.provider_id
    return str(message.provider_id)


def callback(sms, sid: str, status: str, error_code: str | None = None, **kw) -> int:
    return sms.post(status_params(sid, status, error_code), STATUS_PATH, **kw).status_code


def out_status() -> tuple[str, str | None]:
    [message] = stored("out")
    return message.status, message.error_code


@pytest.mark.parametrize(
    ("callbacks", "final"),
    [
        (["sent", "delivered"], ("delivered", None)),
        (["delivered", "sent"], ("delivered", None)),  # out of order: stays delivered
        (["sending", "delivered", "queued", "sent"], ("delivered", None)),
        (["read", "sent"], ("delivered", None)),
        ([("undelivered", "30003"), "sent", "delivered"], ("undelivered", "30003")),
        ([("failed", "30008"), "sending"], ("failed", "30008")),
        (["delivered", ("failed", "30007")], ("delivered", None)),  # final stays final
    ],
)
def test_status_only_moves_forward(sms, reply, callbacks, final):
    for item in callbacks:
        status, code = item if isinstance(item, tuple) else (item, None)
        assert callback(sms, reply, status, code) == 204
    assert out_status() == final


def test_an_unknown_sid_or_status_is_acknowledged_and_changes_nothing(sms, reply):
    assert callback(sms, "SM" + "f" * 32, "delivered") == 204
    assert callback(sms, reply, "receiving") == 204
    assert out_status() == ("sent", None)


def test_a_forged_callback_is_refused(sms, reply):
    assert callback(sms, reply, "failed", "30008", token="0" * 32) == 403
    assert callback(sms, reply, "failed", url="https://elsewhere.test" + STATUS_PATH) == 403
    assert out_status() == ("sent", None)


def test_a_callback_without_sid_or_status_is_a_bad_request(sms, reply):
    params = status_params(reply, "delivered")
    for name in ("MessageStatus", "SmsStatus"):
        params.pop(name)
    assert sms.post(params, STATUS_PATH).status_code == 400
    assert out_status() == ("sent", None)


def test_an_unsubscribed_recipient_reported_late_is_opted_out(sms, reply, fake_twilio):
    assert callback(sms, reply, "failed", "21610") == 204
    cid = stored("out")[0].conversation_id
    with session_scope() as session:
        assert is_opted_out(session=session, conversation_id=cid)
    [result] = asyncio.run(sms.sender.send(cid, "are you there?"))
    assert result.status == "refused" and len(fake_twilio.sent) == 1
