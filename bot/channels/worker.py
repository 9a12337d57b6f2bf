"""Background processing of recorded messages: in order per conversation, resumed on restart.

A phone channel records a message, answers the provider at once and hands the message
here. Each conversation has its own queue and at most one task draining it, so a
family's messages are processed in the order they arrived while other families wait
for nobody. Messages recorded but never processed (the process died) are picked up
again by `recover()` at start-up: nothing acknowledged is ever lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.channels.gates import Inbound

logger = logging.getLogger(__name__)

Process = Callable[[Inbound, int], Awaitable[object]]


class InboundWorker:
    """Per-conversation queues drained by short-lived tasks."""

    def __init__(self, process: Process) -> None:
        self._process = process
        self._queues: dict[str, asyncio.Queue[tuple[Inbound, int]]] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        # Queued or running here: recover() at start-up may find a message that a webhook
        # recorded a moment earlier and is submitting too; it must be answered once.
        self._in_flight: set[int] = set()

    def submit(self, inbound: Inbound, message_id: int) -> None:
        """Queue a recorded message behind the same conversation's earlier ones (once)."""
        if message_id in self._in_flight:
            return
        self._in_flight.add(message_id)
        cid = inbound.conversation_id
        self._queues.setdefault(cid, asyncio.Queue()).put_nowait((inbound, message_id))
        task = self._tasks.get(cid)
        if task is None or task.done():
            self._tasks[cid] = asyncio.get_running_loop().create_task(self._drain(cid))

    async def _drain(self, cid: str) -> None:
        queue = self._queues[cid]
        while not queue.empty():
            inbound, message_id = queue.get_nowait()
            try:
                await self._process(inbound, message_id)
            except Exception:  # keep the message 'received' so a restart retries it
                logger.exception("processing inbound message %s failed", message_id)
            finally:
                self._in_flight.discard(message_id)
                queue.task_done()
        if queue.empty():
            self._queues.pop(cid, None)
            self._tasks.pop(cid, None)

    async def join(self, timeout: float | None = None) -> None:
        """Wait until everything queued so far has been processed (shutdown, tests)."""
        tasks = list(self._tasks.values())
        if tasks:
            await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout)

    @property
    def pending(self) -> int:
        return sum(queue.qsize() for queue in self._queues.values())

    async def recover(self, channel: str, limit: int = 1000) -> int:
        """Queue the channel's messages that were recorded but never processed."""
        rows = await asyncio.to_thread(_unprocessed, channel, limit)
        for inbound, message_id in rows:
            self.submit(inbound, message_id)
        if rows:
            logger.info("resuming %d unprocessed %s messages", len(rows), channel)
        return len(rows)


def _unprocessed(channel: str, limit: int) -> list[tuple[Inbound, int]]:
    from bot.store import session_scope, unprocessed_inbound

    with session_scope() as session:
        return [
            (Inbound(m.conversation_id, m.channel, m.text or "", m.provider_id), int(m.id))
            for m in unprocessed_inbound(session=session, limit=limit)
            if m.channel == channel
        ]
