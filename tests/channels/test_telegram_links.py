"""One family, several channels: one-time link codes, in the store and through the webhook."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from bot.channels.telegram import START_LINKED, START_NOT_LINKED
from bot.settings import get_settings
from bot.store import (
    ContactPoint,
    Conversation,
    Family,
    LinkCode,
    Message,
    add_contact_point,
    conversation_for_contact,
    create_link_code,
    redeem_link_code,
    session_scope,
)
from bot.store.links import CODE_ALPHABET, CODE_LENGTH
from tests.channels.telegram_stack import CHAT, STICKER, TelegramStack, message_update, text_update

PHONE = "+15555550123"
LINKED_ES = (
    "¡Gracias! Este chat ya quedó conectado con su familia en la escuela. "
    "Responda ALTO cuando quiera dejar de recibir mensajes."
)
OPENING_ES = (
    "¡Hola! Le escribe la escuela de su hijo/a. ¿Cómo están usted y su familia esta semana?"
)
INVALID_EN = (
    "That link has expired or was already used, but we're glad you're here! "
    "Ask the school for a new one anytime."
)
OPENING_EN = "Hi! This is your child's school. How are you and your family doing this week?"


def key() -> str:
    return get_settings().secret_key


def phone_family(language: str = "es") -> int:
    """A family from the roster, known by its phone number."""
    with session_scope() as session:
        family = Family(verified=True, preferred_language=language, display_name="Garcia")
        session.add(family)
        session.flush()
        add_contact_point(session=session, family=family, channel="sms", address=PHONE, key=key())
        return int(family.id)


def new_code(family_id: int, ttl: timedelta | None = None) -> str:
    with session_scope() as session:
        if ttl is None:
            return create_link_code(session=session, family_id=family_id, key=key())
        return create_link_code(session=session, family_id=family_id, key=key(), ttl=ttl)


def redeem(code: str, chat: str = str(CHAT)) -> int | None:
    with session_scope() as session:
        family = redeem_link_code(
            session=session, code=code, channel="telegram", address=chat, key=key()
        )
        return None if family is None else int(family.id)


# --- the store --------------------------------------------------------------------------


def test_a_code_is_short_unambiguous_and_never_stored_in_clear(app_db):
    family_id = phone_family()
    code = new_code(family_id)
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    with session_scope() as session:
        (row,) = session.execute(text("SELECT * FROM link_codes")).all()
    assert code not in " ".join(str(value) for value in row)
    assert row.family_id == family_id and row.used_at is None


def test_a_code_links_a_chat_once(app_db):
    family_id = phone_family()
    code = new_code(family_id)
    assert redeem(f" {code.lower()[:5]} {code.lower()[5:]} ") == family_id  # as typed
    assert redeem(code, chat="111") is None  # single use
    with session_scope() as session:
        (contact,) = session.execute(
            select(ContactPoint).where(ContactPoint.channel == "telegram")
        ).scalars()
        assert contact.family_id == family_id


@pytest.mark.parametrize("code", ["", "ABC", "ABCDEFGHJK", "0000000000", "ABCDEFGHJKLM", "💥" * 10])
def test_unknown_and_malformed_codes_link_nothing(app_db, code):
    phone_family()
    assert redeem(code) is None
    with session_scope() as session:
        assert (
            session.execute(select(ContactPoint.id).where(ContactPoint.channel == "telegram")).all()
            == []
        )


def test_an_expired_code_links_nothing(app_db):
    code = new_code(phone_family(), ttl=timedelta(seconds=-1))
    assert redeem(code) is None


def test_a_code_for_a_family_that_does_not_exist_is_refused(app_db):
    with session_scope() as session, pytest.raises(LookupError):
        create_link_code(session=session, family_id=404, key=key())


def test_a_chat_that_talked_before_moves_to_the_family_and_its_bare_record_goes(app_db):
    family_id = phone_family(language="es")
    with session_scope() as session:
        conversation = conversation_for_contact(
            session=session, channel="telegram", address=str(CHAT), key=key()
        )
        conversation.language = "en"  # guessed from an earlier "ok"
        bare_id, cid = conversation.family_id, conversation.id
    assert redeem(new_code(family_id)) == family_id
    with session_scope() as session:
        conversation = session.get(Conversation, cid)
        assert (conversation.family_id, conversation.language) == (family_id, "es")
        assert session.get(Family, bare_id) is None
        assert {c.channel for c in session.get(Family, family_id).contact_points} == {
            "sms",
            "telegram",
        }


def test_link_codes_go_with_their_family(app_db):
    family_id = phone_family()
    new_code(family_id)
    with session_scope() as session:
        session.delete(session.get(Family, family_id))
    with session_scope() as session:
        assert session.execute(select(LinkCode)).all() == []


# --- through the webhook ---------------------------------------------------------------------


@pytest.fixture
def stack(app_db, monkeypatch):
    running = TelegramStack(monkeypatch).start()
    yield running
    running.close()


def test_a_phone_family_links_telegram_and_talks_in_its_own_language(stack):
    family_id = phone_family(language="es")
    code = new_code(family_id)
    # The family's phone is set to English: the family record still decides.
    stack.send(text_update(f"/start {code}", language_code="en"))

    assert stack.api.texts(CHAT) == [LINKED_ES, OPENING_ES]
    (message,) = stack.rasa.received
    assert message.text == "/greet"
    with session_scope() as session:
        conversation = session.get(Conversation, message.sender_id)
        assert (conversation.family_id, conversation.language) == (family_id, "es")
        texts = [m.text for m in session.execute(select(Message)).scalars()]
    assert texts[0] == START_LINKED
    assert all(code not in t for t in texts)

    stack.send(text_update("bien, gracias"))
    assert [m.text for m in stack.rasa.received] == ["/greet", "bien, gracias"]
    stack.send(message_update(STICKER, language_code="en"))  # the gates speak it too
    assert stack.api.texts(CHAT)[-1] == (
        "Perdón, solo puedo leer mensajes de texto. ¿Me lo puede escribir?"
    )
    with session_scope() as session:  # the family's record is shared, not copied
        assert session.execute(select(Family.id)).scalars().all() == [family_id]


@pytest.mark.parametrize("kind", ["expired", "used", "unknown"])
def test_a_code_that_does_not_work_gets_a_kind_word_and_the_check_in(stack, kind):
    family_id = phone_family(language="es")
    if kind == "expired":
        code = new_code(family_id, ttl=timedelta(seconds=-1))
    elif kind == "used":
        code = new_code(family_id)
        assert redeem(code, chat="42") == family_id
    else:
        code = "ZZZZZZZZZZ"
    stack.send(text_update(f"/start {code}", language_code="en"))

    assert stack.api.texts(CHAT) == [INVALID_EN, OPENING_EN]
    (message,) = stack.rasa.received
    with session_scope() as session:
        conversation = session.get(Conversation, message.sender_id)
        family = conversation.family
        assert family.id != family_id and not family.verified  # a new unverified family
        texts = [m.text for m in session.execute(select(Message)).scalars()]
    assert texts[0] == START_NOT_LINKED
    assert all(code not in t for t in texts)


def test_a_retried_start_with_a_code_is_one_link_and_one_reply(stack):
    family_id = phone_family(language="es")
    update = text_update(f"/start {new_code(family_id)}")
    stack.post(update)
    stack.send(update)
    assert stack.api.texts(CHAT) == [LINKED_ES, OPENING_ES]


# --- the command line ------------------------------------------------------------------------


def test_the_cli_prints_a_code_that_links(app_db, capsys):
    from bot.cli import main

    family_id = phone_family()
    assert main(["telegram", "link-code", "--family-id", str(family_id)]) == 0
    out, err = capsys.readouterr()
    code = out.strip()
    assert f"?start={code}" in err and "7 days" in err
    assert redeem(code) == family_id


def test_the_cli_refuses_an_unknown_family_in_one_line(app_db, capsys):
    from bot.cli import main

    assert main(["telegram", "link-code", "--family-id", "999"]) == 1
    _, err = capsys.readouterr()
    assert err.strip() == "familybot: there is no family with id 999"
