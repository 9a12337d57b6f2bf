"""SMS channel figures: webhook acknowledgement latency, sustained throughput, segment cost.

Runs the real SMS channel (signature check, gates, SQLite, background worker, sender) in
a Sanic server on 127.0.0.1, with the fake Twilio API from the tests and a stand-in for
Rasa's turn that takes `--turn-ms` (300 ms by default: the point is that Twilio's
acknowledgement never waits for Rasa). Prints figures; asserts nothing.
Run: `.venv/bin/python bench/sms_webhook.py [--senders 20] [--messages 15] [--turn-ms 300]
[--interval 1] [--postgres postgresql://root@127.0.0.1:5432/test]` (SQLite unless
`--postgres` names a server where a scratch database may be created and dropped).

1. Acknowledgement latency (p50/p95/max) with N concurrent senders, each writing once
   every `--interval` seconds, while every Rasa turn takes `--turn-ms`.
2. Saturation: the same senders posting back to back, so the figures are the most the
   process sustains: messages per second acknowledged and processed end to end, and a
   loss check (recorded = sent, processed = sent, replies sent = sent).
Client, server and fake Twilio share one process (and the machine's other load):
read the figures as a floor, not as what a dedicated server does.
3. Mean SMS segments per bot message per language: every response variation in
   domain.yml, through to_gsm7, counted as TwilioSender sends it (split at 2 segments).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SAMPLE_VALUES = {
    "school_name": "Lincoln Elementary",
    "school_phone": "(555) 010-0100",
    "child_name": "Jenna",
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def send_all(
    base_url: str, senders: int, messages: int, interval: float
) -> tuple[list[float], int, float]:
    """Each sender posts a message every `interval` s (0: back to back); ack ms, errors, s."""
    import httpx

    from tests.fakes.twilio_api import WEBHOOK_PATH, inbound_params, signed_form

    latencies: list[float] = []
    errors = 0

    async def one_sender(index: int, client: httpx.AsyncClient) -> None:
        nonlocal errors
        phone = f"+1312555{index:04d}"
        await asyncio.sleep(interval * index / senders)  # spread the senders out
        next_at = time.perf_counter()
        for turn in range(messages):
            next_at += interval
            body, headers = signed_form(inbound_params(phone, f"message {turn} from {index}"))
            started = time.perf_counter()
            response = await client.post(base_url + WEBHOOK_PATH, content=body, headers=headers)
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                errors += 1
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))

    limits = httpx.Limits(max_connections=senders, max_keepalive_connections=senders)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(one_sender(i, client) for i in range(senders)))
        return latencies, errors, time.perf_counter() - started


def counts() -> dict[str, int]:
    from sqlalchemy import func, select

    from bot.store import Message, session_scope

    with session_scope() as session:

        def n(*where: Any) -> int:
            query = select(func.count()).select_from(Message).where(*where)
            return int(session.execute(query).scalar_one())

        return {
            "recorded": n(Message.direction == "in"),
            "processed": n(Message.direction == "in", Message.status == "processed"),
            "replies": n(Message.direction == "out", Message.status == "sent"),
        }


def run_load(
    senders: int, messages: int, turn_ms: int, interval: float, api: Any, nlg: Any
) -> None:
    """Post from concurrent senders; print ack latency, throughput and the loss check."""
    from bot.channels.senders import TwilioSender
    from bot.channels.sms import TwilioSmsInput
    from tests.channels.sms_harness import settings_for
    from tests.fakes import ChannelServer, StandInAgent

    async def busy_rasa(message: Any) -> None:
        await asyncio.sleep(turn_ms / 1000)
        await message.output_channel.send_text_message(
            message.sender_id, "Thanks for writing!", utter_action="utter_close"
        )

    settings = settings_for(api.url)
    channel = TwilioSmsInput(settings, sender=TwilioSender(settings))
    server = ChannelServer(channel, StandInAgent(*nlg, turn=busy_rasa)).start()
    try:
        before = counts()
        total = senders * messages
        started = time.perf_counter()
        latencies, errors, ack_seconds = asyncio.run(
            send_all(server.base_url, senders, messages, interval)
        )
        server.settle(timeout=600)
        done_seconds = time.perf_counter() - started
        after = counts()
    finally:
        server.stop()
    delta = {k: after[k] - before[k] for k in after}
    pace = f"one message every {interval:g} s each" if interval else "back to back"
    print(f"\n== {senders} concurrent senders, {pace}; every Rasa turn takes {turn_ms} ms ==")
    print(f"requests {total}, non-200 answers {errors}")
    print(
        f"ack latency ms: p50 {percentile(latencies, 0.5):.1f}  p95 "
        f"{percentile(latencies, 0.95):.1f}  max {max(latencies):.1f}  "
        f"mean {statistics.mean(latencies):.1f}"
    )
    print(f"acknowledged: {total / ack_seconds:.1f} messages/s over {ack_seconds:.1f} s")
    print(
        f"processed end to end (gates + turn + reply sent): {total / done_seconds:.1f} "
        f"messages/s over {done_seconds:.1f} s"
    )
    lost = total - delta["recorded"]
    print(
        f"loss check: sent {total}, recorded {delta['recorded']}, processed "
        f"{delta['processed']}, replies sent {delta['replies']} "
        f"(fake Twilio received {len(api.sent)}) -> {'no loss' if lost == 0 else f'LOST {lost}'}"
    )


def segment_cost() -> None:
    """Part 3: what each bot message costs on SMS, per language."""
    from rasa.shared.core.domain import Domain

    from bot.core.language import SUPPORTED_LANGUAGES
    from bot.core.sms import count_segments, is_gsm7, split_for_sms, to_gsm7

    domain = Domain.load(str(REPO / "domain.yml"))
    resources = demo_resource_lines()
    print("\n== SMS segments per bot message (every response variation in domain.yml) ==")
    print(f"{'lang':<5}{'messages':>9}{'mean':>7}{'max':>5}{'>1 seg':>8}{'split':>7}{'UCS-2':>7}")
    worst: list[tuple[int, str, str]] = []
    for language in SUPPORTED_LANGUAGES:
        costs: list[int] = []
        ucs2 = over_one = split = 0
        for name, variations in domain.responses.items():
            for variation in variations:
                if _language_of(variation) != language or not variation.get("text"):
                    continue
                values = {**SAMPLE_VALUES, "resources": resources.get(language, "")}
                text = to_gsm7(variation["text"].format(**values))
                parts = split_for_sms(text, 2)
                cost = sum(count_segments(p) for p in parts)
                costs.append(cost)
                ucs2 += not is_gsm7(text)
                over_one += count_segments(text) > 1
                split += len(parts) > 1
                worst.append((cost, language, name))
        if not costs:
            print(f"{language:<5}{'(no responses in this language yet)':>40}")
            continue
        print(
            f"{language:<5}{len(costs):>9}{statistics.mean(costs):>7.2f}{max(costs):>5}"
            f"{over_one:>8}{split:>7}{ucs2:>7}"
        )
    worst.sort(reverse=True)
    print("costliest: " + ", ".join(f"{n} ({lang}) {c}" for c, lang, n in worst[:5]))


def _language_of(variation: dict[str, Any]) -> str | None:
    for condition in variation.get("condition") or []:
        if condition.get("name") == "language":
            return str(condition.get("value"))
    return None


def demo_resource_lines() -> dict[str, str]:
    """The {resources} text the bot would fill in from the demo directory, per language."""
    try:
        from actions.asks import _resource_lines
        from bot.store import seed_demo, session_scope
    except ImportError:
        return {}
    with session_scope() as session:
        seed_demo(session=session)
    return {
        language: _resource_lines("bench", ["transportation", "health"], language)
        for language in ("en", "es")
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--senders", type=int, default=20)
    parser.add_argument("--messages", type=int, default=15, help="per sender")
    parser.add_argument("--turn-ms", type=int, default=300)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between messages")
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server to run on instead")
    args = parser.parse_args()

    sys.path.insert(0, str(REPO))  # the test fakes and harness live in tests/
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    with scratch_database(args.postgres) as url:
        os.environ["FAMILYBOT_DATABASE_URL"] = url
        import logging

        logging.basicConfig(level=logging.WARNING)
        from bot.settings import get_settings
        from bot.store import db
        from tests.fakes import load_nlg
        from tests.fakes.twilio_api import FakeTwilioApi

        get_settings.cache_clear()
        db.upgrade(url)
        print(f"database: {url.split('@')[-1]}")
        print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        nlg = load_nlg()
        api = FakeTwilioApi().start()
        try:
            run_load(args.senders, args.messages, args.turn_ms, args.interval, api, nlg)
            api.requests.clear()
            run_load(args.senders, args.messages, args.turn_ms, 0.0, api, nlg)
        finally:
            api.stop()
        segment_cost()
        db.dispose_engines(url)
    return 0


@contextlib.contextmanager
def scratch_database(postgres: str | None) -> Iterator[str]:
    """A new SQLite file, or a new PostgreSQL database dropped afterwards."""
    if not postgres:
        work = Path(tempfile.mkdtemp(prefix="familybot-sms-bench-"))
        yield f"sqlite:///{work / 'bench.db'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"familybot_bench_{os.getpid()}"
    admin = create_engine(postgres, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(postgres).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    sys.exit(main())
