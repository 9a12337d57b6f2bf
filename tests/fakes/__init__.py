"""Fakes at the edge: provider servers on 127.0.0.1, and a real Sanic server for a channel.

`ChannelServer` runs an input channel the way `rasa run` does (Rasa's own `register`,
listeners, a real socket) in a background thread, with a stand-in for Rasa's agent, so
tests and benchmarks talk to it over HTTP like a provider would.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from rasa.core.channels.channel import InputChannel, UserMessage

REPO = Path(__file__).resolve().parents[2]
T = TypeVar("T")

Turn = Callable[[UserMessage], Awaitable[Any]]


def load_nlg() -> tuple[Any, Any]:
    """Rasa's real domain and response generator: what the Rasa server renders with."""
    from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain

    domain = Domain.load(str(REPO / "domain.yml"))
    return domain, TemplatedNaturalLanguageGenerator(domain.responses)


async def reply_from_rasa(message: UserMessage) -> None:
    """The default stand-in turn: one reply, as Rasa would send it through the channel."""
    await message.output_channel.send_text_message(
        message.sender_id, "Thanks for writing!", utter_action="utter_close"
    )


class StandInAgent:
    """Rasa's agent at the edge: the real domain and NLG, and a scripted turn."""

    def __init__(self, domain: Any, nlg: Any, turn: Turn = reply_from_rasa) -> None:
        self.domain = domain
        self.nlg = nlg
        self.turn = turn
        self.received: list[UserMessage] = []

    async def handle_message(self, message: UserMessage) -> Any:
        self.received.append(message)
        return await self.turn(message)


class ChannelServer:
    """A real Sanic server with one input channel, in its own thread and event loop."""

    def __init__(self, channel: InputChannel, agent: Any) -> None:
        self.channel = channel
        self.agent = agent
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._server: Any = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def call(self, coro: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        """Run a coroutine on the server's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def start(self) -> ChannelServer:
        self._thread.start()
        self.call(self._start())
        return self

    async def _start(self) -> None:
        from rasa.core.channels.channel import register
        from sanic import Sanic

        # Sanic 21.12 rewrites its own methods on the first start (TouchUp); test mode lets a
        # second app in the same process start too (what sanic-testing does).
        Sanic.test_mode = True
        app = Sanic(f"familybot_test_{uuid.uuid4().hex[:12]}", configure_logging=False)
        app.config.ACCESS_LOG = False
        app.ctx.agent = self.agent
        register([self.channel], app, route="/webhooks/")  # what rasa.core.run does
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(100)
        self.port = int(sock.getsockname()[1])
        # Bound and accepting already; Sanic's listeners run as in `rasa run`.
        server = await app.create_server(sock=sock, return_asyncio_server=True)
        assert server is not None
        await server.startup()
        await server.before_start()
        await server.after_start()
        self._server = server

    def settle(self, timeout: float = 30) -> None:
        """Wait until the channel's background worker has processed what it was given."""
        worker = getattr(self.channel, "worker", None)
        if worker is not None:
            self.call(worker.join(timeout=timeout), timeout=timeout + 5)

    def stop(self) -> None:
        """A clean shutdown: Sanic's stop listeners run (the worker drains)."""
        if self._server is not None:
            self.call(self._stop())
        self._end()

    async def _stop(self) -> None:
        server, self._server = self._server, None
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()

    def crash(self) -> None:
        """The process dies: in-flight work is abandoned, no stop listener runs."""
        if self._server is not None:
            self.call(self._crash())
        self._end()

    async def _crash(self) -> None:
        server, self._server = self._server, None
        current = asyncio.current_task()
        for task in asyncio.all_tasks():
            if task is not current:
                task.cancel()
        server.close()
        await server.wait_closed()

    def _end(self) -> None:
        if self._thread.is_alive():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=10)
        if not self.loop.is_running():
            self.loop.close()
