"""Every response exists in every enabled language, carries a language condition, and fits SMS."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.core.language import ENABLED_LANGUAGES
from bot.core.sms import count_segments, to_gsm7

REPO = Path(__file__).resolve().parents[1]
DOMAIN = yaml.safe_load((REPO / "domain.yml").read_text(encoding="utf-8"))
RESPONSES: dict[str, list[dict]] = DOMAIN["responses"]

# Realistic lengths for what gets filled in at run time.
PLACEHOLDERS = {
    "school_name": "Lincoln Elementary School",
    "child_name": "Alejandrina",
    "school_phone": "(555) 010-0100",
    "resources": "",  # the action fits the resource list into the budget itself
}
# Every SMS must fit in 2 segments; GSM-7 languages should fit in 1 (SPEC section 6).
ONE_SEGMENT_LANGUAGES = {"en", "ht"}


def _language(variation: dict) -> str | None:
    for condition in variation.get("condition") or []:
        if condition.get("type") == "slot" and condition.get("name") == "language":
            return condition.get("value")
    return None


def _filled(text: str) -> str:
    return re.sub(r"{(\w+)}", lambda m: PLACEHOLDERS[m.group(1)], text)


def test_the_domain_has_responses():
    assert len(RESPONSES) >= 30


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_every_variation_has_a_language_condition(name):
    for variation in RESPONSES[name]:
        assert _language(variation) in ENABLED_LANGUAGES, (name, variation)


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_every_response_exists_once_in_every_language(name):
    languages = [_language(v) for v in RESPONSES[name]]
    assert sorted(languages) == sorted(ENABLED_LANGUAGES), name


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_every_response_fits_the_sms_budget(name):
    for variation in RESPONSES[name]:
        language = _language(variation)
        text = to_gsm7(_filled(variation["text"]))
        budget = 1 if language in ONE_SEGMENT_LANGUAGES else 2
        assert count_segments(text) <= budget, (name, language, len(text), text)


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_placeholders_are_only_the_known_ones(name):
    for variation in RESPONSES[name]:
        assert set(re.findall(r"{(\w+)}", variation["text"])) <= set(PLACEHOLDERS), name


def test_every_response_is_used_by_a_rule_or_by_code():
    rules = "".join(p.read_text() for p in (REPO / "data").rglob("*.yml"))
    code = "".join(
        p.read_text() for p in [*(REPO / "actions").rglob("*.py"), *(REPO / "bot").rglob("*.py")]
    )
    unused = [n for n in RESPONSES if f"action: {n}" not in rules and f'"{n}"' not in code]
    assert unused == []
