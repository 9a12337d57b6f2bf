"""Properties of the SMS endpoints under arbitrary input (hypothesis).

Without a valid signature nothing is ever stored or processed and the answer is 403;
with one, arbitrary parameters never cause a 5xx, and only a sid plus a sender stores.
"""

# ruff: noqa: F811 - test functions take the fixtures imported from the harness
from __future__ import annotations

import string
from urllib.parse import urlencode

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.store import ContactPoint, Conversation, Family, Message, session_scope
from tests.channels.sms_harness import nlg, sms, sms_settings  # noqa: F401
from tests.fakes.twilio_api import (  # noqa: F401
    STATUS_PATH,
    WEBHOOK_PATH,
    fake_twilio,
    inbound_params,
    sign,
)

TWILIO_NAMES = ["MessageSid", "SmsMessageSid", "From", "To", "Body", "NumMedia", "MessageStatus"]
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
names = st.one_of(st.sampled_from(TWILIO_NAMES), text)
forms = st.dictionaries(names, text, max_size=8)
# Twilio's own fields over arbitrary others: complete messages, and pieces of them.
printable = st.text(st.sampled_from(string.ascii_letters + string.digits + "+-_ "), max_size=40)
twilio_fields = {
    "MessageSid": st.one_of(text, printable),
    "From": st.one_of(text, printable),
    "Body": text,
    "NumMedia": st.one_of(text, st.integers(-2, 12).map(str)),
    "MessageStatus": st.one_of(text, st.sampled_from(["sent", "delivered", "failed", "read"])),
    "ErrorCode": text,
}
complete = st.fixed_dictionaries(
    {"MessageSid": printable.map("SM{}".format), "From": printable.map("+1{}".format)},
    optional={k: v for k, v in twilio_fields.items() if k not in ("MessageSid", "From")},
)
twilio_forms = st.builds(
    lambda known, extra: {**extra, **known},
    st.one_of(complete, st.fixed_dictionaries({}, optional=twilio_fields)),
    forms,
)
header_value = st.text(st.sampled_from(string.printable[:-5]), max_size=60).map(str.strip)
header_name = st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,20}", fullmatch=True).filter(
    lambda n: n.lower() not in {"content-length", "host", "transfer-encoding", "connection"}
)
content_types = st.sampled_from(
    [
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=UTF-8",
        "application/json",
        "multipart/form-data; boundary=xyz",
        "text/plain",
        "",
    ]
)
paths = st.sampled_from([WEBHOOK_PATH, STATUS_PATH])
RUNS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def counts() -> tuple[int, int, int, int]:
    with session_scope() as session:
        return tuple(
            int(session.execute(select(func.count()).select_from(model)).scalar_one())
            for model in (Message, Conversation, ContactPoint, Family)
        )


@RUNS
@given(
    path=paths,
    form=forms,
    raw=st.one_of(st.none(), st.binary(max_size=200)),
    content_type=content_types,
    signature=st.one_of(st.none(), header_value, st.just("")),
    extra=st.dictionaries(header_name, header_value, max_size=4),
    signed_elsewhere=st.booleans(),
)
def test_without_a_valid_signature_nothing_is_stored_and_the_answer_is_403(
    sms, fake_twilio, path, form, raw, content_type, signature, extra, signed_elsewhere
):
    body = raw if raw is not None else urlencode(form).encode()
    headers = {**extra, "Content-Type": content_type}
    if signed_elsewhere and raw is None:  # a real signature, for the wrong URL
        signature = sign(sms.server.base_url + path, form)
    headers.pop("X-Twilio-Signature", None)
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    response = sms.client.post(sms.server.base_url + path, content=body, headers=headers)
    assert response.status_code == 403
    sms.settle()
    assert counts() == (0, 0, 0, 0)
    assert sms.agent.received == [] and fake_twilio.requests == []


@RUNS
@given(path=paths, form=twilio_forms)
def test_signed_arbitrary_parameters_never_cause_a_server_error(sms, path, form):
    before = counts()
    response = sms.post(form, path)
    sms.settle()
    after = counts()
    assert response.status_code < 500
    sid = (form.get("MessageSid") or form.get("SmsMessageSid") or "").strip()
    sender = form.get("From", "").strip()
    if path == STATUS_PATH:
        assert response.status_code in (204, 400)
        assert after == before  # a delivery report never creates anything
    elif sid and sender and sid.isprintable() and sender.isprintable():
        assert response.status_code == 200
        assert before[0] <= after[0]  # recorded (or already recorded: a retry)
    else:
        assert response.status_code == 400
        assert after == before
    event(f"{path} -> {response.status_code}")


def test_a_signed_real_webhook_is_stored(sms):
    """The property above also covers the ordinary case: a real message is recorded once."""
    params = inbound_params("+13125550123", "hi")
    assert sms.post(params).status_code == 200
    assert sms.post(params).status_code == 200
    sms.settle()
    assert counts()[0] == 2  # the family's message and the bot's one reply
