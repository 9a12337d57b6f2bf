"""The SPEC section 8 export: exact fields, types, order, and the CSV encoding."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.store import (
    EXPORT_FIELDS,
    escalate,
    export_checkins,
    get_or_create_conversation,
    start_checkin,
    update_checkin,
    write_csv,
    write_jsonl,
)
from bot.store.columns import utcnow

SPEC_FIELDS = [
    "conversation_id",
    "channel",
    "language",
    "started_at",
    "completed",
    "rating",
    "barriers",
    "barrier_text",
    "follow_up_requested",
    "helpful",
    "escalated",
    "escalation_reasons",
]


def _fill(session: Session) -> None:
    """One complete escalated check-in, one partial one, one simulated one."""
    done = start_checkin(session=session, conversation_id="alice", channel="rest", language="es")
    done.started_at = utcnow() - timedelta(hours=2)
    update_checkin(
        session=session,
        conversation_id="alice",
        rating=3,
        barriers=["housing", "transportation"],
        barrier_text="=nos mudamos; el bus",
        follow_up_requested=True,
        helpful=True,
        completed=True,
    )
    escalate(
        session=session,
        conversation_id="alice",
        reasons=["serious_barrier", "low_rating"],
        priority="high",
    )
    start_checkin(session=session, conversation_id="c_" + "a" * 32, channel="sms", language="en")
    get_or_create_conversation(session=session, conversation_id="sim1", channel="simulator")
    start_checkin(session=session, conversation_id="sim1", channel="simulator", language="en")
    session.commit()


def test_export_fields_types_and_order(db_session: Session) -> None:
    _fill(db_session)
    rows = export_checkins(session=db_session)
    assert [r["conversation_id"] for r in rows] == ["alice", "c_" + "a" * 32]  # newest last
    assert all(list(r) == SPEC_FIELDS for r in rows)
    assert list(EXPORT_FIELDS) == SPEC_FIELDS
    done, partial = rows
    assert done == {
        "conversation_id": "alice",
        "channel": "rest",
        "language": "es",
        "started_at": done["started_at"],
        "completed": True,
        "rating": 3,
        "barriers": ["housing", "transportation"],
        "barrier_text": "=nos mudamos; el bus",
        "follow_up_requested": True,
        "helpful": True,
        "escalated": True,
        "escalation_reasons": ["low_rating", "serious_barrier"],
    }
    assert partial["completed"] is False and partial["escalated"] is False
    assert partial["rating"] is None and partial["barriers"] == []
    assert partial["follow_up_requested"] is None and partial["helpful"] is None
    for row in rows:
        started = datetime.fromisoformat(row["started_at"])
        assert started.utcoffset() is not None and row["started_at"].endswith("+00:00")
    assert len(export_checkins(session=db_session, include_simulated=True)) == 3


def test_jsonl_is_one_object_per_line(db_session: Session) -> None:
    _fill(db_session)
    buffer = io.StringIO()
    assert write_jsonl(export_checkins(session=db_session), buffer) == 2
    lines = buffer.getvalue().splitlines()
    assert len(lines) == 2
    parsed = [json.loads(line) for line in lines]
    assert parsed[0]["barriers"] == ["housing", "transportation"]
    assert parsed[0]["completed"] is True and parsed[1]["rating"] is None


def test_csv_has_the_same_fields_in_the_documented_encoding(db_session: Session) -> None:
    _fill(db_session)
    buffer = io.StringIO(newline="")
    assert write_csv(export_checkins(session=db_session), buffer) == 2
    table = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert table[0] == SPEC_FIELDS
    assert len(table) == 3 and all(len(row) == len(SPEC_FIELDS) for row in table)
    done = dict(zip(table[0], table[1], strict=True))
    partial = dict(zip(table[0], table[2], strict=True))
    assert done["barriers"] == "housing;transportation"
    assert done["escalation_reasons"] == "low_rating;serious_barrier"
    assert (done["completed"], done["escalated"], done["rating"]) == ("true", "true", "3")
    assert done["barrier_text"] == "'=nos mudamos; el bus"  # no formula runs in a spreadsheet
    assert (partial["rating"], partial["helpful"], partial["barriers"]) == ("", "", "")
    assert partial["completed"] == "false"
    assert datetime.fromisoformat(done["started_at"]).utcoffset() is not None
