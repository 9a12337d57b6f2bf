"""Demo data for trying FamilyBot locally: one school, a few families, a resource directory.

Every name is invented and every number is in the fictional 555-01xx range.
"""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bot.settings import get_settings
from bot.store.columns import utcnow
from bot.store.families import add_contact_point, find_contact_point
from bot.store.models import (
    CommunityResource,
    Conversation,
    Family,
    School,
    Student,
    family_students,
)

SCHOOL = {
    "name": "Lincoln Elementary",
    "timezone": "America/Chicago",
    "state": "IL",
    "help_phone": "312-555-0199",
}
# (sis_id, first_name, grade)
STUDENTS = [
    ("DEMO-0001", "Jenna", "3"),
    ("DEMO-0002", "Mateo", "1"),
    ("DEMO-0003", "Lucía", "5"),
    ("DEMO-0004", "Sofía", "K"),
    ("DEMO-0005", "Ethan", "4"),
]
# (display_name, language, sms number, [(sis_id, relationship)], demo rest sender or None)
FAMILIES = [
    ("Jordan Demo", "en", "+13125550111", [("DEMO-0001", "parent")], "demo-en"),
    (
        "Familia Rivera (demo)",
        "es",
        "+13125550112",
        [("DEMO-0002", "parent"), ("DEMO-0003", "parent")],
        None,
    ),
    ("Familia Gómez (demo)", "es", "+13125550113", [("DEMO-0004", "grandparent")], "demo-es"),
    ("Casey Demo", "en", "+13125550114", [("DEMO-0005", "guardian")], None),
]
# (name, barrier codes, phone, English line, Spanish line, school-specific?)
RESOURCES = [
    (
        "City Ride Line",
        ["transportation"],
        "312-555-0100",
        "City Ride Line: free rides to school for K-12 families",
        "City Ride Line: viajes gratis a la escuela para familias de K-12",
        False,
    ),
    (
        "Lincoln Family Clinic",
        ["health"],
        "312-555-0101",
        "Lincoln Family Clinic: free check-ups and sick visits for kids, no appointment needed",
        "Clínica Familiar Lincoln: consultas gratis para niños, sin cita",
        False,
    ),
    (
        "Bright Path Counseling",
        ["mental_health"],
        "312-555-0102",
        "Bright Path Counseling: free, private support when you or your child feel stressed",
        "Bright Path: apoyo gratis y confidencial cuando usted o su hijo sienten estrés",
        False,
    ),
    (
        "Safe Steps",
        ["bullying_safety"],
        "312-555-0103",
        "Safe Steps: help with bullying and a safer walk to school",
        "Safe Steps: ayuda contra el acoso y un camino más seguro a la escuela",
        False,
    ),
    (
        "Little Sprouts Childcare",
        ["caregiving"],
        "312-555-0104",
        "Little Sprouts: free daytime care for younger brothers and sisters",
        "Little Sprouts: cuidado gratis durante el día para los hermanitos",
        False,
    ),
    (
        "Home Base",
        ["housing"],
        "312-555-0105",
        "Home Base: confidential help for families who are moving or need a place to stay",
        "Home Base: ayuda confidencial si se están mudando o necesitan dónde quedarse",
        False,
    ),
    (
        "Neighbor Pantry",
        ["basic_needs"],
        "312-555-0106",
        "Neighbor Pantry: free food, clothes, shoes and laundry help, no questions asked",
        "Neighbor Pantry: comida, ropa, zapatos y lavandería gratis, sin preguntas",
        False,
    ),
    (
        "Early Bird Club",
        ["work_schedule", "caregiving", "sleep_routine"],
        "312-555-0107",
        "Early Bird Club: free breakfast and care from 6:30 am for parents who work early",
        "Early Bird Club: desayuno y cuidado gratis desde las 6:30 am si trabaja temprano",
        False,
    ),
    (
        "Community Help Line",
        ["housing", "basic_needs", "family_circumstances"],
        "312-555-0108",
        "Community Help Line: one call for help with rent, bills, food and more",
        "Línea de Ayuda: una sola llamada para ayuda con renta, cuentas, comida y más",
        False,
    ),
    (
        "Lincoln Family Liaison",
        ["school_engagement", "family_circumstances", "other"],
        "312-555-0109",
        "Lincoln Family Liaison: a friendly person at school who can help with anything",
        "Enlace familiar de Lincoln: alguien amable en la escuela que le ayuda con lo que sea",
        True,
    ),
]


def _school(session: Session, counts: dict[str, int]) -> School:
    """The demo school, created once."""
    school = session.execute(
        select(School).where(School.name == SCHOOL["name"])
    ).scalar_one_or_none()
    if school is None:
        school = School(**SCHOOL, created_at=utcnow())
        session.add(school)
        session.flush()
        counts["schools"] += 1
    return school


def _students(session: Session, school: School, counts: dict[str, int]) -> dict[str, Student]:
    """The demo students by SIS id, created once."""
    existing = {
        s.sis_id: s
        for s in session.execute(select(Student).where(Student.school_id == school.id)).scalars()
    }
    for sis_id, first_name, grade in STUDENTS:
        if sis_id not in existing:
            existing[sis_id] = Student(
                school_id=school.id,
                sis_id=sis_id,
                first_name=first_name,
                grade=grade,
                created_at=utcnow(),
            )
            session.add(existing[sis_id])
            counts["students"] += 1
    session.flush()
    return existing


def _families(
    session: Session,
    school: School,
    students: dict[str, Student],
    key: str,
    counts: dict[str, int],
) -> None:
    """The demo families with their children, phone and demo REST conversation."""
    for name, language, phone, children, sender in FAMILIES:
        family = session.execute(
            select(Family).where(Family.school_id == school.id, Family.display_name == name)
        ).scalar_one_or_none()
        if family is None:
            family = Family(
                school_id=school.id,
                display_name=name,
                preferred_language=language,
                verified=True,
                consent=True,
                created_at=utcnow(),
            )
            session.add(family)
            session.flush()
            counts["families"] += 1
        linked = set(
            session.execute(
                select(family_students.c.student_id).where(family_students.c.family_id == family.id)
            ).scalars()
        )
        for sis_id, relation in children:
            if students[sis_id].id not in linked:
                session.execute(
                    insert(family_students).values(
                        family_id=family.id, student_id=students[sis_id].id, relationship=relation
                    )
                )
        if find_contact_point(session=session, channel="sms", address=phone, key=key) is None:
            add_contact_point(session=session, family=family, channel="sms", address=phone, key=key)
            counts["contact_points"] += 1
        if sender and session.get(Conversation, sender) is None:
            session.add(
                Conversation(id=sender, channel="rest", family_id=family.id, started_at=utcnow())
            )
            counts["conversations"] += 1
    session.flush()
    session.expire_all()  # relationships loaded before the raw association inserts


def _resources(session: Session, school: School, counts: dict[str, int]) -> None:
    """The demo resource directory, one row per name."""
    existing = set(session.execute(select(CommunityResource.name)).scalars())
    for name, codes, phone, en, es, school_only in RESOURCES:
        if name in existing:
            continue
        session.add(
            CommunityResource(
                name=name,
                barrier_codes=codes,
                texts={"en": en, "es": es},
                phone=phone,
                url=None,
                school_id=school.id if school_only else None,
                active=True,
                created_at=utcnow(),
            )
        )
        counts["resources"] += 1
    session.flush()


def seed_demo(*, session: Session, key: str | None = None) -> dict[str, int]:
    """Load the demo data once; returns how many rows of each kind this run created."""
    key = key if key is not None else get_settings().secret_key
    counts = dict.fromkeys(
        ("schools", "students", "families", "contact_points", "conversations", "resources"), 0
    )
    school = _school(session, counts)
    students = _students(session, school, counts)
    _families(session, school, students, key, counts)
    _resources(session, school, counts)
    return counts
