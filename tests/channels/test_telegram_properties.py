"""Properties of the live webhook: no input gives a 5xx; without the secret nothing is stored."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.channels.telegram import SECRET_HEADER
from bot.store import Message, session_scope
from tests.channels.telegram_stack import SECRET, TelegramStack, count_rows, text_update

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=15,
)
USER = st.fixed_dictionaries(
    {"id": st.integers(), "is_bot": st.booleans(), "first_name": st.text(max_size=10)},
    optional={"language_code": st.text(max_size=8) | JSON},
)
MESSAGE = st.fixed_dictionaries(
    {
        "message_id": st.integers(-(2**65), 2**65) | JSON,
        "date": st.integers(-(10**12), 10**12) | JSON,
        "chat": st.fixed_dictionaries(
            {
                "id": st.integers(-(2**65), 2**65) | JSON,
                "type": st.sampled_from(["private", "group", "channel"]) | JSON,
            }
        ),
    },
    optional={
        "text": st.text(max_size=200) | JSON,
        "caption": st.text(max_size=50) | JSON,
        "from": USER | JSON,
        "photo": JSON,
        "sticker": JSON,
        "entities": JSON,
    },
)
UPDATE = st.fixed_dictionaries(
    {"update_id": st.integers(-(2**65), 2**65) | JSON},
    optional={"message": MESSAGE | JSON, "edited_message": MESSAGE, "my_chat_member": JSON},
)
# Well-formed private-chat updates with anything a family could type (or a /start payload).
PLAUSIBLE = st.builds(
    lambda text, language, edited, update_id: json.dumps(
        text_update(text, language_code=language, edited=edited, update_id=update_id)
    ),
    st.text(max_size=300) | st.text(max_size=20).map(lambda code: "/start " + code),
    st.none() | st.text(max_size=8),
    st.booleans(),
    st.integers(1, 2**62),
)
BODY = st.binary(max_size=200) | JSON.map(json.dumps) | UPDATE.map(json.dumps) | PLAUSIBLE
# What an HTTP client can send as a header value (no edge whitespace, no control characters).
PRINTABLE = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60).map(str.strip)
HEADER_NAME = st.text("abcdefghijklmnopqrstuvwxyz-ABCXYZ", min_size=1, max_size=20).filter(
    lambda name: (
        name.lower()
        not in {"content-length", "transfer-encoding", "host", "connection", "expect", "upgrade"}
    )
)
HEADERS = st.dictionaries(HEADER_NAME, PRINTABLE, max_size=4)
WRONG_SECRET = st.none() | PRINTABLE.filter(lambda s: s != SECRET) | st.just(SECRET[:-1])

SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def stack(app_db, monkeypatch):
    running = TelegramStack(monkeypatch).start()
    yield running
    running.close()


@SETTINGS
@given(body=BODY, headers=HEADERS, secret=WRONG_SECRET)
def test_without_the_secret_nothing_is_stored_and_nothing_fails(stack, body, headers, secret):
    headers = {k: v for k, v in headers.items() if k.lower() != SECRET_HEADER.lower()}
    before = count_rows()
    answer = stack.post(body, secret=secret, headers=headers)
    assert answer.status_code == 403
    assert count_rows() == before
    assert stack.api.calls == [] and stack.rasa.received == []


@SETTINGS
@given(body=BODY, headers=HEADERS)
def test_with_the_secret_no_body_gives_a_5xx_and_what_is_taken_is_processed(stack, body, headers):
    headers = {k: v for k, v in headers.items() if k.lower() != SECRET_HEADER.lower()}
    answer = stack.post(body, secret=SECRET, headers=headers)
    assert answer.status_code in (200, 400)
    event(f"HTTP {answer.status_code}")
    stack.settle()
    with session_scope() as session:
        statuses = session.execute(select(Message.status).where(Message.direction == "in"))
        assert set(statuses.scalars()) <= {"processed", "held"}  # nothing failed half-way
