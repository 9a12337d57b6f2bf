"""Helpers for testing the `familybot` command as a user runs it: a real process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

FAMILYBOT = Path(sys.executable).with_name("familybot")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _make_project(root: Path) -> Path:
    """A minimal Rasa project folder: what `familybot` needs to find to run there."""
    (root / "data" / "nlu").mkdir(parents=True)
    (root / "config.yml").write_text("recipe: default.v1\nlanguage: en\n")
    (root / "domain.yml").write_text('version: "3.1"\nintents:\n  - greet\n')
    (root / "data" / "nlu" / "greet.yml").write_text(
        'version: "3.1"\nnlu:\n  - intent: greet\n    examples: |\n      - hi\n      - hello\n'
    )
    return root


@pytest.fixture
def make_project():
    return _make_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return _make_project(tmp_path / "project")


@pytest.fixture
def free_tcp_port() -> int:
    return free_port()


@pytest.fixture
def run_familybot(tmp_path: Path):
    """Run `familybot ARGS` in a clean environment (no FAMILYBOT_* from the caller)."""

    def run(
        *args: str,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        stdin: str = "",
        timeout: float = 120,
    ) -> subprocess.CompletedProcess[str]:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("FAMILYBOT_")}
        clean["FAMILYBOT_DATABASE_URL"] = f"sqlite:///{tmp_path / 'familybot.db'}"
        clean.update(env or {})
        return subprocess.run(
            [str(FAMILYBOT), *args],
            cwd=cwd or tmp_path,
            env=clean,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run
