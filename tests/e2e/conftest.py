"""One trained model per test run, and a running `familybot up` on a temporary SQLite file."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
START_TIMEOUT = 240


def familybot_command(*args: str) -> list[str]:
    return [str(BIN / "familybot"), *args]


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """Train once per run (the model is fingerprinted, so an unchanged project reuses it)."""
    started = time.monotonic()
    done = subprocess.run(
        familybot_command("train"), cwd=REPO, capture_output=True, text=True, timeout=1800
    )
    assert done.returncode == 0, done.stderr[-3000:]
    path = Path(done.stdout.strip().splitlines()[-1])
    path = path if path.is_absolute() else REPO / path
    assert path.is_file(), done.stdout
    print(f"model ready in {time.monotonic() - started:.0f}s: {path.name}", file=sys.stderr)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningBot:
    """A `familybot up` process and how to reach it."""

    url: str
    env: dict[str, str]
    database_url: str
    process: subprocess.Popen

    def send(self, sender: str, message: str) -> list[str]:
        """POST one message to the REST webhook; return the bot's reply texts."""
        return [m.get("text", "") for m in self.post({"sender": sender, "message": message})]

    def post(self, body: Any, raw: bytes | None = None) -> Any:
        data = raw if raw is not None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 (a loopback http URL we built)
            f"{self.url}/webhooks/rest/webhook",
            data=data,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return json.loads(response.read())

    def export(self, fmt: str = "jsonl") -> str:
        done = subprocess.run(
            familybot_command("export", "checkins", "--format", fmt),
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"familybot up exited early:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/webhooks/rest/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(1)
    raise AssertionError(
        f"familybot up did not answer in {START_TIMEOUT}s:\n{log.read_text()[-4000:]}"
    )


@pytest.fixture(scope="session")
def running_bot(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningBot]:
    """`familybot up` on a fresh SQLite file, with free ports, stopped with SIGTERM at the end."""
    work = tmp_path_factory.mktemp("familybot-up")
    rasa_port, actions_port = free_port(), free_port()
    env = {
        **os.environ,
        "FAMILYBOT_ENV": "development",
        "FAMILYBOT_DATABASE_URL": f"sqlite:///{work / 'familybot.db'}",
        "FAMILYBOT_TRACKER_STORE_URL": f"sqlite:///{work / 'tracker.db'}",
        "FAMILYBOT_RASA_PORT": str(rasa_port),
        "FAMILYBOT_ACTIONS_PORT": str(actions_port),
        "FAMILYBOT_MODEL_DIR": str(trained_model.parent),
    }
    log = work / "up.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            familybot_command("up"),
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{rasa_port}"
    try:
        _wait_until_up(url, process, log)
        yield RunningBot(url, env, env["FAMILYBOT_DATABASE_URL"], process)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
