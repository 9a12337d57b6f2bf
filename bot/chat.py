"""`familybot chat`: talk to the running bot from a terminal through the REST webhook."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any, TextIO

from bot.runtime import UserError

TIMEOUT_SECONDS = 60.0


def send(url: str, sender: str, message: str, timeout: float = TIMEOUT_SECONDS) -> list[Any]:
    """POST one message as Rasa's REST channel expects it; returns the bot's messages."""
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL is the user's choice
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        replies = json.loads(response.read() or b"[]")
    return replies if isinstance(replies, list) else []


def format_reply(reply: Any) -> list[str]:
    """The lines to show for one bot message: its text, then numbered buttons."""
    if not isinstance(reply, dict):
        return [str(reply)]
    lines = [str(reply["text"])] if reply.get("text") else []
    if reply.get("image"):
        lines.append(f"[image] {reply['image']}")
    for number, button in enumerate(reply.get("buttons") or [], start=1):
        title = button.get("title") if isinstance(button, dict) else button
        lines.append(f"  {number}. {title}")
    return lines


def repl(
    url: str,
    sender: str,
    out: TextIO,
    err: TextIO,
    read: Callable[[str], str] = input,
    prompt: str = "you> ",
) -> int:
    """Read lines until EOF or Ctrl-C, print the bot's replies; 0 on a clean exit."""
    print(f"Chatting with {url} as {sender!r}. Ctrl-D or Ctrl-C ends the chat.", file=out)
    while True:
        try:
            message = read(prompt).strip()
        except (EOFError, KeyboardInterrupt):
            print(file=out)
            return 0
        if not message:
            continue
        try:
            replies = send(url, sender, message)
        except urllib.error.HTTPError as exc:
            print(f"familybot: the bot answered HTTP {exc.code} {exc.reason}", file=err)
            continue
        except (urllib.error.URLError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise UserError(
                f"cannot reach FamilyBot at {url} ({reason}) — is `familybot up` running?"
            ) from exc
        except TimeoutError as exc:
            raise UserError(
                f"FamilyBot at {url} did not answer within {TIMEOUT_SECONDS:.0f} s"
            ) from exc
        except ValueError:
            print("familybot: the bot's answer was not JSON", file=err)
            continue
        for reply in replies:
            for line in format_reply(reply):
                print(f"bot> {line}", file=out)
        out.flush()
