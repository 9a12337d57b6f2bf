"""Action tests run each action as the action server would, on a real migrated SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The real domain, as Rasa sends it to the action server."""
    from rasa.shared.core.domain import Domain

    return Domain.load(str(REPO / "domain.yml")).as_dict()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated with the real Alembic migrations, copied for each test."""
    from bot.store import db

    path = tmp_path_factory.mktemp("template") / "migrated.db"
    url = f"sqlite:///{path}"
    db.upgrade(url)
    db.dispose_engines(url)
    return path


@pytest.fixture
def app_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, migrated_template: Path
) -> Iterator[str]:
    """A migrated SQLite database that the actions' `session_scope()` will open."""
    import shutil

    from bot.settings import get_settings
    from bot.store import db

    path = tmp_path / "actions.db"
    shutil.copyfile(migrated_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("FAMILYBOT_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    db.dispose_engines(url)
    get_settings.cache_clear()


def user_event(text: str, intent: str, confidence: float = 0.95) -> dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "parse_data": {"text": text, "intent": {"name": intent, "confidence": confidence}},
    }


def action_event(name: str) -> dict[str, Any]:
    return {"event": "action", "name": name}


def slot_event(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


def make_tracker(
    sender: str = "family-1",
    *,
    text: str = "",
    intent: str = "share_feeling",
    confidence: float = 0.95,
    slots: dict[str, Any] | None = None,
    after_user: list[dict[str, Any]] | None = None,
    before_user: list[dict[str, Any]] | None = None,
    form_active: bool = True,
    channel: str = "rest",
) -> Tracker:
    """A tracker in the state Rasa sends: history, the family's message, what followed it."""
    all_slots = {"language": "en", "rating_attempts": 0.0, "follow_up_attempts": 0.0}
    all_slots.update(slots or {})
    user = user_event(text, intent, confidence)
    user["input_channel"] = channel
    default_after = [action_event("checkin_form")] if form_active else []
    events = [*(before_user or []), user, *(default_after if after_user is None else after_user)]
    return Tracker(
        sender,
        all_slots,
        {**user["parse_data"], "text": text},
        events,
        False,
        None,
        {"name": "checkin_form"} if form_active else {},
        events[-1].get("name") if events[-1]["event"] == "action" else "action_listen",
    )


async def run_action(action: Any, tracker: Tracker, domain: dict[str, Any]) -> tuple[list, list]:
    """Run an action; return its events (as name/value pairs) and the response names it sent."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain)
    return simplify(events), [m.get("response") for m in dispatcher.messages]


def simplify(events: list[dict[str, Any]]) -> list[tuple]:
    """Events as short tuples, so a test can assert the whole list at once."""
    out: list[tuple] = []
    for e in events:
        kind = e["event"]
        if kind == "slot":
            out.append(("slot", e["name"], e["value"]))
        elif kind == "active_loop":
            out.append(("active_loop", e.get("name")))
        elif kind == "followup":
            out.append(("followup", e.get("name")))
        elif kind == "action":
            out.append(("action", e.get("name")))
        else:
            out.append((kind,))
    return out


def messages_of(dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
    return dispatcher.messages
