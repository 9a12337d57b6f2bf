"""Run FamilyBot's server processes in the foreground and stop them all together."""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from bot.runtime import UserError

POLL_SECONDS = 0.25
STOP_SECONDS = 10.0


@dataclass
class Child:
    """One server process: how to start it and how to tell that it is ready."""

    name: str
    argv: list[str]
    health_url: str
    log_path: Path
    env: dict[str, str]
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def exit_code(self) -> int | None:
        return None if self.proc is None else self.proc.poll()


def local_address(host: str) -> str:
    """An address to reach a server bound to `host` from this machine."""
    return {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104


def http_url(host: str, port: int, path: str = "/") -> str:
    host = local_address(host)
    return f"http://[{host}]:{port}{path}" if ":" in host else f"http://{host}:{port}{path}"


def check_port_free(host: str, port: int) -> None:
    """Fail early, with a useful message, when a port we need is taken."""
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UserError(f"cannot resolve host {host!r}: {exc.strerror}") from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        # Like the servers themselves, allow binding over TIME_WAIT leftovers of a last run.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UserError(
                    f"port {port} is already in use — is familybot already running?"
                ) from exc
            if exc.errno == errno.EADDRNOTAVAIL:
                raise UserError(f"{host} is not an address of this machine") from exc
            raise UserError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc


def is_ready(url: str) -> bool:
    """True once the server answers its health URL with 200."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own URL
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False


class Supervisor:
    """Start children in their own process groups; stop every group on a signal or a death."""

    def __init__(self, children: list[Child], cwd: Path, stop_seconds: float = STOP_SECONDS):
        self.children = children
        self.cwd = cwd
        self.stop_seconds = stop_seconds
        self.stop_signal: int | None = None

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self.stop_signal = signum

    def install_signal_handlers(self) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self._on_signal)

    def start(self) -> None:
        for child in self.children:
            child.log_path.parent.mkdir(parents=True, exist_ok=True)
            with open(child.log_path, "wb") as log:
                child.proc = subprocess.Popen(  # noqa: S603 - our own argv
                    child.argv,
                    cwd=self.cwd,
                    env=child.env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group, so we stop all of it
                    preexec_fn=_die_with_parent,  # safe: `familybot up` starts no threads
                )

    def dead_child(self) -> Child | None:
        return next((c for c in self.children if c.exit_code() is not None), None)

    def wait_ready(
        self, timeout: float, on_ready: Callable[[Child], None] = lambda child: None
    ) -> None:
        """Wait until every child answers; raise UserError if one dies or time runs out."""
        waiting = list(self.children)
        deadline = time.monotonic() + timeout
        while waiting:
            if self.stop_signal is not None:
                return
            self.raise_if_dead()
            for child in list(waiting):
                if is_ready(child.health_url):
                    waiting.remove(child)
                    on_ready(child)
            if waiting and time.monotonic() > deadline:
                names = " and ".join(c.name for c in waiting)
                raise UserError(
                    f"the {names} did not start within {timeout:.0f} s; see {waiting[0].log_path}"
                )
            if waiting:
                time.sleep(POLL_SECONDS)

    def raise_if_dead(self) -> None:
        child = self.dead_child()
        if child is not None:
            code = child.exit_code() or 0
            how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"
            raise UserError(f"the {child.name} stopped unexpectedly ({how}); see {child.log_path}")

    def watch(self) -> None:
        """Block until a stop signal arrives (return) or a child dies (UserError)."""
        while self.stop_signal is None:
            self.raise_if_dead()
            time.sleep(POLL_SECONDS)

    def stop(self) -> None:
        """SIGTERM every process group, wait, then SIGKILL whatever is left."""
        started = [c.proc for c in self.children if c.proc is not None]
        running = [proc for proc in started if proc.poll() is None]
        for proc in running:
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_seconds
        for proc in running:
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait()
        for proc in started:
            _signal_group(proc, signal.SIGKILL)  # strays left in a group whose leader quit


def _die_with_parent() -> None:
    """In the child: get SIGTERM if `familybot up` itself is killed (Linux), never orphaned."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _signal_group(proc: subprocess.Popen[bytes], signum: int) -> None:
    try:
        os.killpg(proc.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass
