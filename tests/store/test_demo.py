"""The demo seed: idempotent, fictional, and a directory that covers the common barriers."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store import (
    CommunityResource,
    ContactPoint,
    School,
    conversation_context,
    delivery_address,
    resources_for,
    seed_demo,
)
from bot.store.crypto import decrypt
from bot.store.models import metadata
from bot.store.vocab import BARRIER_CODES

KEY = "test-key-0123456789abcdef0123456789abcdef"
REQUIRED = {
    "transportation",
    "health",
    "mental_health",
    "bullying_safety",
    "caregiving",
    "housing",
    "basic_needs",
    "work_schedule",
}


def _counts(session: Session) -> dict[str, int]:
    """Rows per table, to prove a second seed adds nothing anywhere."""
    return {
        table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in metadata.sorted_tables
    }


def test_seed_twice_changes_nothing(db_session: Session) -> None:
    created = seed_demo(session=db_session, key=KEY)
    db_session.commit()
    assert created["schools"] == 1 and created["families"] >= 2 and created["resources"] >= 8
    before = _counts(db_session)
    again = seed_demo(session=db_session, key=KEY)
    db_session.commit()
    assert set(again.values()) == {0}
    assert _counts(db_session) == before
    assert before["family_students"] >= before["families"] >= 2


def test_seed_data_is_fictional_and_complete(db_session: Session) -> None:
    seed_demo(session=db_session, key=KEY)
    db_session.commit()
    school = db_session.execute(select(School)).scalar_one()
    assert (school.name, school.timezone, school.state) == (
        "Lincoln Elementary",
        "America/Chicago",
        "IL",
    )
    resources = db_session.execute(select(CommunityResource)).scalars().all()
    covered = {code for r in resources for code in r.barrier_codes}
    assert REQUIRED <= covered and covered <= set(BARRIER_CODES)
    for resource in resources:
        assert set(resource.texts) >= {"en", "es"}
        assert re.fullmatch(r"312-555-01\d\d", resource.phone)
        for line in resource.texts.values():
            assert "\n" not in line and len(line) <= 100
    contacts = db_session.execute(select(ContactPoint)).scalars().all()
    assert contacts
    for contact in contacts:
        assert re.fullmatch(r"\+131255501\d\d", decrypt(contact.address_ciphertext, key=KEY))
    phones = {
        delivery_address(session=db_session, conversation_id=cid, key=KEY)
        for cid in ("demo-en", "demo-es")
    }
    assert phones == {None}  # demo REST conversations have no phone to text
    spanish = resources_for(session=db_session, barriers=["transportation"], language="es")
    assert spanish and "escuela" in spanish[0].text


def test_seed_personalises_the_demo_conversations(db_session: Session) -> None:
    seed_demo(session=db_session, key=KEY)
    db_session.commit()
    english = conversation_context(session=db_session, conversation_id="demo-en")
    spanish = conversation_context(session=db_session, conversation_id="demo-es")
    assert (english.language, english.school_name, english.child_first_name) == (
        "en",
        "Lincoln Elementary",
        "Jenna",
    )
    assert (spanish.language, spanish.child_first_name) == ("es", "Sofía")
    assert english.school_phone == "312-555-0199"  # HELP answers with the school's number
