"""Community resources matched to barriers, in the family's language."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bot.store import CommunityResource, ResourceView, School, resources_for


@pytest.fixture
def directory(db_session: Session) -> dict[str, int]:
    lincoln = School(name="Lincoln", state="IL")
    other = School(name="Other", state="IL")
    db_session.add_all([lincoln, other])
    db_session.flush()
    rows = [
        (
            "Bus Buddies",
            ["transportation"],
            {"en": "Bus Buddies: rides", "es": "Bus Buddies: viajes"},
            None,
        ),
        ("Help Line", ["housing", "basic_needs"], {"en": "Help Line: rent and food"}, None),
        ("Pantry", ["basic_needs"], {"en": "Pantry: food", "es": "Despensa: comida"}, None),
        ("Lincoln Closet", ["basic_needs"], {"en": "Closet: clothes"}, lincoln.id),
        ("Other Closet", ["basic_needs"], {"en": "Other: clothes"}, other.id),
        ("Closed Shelter", ["housing", "basic_needs"], {"en": "Closed"}, None),
    ]
    for name, codes, texts, school_id in rows:
        db_session.add(
            CommunityResource(
                name=name,
                barrier_codes=codes,
                texts=texts,
                school_id=school_id,
                phone="312-555-0100",
                active=name != "Closed Shelter",
            )
        )
    db_session.commit()
    return {"lincoln": lincoln.id, "other": other.id}


def test_best_match_first_then_name(db_session: Session, directory: dict[str, int]) -> None:
    found = resources_for(
        session=db_session, barriers=["housing", "basic_needs"], language="en", limit=5
    )
    assert [r.name for r in found] == ["Help Line", "Pantry"]  # inactive one left out
    assert found[0] == ResourceView(
        name="Help Line",
        text="Help Line: rent and food",
        phone="312-555-0100",
        url=None,
        barrier_codes=("housing", "basic_needs"),
    )


def test_school_scope(db_session: Session, directory: dict[str, int]) -> None:
    found = resources_for(
        session=db_session,
        barriers=["basic_needs"],
        language="en",
        school_id=directory["lincoln"],
        limit=10,
    )
    assert [r.name for r in found] == ["Help Line", "Lincoln Closet", "Pantry"]


def test_language_with_english_fallback(db_session: Session, directory: dict[str, int]) -> None:
    found = resources_for(session=db_session, barriers=["basic_needs"], language="es", limit=2)
    assert [(r.name, r.text) for r in found] == [
        ("Help Line", "Help Line: rent and food"),
        ("Pantry", "Despensa: comida"),
    ]
    assert (
        resources_for(session=db_session, barriers=["transportation"], language="es")[0].text
        == "Bus Buddies: viajes"
    )


def test_limit_and_no_match(db_session: Session, directory: dict[str, int]) -> None:
    assert len(resources_for(session=db_session, barriers=["basic_needs"], language="en")) == 2
    assert resources_for(session=db_session, barriers=["sleep_routine"], language="en") == []
    assert resources_for(session=db_session, barriers=[], language="en") == []
