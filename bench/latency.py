"""Per-message latency through the dev REST channel, with actions and the database.

Starts `familybot up` on a temporary SQLite file (training the model first if it is
stale), drives complete check-ins sequentially and then with 10 concurrent conversations,
and prints p50/p95 per message, throughput and the resident memory of each server.
Prints figures; asserts nothing. Run: `.venv/bin/python bench/latency.py [--rounds N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

SCRIPTS = [
    ["hi", "we're doing ok, busy week", "8", "the bus is late a lot", "yes please", "yes"],
    ["hola", "bien gracias", "nueve", "nada, todo bien", "no gracias", "sí"],
    ["hello", "tired", "3", "she has asthma and we had to move", "no", "it was ok"],
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def post(url: str, sender: str, message: str) -> float:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(  # noqa: S310 (loopback URL we built)
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        response.read()
    return (time.perf_counter() - started) * 1000


def run_conversation(url: str, sender: str, script: list[str]) -> list[float]:
    return [post(url, sender, turn) for turn in script]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid: int) -> dict[int, str]:
    """Descendant processes of `familybot up`, with their command lines."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().split()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat[3]) == pid:
            found[int(entry.name)] = cmdline
            found.update(children(int(entry.name)))
    return found


def report(label: str, latencies: list[float], seconds: float) -> dict[str, float]:
    figures = {
        "messages": len(latencies),
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "mean_ms": round(statistics.fmean(latencies), 1),
        "messages_per_s": round(len(latencies) / seconds, 1),
    }
    print(
        f"{label:<28} n={figures['messages']:<4} p50={figures['p50_ms']:>7.1f} ms  "
        f"p95={figures['p95_ms']:>7.1f} ms  {figures['messages_per_s']:.1f} msg/s"
    )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="conversations per script")
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="familybot-bench-"))
    rasa_port, actions_port = free_port(), free_port()
    env = {
        **os.environ,
        "FAMILYBOT_DATABASE_URL": f"sqlite:///{work / 'familybot.db'}",
        "FAMILYBOT_TRACKER_STORE_URL": f"sqlite:///{work / 'tracker.db'}",
        "FAMILYBOT_RASA_PORT": str(rasa_port),
        "FAMILYBOT_ACTIONS_PORT": str(actions_port),
        "FAMILYBOT_LOG_LEVEL": "WARNING",
    }
    log = (work / "up.log").open("w")
    up = subprocess.Popen(
        [str(BIN / "familybot"), "up"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook"
    try:
        deadline = time.monotonic() + 600
        while True:
            try:
                urllib.request.urlopen(url[: -len("webhook")], timeout=2)  # noqa: S310
                break
            except OSError:
                if up.poll() is not None or time.monotonic() > deadline:
                    print((work / "up.log").read_text()[-3000:])
                    return 1
                time.sleep(1)
        run_conversation(url, "warm-up", SCRIPTS[0])  # load the model's lazy parts

        results = {}
        started = time.perf_counter()
        sequential = [
            ms
            for r in range(args.rounds)
            for i, script in enumerate(SCRIPTS)
            for ms in run_conversation(url, f"seq-{r}-{i}", script)
        ]
        results["sequential"] = report("sequential", sequential, time.perf_counter() - started)

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            futures = [
                pool.submit(run_conversation, url, f"conc-{r}-{i}", script)
                for r in range(args.rounds)
                for i, script in enumerate(SCRIPTS)
            ]
            concurrent = [ms for f in futures for ms in f.result()]
        results["concurrent"] = report(
            f"{args.concurrency} concurrent conversations",
            concurrent,
            time.perf_counter() - started,
        )
        for pid, cmd in children(up.pid).items():
            part = "action server" if " actions" in cmd else "Rasa server" if "rasa" in cmd else ""
            if part:
                results[f"{part} RSS MB"] = round(rss_mb(pid), 0)
                print(f"{part:<28} resident memory {rss_mb(pid):.0f} MB")
        out = REPO / "bench" / "results"
        out.mkdir(parents=True, exist_ok=True)
        (out / "latency.json").write_text(json.dumps(results, indent=2))
        return 0
    finally:
        up.send_signal(signal.SIGTERM)
        try:
            up.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(up.pid, signal.SIGKILL)


if __name__ == "__main__":
    raise SystemExit(main())
