"""The check-in export of SPEC section 8, as JSON Lines or CSV; never any contact detail.

CSV encoding: the same fields in the same order; lists are joined with `;` (codes never
contain it; an empty list is an empty cell); booleans are `true`/`false`; null is an empty
cell. A text cell that a spreadsheet would run as a formula (starting with = + - @ tab or
CR) is prefixed with `'`, because families' own words go into it.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import CheckIn

EXPORT_FIELDS = (
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
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _unique(codes: Iterable[str] | None) -> list[str]:
    """Codes without duplicates, first occurrence kept."""
    return list(dict.fromkeys(codes or []))


def export_checkins(*, session: Session, include_simulated: bool = False) -> list[dict[str, Any]]:
    """One dict per check-in, oldest first, with exactly the SPEC section 8 fields."""
    query = select(CheckIn).order_by(CheckIn.started_at, CheckIn.id)
    if not include_simulated:
        query = query.where(CheckIn.is_simulated.is_(False))
    return [
        {
            "conversation_id": c.conversation_id,
            "channel": c.channel,
            "language": c.language,
            "started_at": c.started_at.isoformat(),
            "completed": bool(c.completed),
            "rating": c.rating,
            "barriers": _unique(c.barriers),
            "barrier_text": c.barrier_text,
            "follow_up_requested": c.follow_up_requested,
            "helpful": c.helpful,
            "escalated": bool(c.escalated),
            "escalation_reasons": _unique(c.escalation_reasons),
        }
        for c in session.execute(query).scalars()
    ]


def write_jsonl(rows: Iterable[dict[str, Any]], fp: TextIO) -> int:
    """One JSON object per line (UTF-8 text kept readable); returns the number of rows."""
    count = 0
    for row in rows:
        fp.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def _cell(value: Any) -> str:
    """One CSV cell in the documented encoding."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(str(item) for item in value)
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def write_csv(rows: Iterable[dict[str, Any]], fp: TextIO) -> int:
    """A header and one line per row (open fp with newline=''); returns the number of rows."""
    writer = csv.writer(fp)
    writer.writerow(EXPORT_FIELDS)
    count = 0
    for row in rows:
        writer.writerow([_cell(row.get(field)) for field in EXPORT_FIELDS])
        count += 1
    return count
