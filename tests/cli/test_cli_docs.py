"""The README, .env.example, Makefile and CI script agree with the code (STYLE habit 11)."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from bot.settings import Settings

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()
SETTINGS = [f for f in fields(Settings)]


def readme_settings_rows() -> dict[str, str]:
    """`FAMILYBOT_X` -> its default cell, from the README's settings table."""
    rows = {}
    for line in README.splitlines():
        match = re.match(r"\| `(FAMILYBOT_\w+)` \| (.*?) \|", line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


@pytest.mark.parametrize("field", SETTINGS, ids=lambda f: f.name)
def test_every_setting_is_documented_with_its_default(field) -> None:
    name = f"FAMILYBOT_{field.name.upper()}"
    rows = readme_settings_rows()
    assert name in rows, f"{name} is missing from the README's settings table"
    default = str(field.default)
    if field.name == "secret_key":
        assert "development-only" in rows[name]
    elif default:
        assert rows[name] == f"`{default}`"
    else:
        assert rows[name] == "empty"


def test_env_example_lists_exactly_the_settings() -> None:
    from dotenv import dotenv_values

    listed = set(dotenv_values(REPO / ".env.example"))
    assert listed == {f"FAMILYBOT_{f.name.upper()}" for f in SETTINGS}


def test_env_example_secret_is_a_refused_placeholder() -> None:
    from bot.settings import SettingsError, load_settings

    settings = load_settings(environ={"FAMILYBOT_ENV": "production"}, dotenv=REPO / ".env.example")
    with pytest.raises(SettingsError):
        settings.check()


def test_readme_make_targets_exist() -> None:
    makefile = (REPO / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z-]+):", makefile, flags=re.M))
    mentioned = set(re.findall(r"`make ([a-z-]+)", README))
    assert {"up", "test"} <= mentioned
    assert mentioned <= targets


def test_ci_runs_the_readme_test_command() -> None:
    script = (REPO / ".ci" / "run").read_text()
    assert "set -euo pipefail" in script
    assert [
        line for line in script.splitlines() if line and not line.startswith(("#", "set ", "cd "))
    ] == ["make test"]


def test_file_map_matches_the_tree() -> None:
    block = README.split("## Files", 1)[1].split("```")[1]
    parent = ""
    for line in block.splitlines():
        if not line.strip() or line.startswith(" " * 10):
            continue  # blank or a continuation of the previous description
        name = line.split()[0].rstrip(":")
        path = (parent + name) if line.startswith("  ") else name
        if not line.startswith("  "):
            parent = name if name.endswith("/") else ""
        assert (REPO / path).exists(), f"the README's file map names {path}, which is missing"
