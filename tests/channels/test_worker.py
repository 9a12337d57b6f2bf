"""The background worker: per-conversation order, isolation of failures, restart recovery."""

from __future__ import annotations

import asyncio

from bot.channels.gates import Inbound
from bot.channels.pipeline import record_in_session
from bot.channels.worker import InboundWorker
from bot.store import mark_processed, session_scope


def test_messages_of_one_conversation_are_processed_in_order():
    seen: list[tuple[str, str]] = []

    async def process(inbound: Inbound, message_id: int) -> None:
        await asyncio.sleep(0.02 if inbound.text.endswith("1") else 0)
        seen.append((inbound.conversation_id, inbound.text))

    async def main() -> None:
        worker = InboundWorker(process)
        for i in range(1, 4):
            worker.submit(Inbound("a", "sms", f"a{i}"), i)
            worker.submit(Inbound("b", "sms", f"b{i}"), 10 + i)
        await worker.join(timeout=5)
        assert worker.pending == 0

    asyncio.run(main())
    assert [t for c, t in seen if c == "a"] == ["a1", "a2", "a3"]
    assert [t for c, t in seen if c == "b"] == ["b1", "b2", "b3"]
    assert seen.index(("b", "b1")) < seen.index(("a", "a2"))  # b did not wait for a


def test_a_failing_message_does_not_block_the_next_one():
    seen: list[str] = []

    async def process(inbound: Inbound, message_id: int) -> None:
        if inbound.text == "boom":
            raise RuntimeError("processing failed")
        seen.append(inbound.text)

    async def main() -> None:
        worker = InboundWorker(process)
        worker.submit(Inbound("a", "sms", "boom"), 1)
        worker.submit(Inbound("a", "sms", "after"), 2)
        await worker.join(timeout=5)

    asyncio.run(main())
    assert seen == ["after"]


def test_recorded_but_unprocessed_messages_are_resumed_after_a_restart(app_db):
    first = record_in_session(Inbound("c-1", "sms", "first", "SM1"))
    second = record_in_session(Inbound("c-1", "sms", "second", "SM2"))
    done = record_in_session(Inbound("c-1", "sms", "already done", "SM3"))
    other = record_in_session(Inbound("c-2", "telegram", "not this channel", "7"))
    with session_scope() as session:
        mark_processed(session=session, message_id=done, status="processed")
    seen: list[tuple[str, int]] = []

    async def process(inbound: Inbound, message_id: int) -> None:
        seen.append((inbound.text, message_id))

    async def main() -> int:
        worker = InboundWorker(process)  # a new process: nothing in memory
        count = await worker.recover("sms")
        await worker.join(timeout=5)
        return count

    assert asyncio.run(main()) == 2
    assert seen == [("first", first), ("second", second)]
    assert other is not None


def test_a_message_submitted_twice_while_queued_is_processed_once():
    seen: list[int] = []

    async def process(inbound: Inbound, message_id: int) -> None:
        await asyncio.sleep(0.01)
        seen.append(message_id)

    async def main() -> None:
        worker = InboundWorker(process)
        worker.submit(Inbound("a", "sms", "hi"), 1)
        worker.submit(Inbound("a", "sms", "hi"), 1)  # recover() racing the webhook
        await worker.join(timeout=5)
        worker.submit(Inbound("a", "sms", "hi"), 1)  # done by then: a new submission runs
        await worker.join(timeout=5)

    asyncio.run(main())
    assert seen == [1, 1]
