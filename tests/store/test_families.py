"""Opt-out/opt-in, contact resolution without clear-text numbers, and personalisation."""

from __future__ import annotations

import logging
import threading

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bot.store import (
    ContactPoint,
    Conversation,
    ConversationNotFound,
    Family,
    School,
    Student,
    conversation_context,
    conversation_for_contact,
    delivery_address,
    get_or_create_conversation,
    is_opted_out,
    is_paused,
    opt_in,
    opt_out,
    pause_conversation,
    record_inbound,
    resume_conversation,
    session_scope,
    set_conversation_language,
)

KEY = "test-key-0123456789abcdef0123456789abcdef"
PHONE = "+13125550142"


def test_rest_opt_out_is_remembered_on_a_new_family(db_session: Session) -> None:
    get_or_create_conversation(session=db_session, conversation_id="r", channel="rest")
    assert is_opted_out(session=db_session, conversation_id="r") is False
    opt_out(session=db_session, conversation_id="r")
    db_session.commit()
    assert is_opted_out(session=db_session, conversation_id="r") is True
    family = db_session.execute(select(Family)).scalar_one()
    assert family.verified is False and family.opted_out_at is not None
    opt_in(session=db_session, conversation_id="r")
    db_session.commit()
    assert is_opted_out(session=db_session, conversation_id="r") is False
    assert db_session.execute(select(func.count()).select_from(Family)).scalar_one() == 1


def test_unknown_conversation(db_session: Session) -> None:
    assert is_opted_out(session=db_session, conversation_id="nobody") is False
    assert is_paused(session=db_session, conversation_id="nobody") is False
    with pytest.raises(ConversationNotFound):
        opt_out(session=db_session, conversation_id="nobody")


def test_sms_contact_is_found_by_blind_index_only(db_session: Session) -> None:
    conversation = conversation_for_contact(
        session=db_session, channel="sms", address=PHONE, key=KEY
    )
    again = conversation_for_contact(
        session=db_session, channel="sms", address=f" {PHONE} ", key=KEY
    )
    db_session.commit()
    assert again.id == conversation.id and conversation.id.startswith("c_")
    assert "555" not in conversation.id
    assert conversation.family is not None and conversation.family.verified is False
    assert db_session.execute(select(func.count()).select_from(ContactPoint)).scalar_one() == 1
    # The number is nowhere in the database in clear text.
    for table in ("contact_points", "conversations", "families", "messages"):
        dump = db_session.execute(text(f"SELECT * FROM {table}")).all()  # noqa: S608
        assert "5550142" not in repr(dump)
    assert delivery_address(session=db_session, conversation_id=conversation.id, key=KEY) == PHONE
    assert "5550142" not in repr(conversation.contact_point)


def test_a_family_stop_opts_out_every_channel(db_session: Session) -> None:
    sms = conversation_for_contact(session=db_session, channel="sms", address=PHONE, key=KEY)
    telegram = conversation_for_contact(
        session=db_session, channel="telegram", address="424242", key=KEY
    )
    telegram.family = sms.family  # the family linked its Telegram chat
    db_session.flush()
    opt_out(session=db_session, conversation_id=sms.id, everywhere=True)
    db_session.commit()
    assert is_opted_out(session=db_session, conversation_id=sms.id) is True
    assert is_opted_out(session=db_session, conversation_id=telegram.id) is True
    opt_in(session=db_session, conversation_id=telegram.id)  # START on either channel
    db_session.commit()
    assert is_opted_out(session=db_session, conversation_id=telegram.id) is False
    assert is_opted_out(session=db_session, conversation_id=sms.id) is False


def test_a_provider_opt_out_is_per_number(db_session: Session) -> None:
    mum = conversation_for_contact(session=db_session, channel="sms", address=PHONE, key=KEY)
    dad = conversation_for_contact(
        session=db_session, channel="sms", address="+13125550143", key=KEY
    )
    dad.family = mum.family  # two parents, one household
    db_session.flush()
    opt_out(session=db_session, conversation_id=mum.id)
    db_session.commit()
    assert is_opted_out(session=db_session, conversation_id=mum.id) is True
    assert is_opted_out(session=db_session, conversation_id=dad.id) is False
    assert mum.family.opted_out_at is None
    opt_in(session=db_session, conversation_id=mum.id)
    assert is_opted_out(session=db_session, conversation_id=mum.id) is False


def test_pause_and_resume(db_session: Session) -> None:
    get_or_create_conversation(session=db_session, conversation_id="r", channel="rest")
    pause_conversation(session=db_session, conversation_id="r", reason="crisis")
    db_session.commit()
    assert is_paused(session=db_session, conversation_id="r") is True
    context = conversation_context(session=db_session, conversation_id="r")
    assert context.paused is True
    resume_conversation(session=db_session, conversation_id="r")
    db_session.commit()
    assert is_paused(session=db_session, conversation_id="r") is False


def _family(session: Session, names: list[str], language: str | None) -> Family:
    school = School(name="Lincoln Elementary", state="IL", timezone="America/Chicago")
    family = Family(school=school, preferred_language=language)
    family.students = [
        Student(school=school, sis_id=f"S{i}", first_name=name) for i, name in enumerate(names)
    ]
    session.add(family)
    session.flush()
    return family


def test_context_personalises_the_opening(db_session: Session) -> None:
    family = _family(db_session, ["Jenna"], "es")
    conversation = get_or_create_conversation(
        session=db_session, conversation_id="r", channel="rest"
    )
    conversation.family = family
    db_session.commit()
    context = conversation_context(session=db_session, conversation_id="r")
    assert (context.language, context.school_name, context.child_first_name) == (
        "es",
        "Lincoln Elementary",
        "Jenna",
    )
    assert (context.paused, context.opted_out) == (False, False)
    set_conversation_language(session=db_session, conversation_id="r", language="ht")
    db_session.commit()
    assert family.preferred_language == "ht"
    assert conversation_context(session=db_session, conversation_id="r").language == "ht"
    opt_out(session=db_session, conversation_id="r")
    assert conversation_context(session=db_session, conversation_id="r").opted_out is True


def test_context_names_no_child_when_there_are_two(db_session: Session) -> None:
    family = _family(db_session, ["Mateo", "Lucía"], None)
    conversation = get_or_create_conversation(
        session=db_session, conversation_id="r", channel="rest", language="en"
    )
    conversation.family = family
    db_session.commit()
    context = conversation_context(session=db_session, conversation_id="r")
    assert context.child_first_name is None and context.school_name == "Lincoln Elementary"
    assert context.language == "en"


def test_context_of_a_stranger_is_neutral(db_session: Session) -> None:
    get_or_create_conversation(session=db_session, conversation_id="r", channel="rest")
    context = conversation_context(session=db_session, conversation_id="r")
    assert (context.language, context.school_name, context.child_first_name) == (None,) * 3
    unknown = conversation_context(session=db_session, conversation_id="never-seen")
    assert unknown == context


def test_bad_codes_are_refused(db_session: Session) -> None:
    with pytest.raises(ValueError):
        get_or_create_conversation(session=db_session, conversation_id="x", channel="whatsapp")
    get_or_create_conversation(session=db_session, conversation_id="r", channel="rest")
    with pytest.raises(ValueError):
        set_conversation_language(session=db_session, conversation_id="r", language="fr")
    with pytest.raises(ValueError):
        conversation_for_contact(session=db_session, channel="rest", address="x", key=KEY)


def test_two_first_messages_from_a_new_number_at_once(db_url: str) -> None:
    barrier = threading.Barrier(2)
    ids: list[str] = []
    errors: list[BaseException] = []

    def arrive() -> None:
        try:
            barrier.wait(timeout=10)
            with session_scope(db_url) as session:
                ids.append(
                    conversation_for_contact(
                        session=session, channel="telegram", address="987654321", key=KEY
                    ).id
                )
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=arrive) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == [] and len(ids) == 2 and ids[0] == ids[1]
    with session_scope(db_url) as session:
        for model in (ContactPoint, Family, Conversation):
            assert session.execute(select(func.count()).select_from(model)).scalar_one() == 1


def test_logs_carry_no_contact_details(
    db_session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.store")
    conversation = conversation_for_contact(
        session=db_session, channel="sms", address=PHONE, key=KEY
    )
    for _ in range(2):
        record_inbound(
            session=db_session,
            conversation_id=conversation.id,
            channel="sms",
            text="hi",
            provider_id="SM1",
        )
    assert "duplicate inbound ignored" in caplog.text
    assert "5550142" not in caplog.text
