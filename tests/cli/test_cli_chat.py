"""`familybot chat` against a fake REST webhook on 127.0.0.1."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.chat import format_reply, repl


class FakeRasa(ThreadingHTTPServer):
    """Answers like Rasa's REST channel: a JSON list of messages for the sender."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FakeRasaHandler)
        self.received: list[dict] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/webhooks/rest/webhook"


class FakeRasaHandler(BaseHTTPRequestHandler):
    server: FakeRasa

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.received.append({"path": self.path, **body})
        if body["message"] == "boom":
            self.send_error(500)
            return
        replies = [{"recipient_id": body["sender"], "text": f"You said: {body['message']}"}]
        if body["message"] == "8":
            replies.append(
                {
                    "recipient_id": body["sender"],
                    "text": "Would you like someone from the school to follow up?",
                    "buttons": [{"title": "Yes", "payload": "/affirm"}, {"title": "No"}],
                }
            )
        payload = json.dumps(replies).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def fake_rasa() -> Iterator[FakeRasa]:
    server = FakeRasa()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_chat_posts_each_line_and_prints_the_replies(run_familybot, fake_rasa) -> None:
    result = run_familybot(
        "chat", "--url", fake_rasa.url, "--sender", "demo-1", stdin="hi there\n\n   \n8\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines()[1:] == [
        "bot> You said: hi there",
        "bot> You said: 8",
        "bot> Would you like someone from the school to follow up?",
        "bot>   1. Yes",
        "bot>   2. No",
        "",
    ]
    assert fake_rasa.received == [
        {"path": "/webhooks/rest/webhook", "sender": "demo-1", "message": "hi there"},
        {"path": "/webhooks/rest/webhook", "sender": "demo-1", "message": "8"},
    ]


def test_chat_uses_one_new_sender_per_session(run_familybot, fake_rasa) -> None:
    for _ in range(2):
        assert run_familybot("chat", "--url", fake_rasa.url, stdin="a\nb\n").returncode == 0
    senders = [r["sender"] for r in fake_rasa.received]
    assert senders[0] == senders[1] != senders[2] == senders[3]
    assert senders[0].startswith("terminal-")


def test_chat_goes_on_after_a_server_error(run_familybot, fake_rasa) -> None:
    result = run_familybot("chat", "--url", fake_rasa.url, stdin="boom\nhello\n")
    assert result.returncode == 0
    assert result.stderr.strip() == "familybot: the bot answered HTTP 500 Internal Server Error"
    assert "bot> You said: hello" in result.stdout


def test_chat_without_a_server_is_one_line(run_familybot, free_tcp_port: int) -> None:
    url = f"http://127.0.0.1:{free_tcp_port}/webhooks/rest/webhook"
    result = run_familybot("chat", "--url", url, stdin="hi\n")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"familybot: cannot reach FamilyBot at {url}")
    assert "is `familybot up` running?" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_chat_defaults_to_the_configured_rasa_port(run_familybot, fake_rasa) -> None:
    port = str(fake_rasa.server_address[1])
    result = run_familybot("chat", stdin="hi\n", env={"FAMILYBOT_RASA_PORT": port})
    assert result.returncode == 0, result.stderr
    assert f"http://127.0.0.1:{port}/webhooks/rest/webhook" in result.stdout
    assert [r["message"] for r in fake_rasa.received] == ["hi"]


def test_ctrl_c_ends_the_chat_cleanly(fake_rasa) -> None:
    lines = iter(["hello"])

    def read(prompt: str) -> str:
        try:
            return next(lines)
        except StopIteration:
            raise KeyboardInterrupt from None

    out, err = io.StringIO(), io.StringIO()
    assert repl(fake_rasa.url, "s1", out=out, err=err, read=read) == 0
    assert "bot> You said: hello" in out.getvalue()
    assert err.getvalue() == ""


@pytest.mark.parametrize(
    ("reply", "lines"),
    [
        ({"text": "Hi!"}, ["Hi!"]),
        ({"image": "https://x.org/a.png"}, ["[image] https://x.org/a.png"]),
        ({"text": "Pick", "buttons": [{"title": "A"}]}, ["Pick", "  1. A"]),
        ({"custom": {"x": 1}}, []),
    ],
)
def test_format_reply(reply: dict, lines: list[str]) -> None:
    assert format_reply(reply) == lines
