"""The process supervisor behind `familybot up`, with small stand-in servers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.runtime import UserError
from bot.supervisor import Child, Supervisor, check_port_free, http_url, is_ready

SERVER = """
import http.server, os, signal, subprocess, sys
if os.environ.get("IGNORE_TERM"):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
# a grandchild in the same process group, as real servers have (workers, helpers)
helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
open(os.environ["PIDS"], "w").write(f"{os.getpid()} {helper.pid}")
http.server.test(HandlerClass=http.server.SimpleHTTPRequestHandler, port=int(sys.argv[1]),
                 bind="127.0.0.1")
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purposes
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_child(tmp_path: Path, name: str, **env: str) -> Child:
    p = port()
    return Child(
        name=name,
        argv=[sys.executable, "-c", SERVER, str(p)],
        health_url=http_url("127.0.0.1", p, "/"),
        log_path=tmp_path / "logs" / f"{name}.log",
        env={**os.environ, "PIDS": str(tmp_path / f"{name}.pids"), **env},
    )


def pids(tmp_path: Path, name: str) -> list[int]:
    deadline = time.monotonic() + 10
    path = tmp_path / f"{name}.pids"
    while not (path.exists() and path.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [int(p) for p in path.read_text().split()]


def test_children_start_answer_and_stop_with_their_whole_group(tmp_path: Path) -> None:
    children = [server_child(tmp_path, "one"), server_child(tmp_path, "two")]
    ready: list[str] = []
    stack = Supervisor(children, cwd=tmp_path)
    try:
        stack.start()
        stack.wait_ready(30, on_ready=lambda c: ready.append(c.name))
        assert sorted(ready) == ["one", "two"]
        assert all(is_ready(c.health_url) for c in children)
        everyone = pids(tmp_path, "one") + pids(tmp_path, "two")
        assert all(alive(pid) for pid in everyone)
    finally:
        stack.stop()
    assert [c.exit_code() for c in children] == [-signal.SIGTERM] * 2
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in everyone) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in everyone)
    assert (tmp_path / "logs" / "one.log").exists()


def test_a_child_that_ignores_sigterm_is_killed(tmp_path: Path) -> None:
    child = server_child(tmp_path, "stubborn", IGNORE_TERM="1")
    stack = Supervisor([child], cwd=tmp_path, stop_seconds=0.5)
    stack.start()
    stack.wait_ready(30)
    started = time.monotonic()
    stack.stop()
    assert child.exit_code() == -signal.SIGKILL
    assert time.monotonic() - started < 5


def test_a_child_dying_at_start_is_reported_with_its_log(tmp_path: Path) -> None:
    dying = Child(
        name="Rasa server",
        argv=[sys.executable, "-c", "import sys; print('no model'); sys.exit(3)"],
        health_url=http_url("127.0.0.1", port(), "/"),
        log_path=tmp_path / "rasa.log",
        env=dict(os.environ),
    )
    healthy = server_child(tmp_path, "actions")
    stack = Supervisor([healthy, dying], cwd=tmp_path)
    try:
        stack.start()
        with pytest.raises(UserError) as error:
            stack.wait_ready(30)
    finally:
        stack.stop()
    assert str(error.value) == (
        f"the Rasa server stopped unexpectedly (exit code 3); see {tmp_path / 'rasa.log'}"
    )
    assert (tmp_path / "rasa.log").read_text() == "no model\n"
    assert healthy.exit_code() is not None  # the other one was stopped too


def test_a_child_dying_later_ends_the_watch(tmp_path: Path) -> None:
    child = server_child(tmp_path, "actions")
    stack = Supervisor([child], cwd=tmp_path)
    try:
        stack.start()
        stack.wait_ready(30)
        os.kill(pids(tmp_path, "actions")[0], signal.SIGKILL)
        with pytest.raises(
            UserError, match=r"the actions stopped unexpectedly \(killed by SIGKILL\)"
        ):
            stack.watch()
    finally:
        stack.stop()


def test_a_stop_signal_ends_the_watch(tmp_path: Path) -> None:
    stack = Supervisor([server_child(tmp_path, "actions")], cwd=tmp_path)
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    stack.install_signal_handlers()
    try:
        stack.start()
        stack.wait_ready(30)
        os.kill(os.getpid(), signal.SIGTERM)
        stack.watch()  # returns instead of blocking forever
        assert stack.stop_signal == signal.SIGTERM
    finally:
        stack.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def test_start_timeout_names_the_slow_child(tmp_path: Path) -> None:
    slow = Child(
        name="Rasa server",
        argv=[sys.executable, "-c", "import time; time.sleep(60)"],
        health_url=http_url("127.0.0.1", port(), "/"),
        log_path=tmp_path / "rasa.log",
        env=dict(os.environ),
    )
    stack = Supervisor([slow], cwd=tmp_path)
    try:
        stack.start()
        with pytest.raises(UserError, match="the Rasa server did not start within 1 s"):
            stack.wait_ready(1)
    finally:
        stack.stop()


def test_check_port_free() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        with pytest.raises(UserError, match=f"port {busy} is already in use"):
            check_port_free("127.0.0.1", busy)
    check_port_free("127.0.0.1", port())  # a free port passes


def test_http_url_for_wildcard_hosts() -> None:
    assert http_url("0.0.0.0", 5005, "/x") == "http://127.0.0.1:5005/x"  # noqa: S104
    assert http_url("::", 5005) == "http://[::1]:5005/"
    assert http_url("localhost", 5055, "/health") == "http://localhost:5055/health"


PARENT = """
import os, sys, time
from pathlib import Path
from bot.supervisor import Child, Supervisor
tmp = Path(sys.argv[1])
child = Child("server", [sys.executable, "-c", "import time; time.sleep(600)"],
              "http://127.0.0.1:9/", tmp / "server.log", dict(os.environ))
Supervisor([child], cwd=tmp).start()
print(child.proc.pid, flush=True)
time.sleep(600)
"""


def test_children_die_when_familybot_up_is_killed(tmp_path: Path) -> None:
    """SIGKILL gives `familybot up` no chance to clean up: the kernel stops the children."""
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    try:
        child_pid = int(parent.stdout.readline())
        assert alive(child_pid)
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 5
    while alive(child_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(child_pid)
