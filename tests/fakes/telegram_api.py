"""A loopback Telegram Bot API on 127.0.0.1: records every call and answers as scripted.

Point FAMILYBOT_TELEGRAM_API_URL at `base_url` (it ends in `/bot`, like the real one, and
the token is appended). `sendMessage` answers OK with a new message id unless answers
were scripted with `script(...)`: `too_many(retry_after)`, `server_error()`,
`blocked()`, `chat_not_found()`, or any `Answer`, optionally after a delay.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Answer:
    """One scripted HTTP answer: status, JSON body, and how long to wait before it."""

    status: int
    body: dict[str, Any] | None = None  # None: a success carrying the sent message
    delay: float = 0.0


def too_many(retry_after: int) -> Answer:
    return Answer(
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": f"Too Many Requests: retry after {retry_after}",
            "parameters": {"retry_after": retry_after},
        },
    )


def server_error(status: int = 500) -> Answer:
    return Answer(
        status, {"ok": False, "error_code": status, "description": "Internal Server Error"}
    )


def blocked() -> Answer:
    return Answer(
        403,
        {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
    )


def chat_not_found() -> Answer:
    return Answer(
        400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
    )


def slow(seconds: float) -> Answer:
    return Answer(200, None, delay=seconds)


@dataclass(frozen=True)
class ApiCall:
    """One request the fake received."""

    method: str
    token: str
    payload: dict[str, Any]
    status: int


@dataclass
class FakeTelegramApi:
    """The fake server; use as a context manager or call start() and stop()."""

    token: str = "123456789:AAH-fake-token_for-tests"
    username: str = "FamilyCheckInBot"
    calls: list[ApiCall] = field(default_factory=list)
    _script: list[Answer] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: Any = field(default_factory=lambda: itertools.count(1001))
    _server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/bot"

    def script(self, *answers: Answer) -> None:
        """Answer the next sendMessage calls with these, in order (then OK again)."""
        with self._lock:
            self._script.extend(answers)

    def sent(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Payloads of sendMessage calls that were accepted, optionally for one chat."""
        with self._lock:
            return [
                c.payload
                for c in self.calls
                if c.method == "sendMessage"
                and c.status == 200
                and (chat_id is None or c.payload.get("chat_id") == chat_id)
            ]

    def texts(self, chat_id: int | None = None) -> list[str]:
        return [p["text"] for p in self.sent(chat_id)]

    def start(self) -> FakeTelegramApi:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    payload = json.loads(raw or b"{}")
                except ValueError:
                    payload = {}
                status, body, delay = fake._answer(self.path, payload)
                if delay:
                    time.sleep(delay)
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (a timeout test)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeTelegramApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _answer(self, path: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any], float]:
        """Route `/bot<token>/<method>` like the real API, then apply the script."""
        prefix, _, method = path.rpartition("/")
        token = prefix.removeprefix("/bot")
        with self._lock:
            if token != self.token:
                answer = Answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            elif method == "getMe":
                result = {"id": 123456789, "is_bot": True, "username": self.username}
                answer = Answer(200, {"ok": True, "result": result})
            elif method == "sendMessage" and self._script:
                answer = self._script.pop(0)
            else:
                answer = Answer(200)
            body = answer.body
            if body is None:
                body = {
                    "ok": True,
                    "result": {
                        "message_id": next(self._ids),
                        "date": int(time.time()),
                        "chat": {"id": payload.get("chat_id"), "type": "private"},
                        "text": payload.get("text"),
                    },
                }
            self.calls.append(ApiCall(method, token, payload, answer.status))
            return answer.status, body, answer.delay
