"""Twilio's side, faked on 127.0.0.1: its Messages REST API, and its signed webhook calls.

`FakeTwilioApi` records every request and answers as scripted (429, 500, Twilio error
JSON, slow answers); otherwise it accepts the message like Twilio does (201, a new `SM`
sid, status `queued`). `signed_form` builds a webhook call the way Twilio signs it.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest
from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "5f3c0d1e9a8b7c6d5e4f3a2b1c0d9e8f"
FROM_NUMBER = "+15555550100"
PUBLIC_URL = "https://familybot.school.test"
WEBHOOK_PATH = "/webhooks/sms/webhook"
STATUS_PATH = "/webhooks/sms/status"


@dataclass(frozen=True)
class Answer:
    """One scripted answer of the fake API."""

    status: int
    body: dict[str, Any] = field(default_factory=dict)
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


def error(status: int, code: int, message: str = "error") -> Answer:
    """An error answer shaped like Twilio's (code, message, more_info, status)."""
    return Answer(
        status,
        {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        },
    )


@dataclass(frozen=True)
class Recorded:
    """A request the fake API received."""

    method: str
    path: str
    auth: tuple[str, str] | None
    form: dict[str, str]


class FakeTwilioApi:
    """A threaded HTTP server that plays Twilio's Messages API."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._script: deque[Answer] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeTwilioApi:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def script(self, *answers: Answer) -> None:
        """Answer the next requests with these, in order; then accept as Twilio does."""
        with self._lock:
            self._script.extend(answers)

    @property
    def sent(self) -> list[dict[str, str]]:
        """The forms of every message POSTed, in order."""
        with self._lock:
            return [r.form for r in self.requests if r.path.endswith("/Messages.json")]

    def _next(self, form: dict[str, str]) -> Answer:
        with self._lock:
            if self._script:
                return self._script.popleft()
        sid = "SM" + uuid.uuid4().hex
        return Answer(201, {"sid": sid, "status": "queued", "to": form.get("To"), "body": ""})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length).decode("utf-8")
                form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
                auth = None
                header = self.headers.get("Authorization", "")
                if header.startswith("Basic "):
                    user, _, password = base64.b64decode(header[6:]).decode().partition(":")
                    auth = (user, password)
                with api._lock:
                    api.requests.append(Recorded("POST", self.path, auth, form))
                answer = api._next(form)
                if answer.delay:
                    time.sleep(answer.delay)
                payload = json.dumps(answer.body).encode()
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:  # the client gave up (a timeout test)
                    pass

        return Handler


def sign(url: str, params: dict[str, str], token: str = AUTH_TOKEN) -> str:
    """X-Twilio-Signature for a POST of these parameters to this URL, as Twilio computes it."""
    return RequestValidator(token).compute_signature(url, params)


def inbound_params(
    sender: str, body: str, sid: str | None = None, num_media: int = 0
) -> dict[str, str]:
    """An inbound SMS webhook as Twilio posts it (blank fields included)."""
    params = {
        "ToCountry": "US",
        "ToState": "",
        "SmsMessageSid": sid or "SM" + uuid.uuid4().hex,
        "NumMedia": str(num_media),
        "ToCity": "",
        "FromZip": "",
        "SmsSid": "",
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": "US",
        "To": FROM_NUMBER,
        "ToZip": "",
        "NumSegments": "1",
        "MessageSid": "",
        "AccountSid": ACCOUNT_SID,
        "From": sender,
        "ApiVersion": "2010-04-01",
    }
    params["MessageSid"] = params["SmsSid"] = params["SmsMessageSid"]
    for index in range(num_media):
        params[f"MediaUrl{index}"] = f"https://api.twilio.com/media/ME{index}"
        params[f"MediaContentType{index}"] = "image/jpeg"
    return params


def status_params(sid: str, status: str, error_code: str | None = None) -> dict[str, str]:
    """A delivery status callback as Twilio posts it."""
    params = {
        "MessageSid": sid,
        "SmsSid": sid,
        "MessageStatus": status,
        "SmsStatus": status,
        "AccountSid": ACCOUNT_SID,
        "From": FROM_NUMBER,
        "ApiVersion": "2010-04-01",
    }
    if error_code:
        params["ErrorCode"] = error_code
    return params


def signed_form(
    params: dict[str, str], path: str = WEBHOOK_PATH, *, url: str | None = None, **kw: Any
) -> tuple[bytes, dict[str, str]]:
    """Body and headers of a webhook call signed for the public URL (or `url`)."""
    signature = sign(url or PUBLIC_URL + path, params, **kw)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
        "X-Twilio-Signature": signature,
        "I-Twilio-Idempotency-Token": uuid.uuid4().hex,
    }
    return urlencode(params).encode(), headers


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilioApi]:
    """The fake Messages API, started for one test."""
    api = FakeTwilioApi().start()
    try:
        yield api
    finally:
        api.stop()
