"""Load: many concurrent conversations through REST, one replica beside two.

    .venv/bin/python bench/load.py [--conversations 50] [--turns 20] [--kill-one-replica]

Setups, side by side (on loopback only, bounded in count and time):

* ``one``: one Rasa server (embedded profile: SQLite tracker store) + one action server;
* ``two``: two Rasa replicas + one action server on the production profile (PostgreSQL
  tracker store, Redis lock store); the driver sends each turn to the next replica in
  turn (round robin), as a load balancer without sticky sessions would. With
  ``--kill-one-replica`` the second replica is killed halfway through; the driver then
  retries on the other (a load balancer's health check), and the report counts it.

Reported: p50/p95/p99 turn latency, throughput, replies lost (a turn without a reply
after its retries: must be 0), turns missing from the tracker store (must be 0), events
duplicated in it, and the memory of each process. Results: bench/results/load-*.json and
bench/LOAD.md. Numbers are measured, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ops.processes import (base_env, free_port, production_env, psql, rss_kib, start_actions, start_postgres,  # noqa: E402
                           start_rasa, start_redis, stop, wait_for)

SCRIPT = [  # one conversation: questions, context carried over, a calculation
    "こんにちは", "生産性向上の補助金について教えて", "上限は？", "電話番号は？", "予算は？", "計算して",
    "小規模事業者です", "600万円です", "ありがとう", "セレクト神奈川ＮＥＸＴ第２ステージ補助金について",
    "問い合わせ先は？", "男性育休の奨励金はいくら？", "中小企業で育休20日ならいくら？", "創業したい",
    "今年度の新しい事業は？", "締め切りはいつ？", "担当者と話したい", "人手不足で困っています",
    "労働施策の予算は？", "さようなら",
]


async def conversation(session, urls, turns, results, alive, timeout):
    sender = f"load-{uuid.uuid4().hex}"
    for turn in range(turns):
        text = SCRIPT[turn % len(SCRIPT)]
        replied, attempts = False, 0
        start = time.perf_counter()
        while not replied and attempts < 3:
            candidates = [u for u in urls if alive[u]] or urls
            url = candidates[(turn + attempts) % len(candidates)]
            attempts += 1
            try:
                async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                                        timeout=aiohttp.ClientTimeout(total=timeout)) as response:
                    body = await response.json() if response.status == 200 else None
                    replied = bool(body)
            except (aiohttp.ClientError, asyncio.TimeoutError):
                alive[url] = False
        results.append({"sender": sender, "turn": turn, "text": text, "seconds": time.perf_counter() - start,
                        "replied": replied, "attempts": attempts})


async def drive(urls, conversations, turns, kill=None, timeout=60.0):
    results: list[dict] = []
    alive = {u: True for u in urls}
    connector = aiohttp.TCPConnector(limit=conversations)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        tasks = [asyncio.create_task(conversation(session, urls, turns, results, alive, timeout))
                 for _ in range(conversations)]
        if kill:
            total = conversations * turns
            while len(results) < total // 2:
                await asyncio.sleep(0.2)
            kill()
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    return results, elapsed


def summarise(results, elapsed) -> dict:
    seconds = sorted(r["seconds"] for r in results)

    def pct(q):
        return 1000 * statistics.quantiles(seconds, n=100)[q - 1]

    return {"turns": len(results), "wall_seconds": elapsed, "throughput_turns_per_s": len(results) / elapsed,
            "p50_ms": 1000 * statistics.median(seconds), "p95_ms": pct(95), "p99_ms": pct(99),
            "replies_lost": sum(not r["replied"] for r in results),
            "retried_turns": sum(r["attempts"] > 1 for r in results)}


def tracker_counts(results, count_user_events) -> dict:
    """Compare the turns sent with the user events the tracker store holds."""
    expected: dict[str, int] = {}
    for r in results:
        if r["replied"]:
            expected[r["sender"]] = expected.get(r["sender"], 0) + 1
    stored = count_user_events(list(expected))
    missing = sum(max(0, n - stored.get(sender, 0)) for sender, n in expected.items())
    extra = sum(max(0, stored.get(sender, 0) - n) for sender, n in expected.items())
    return {"turns_missing_from_tracker_store": missing, "user_events_duplicated": extra}


def run_one(model, kb, conversations, turns, workdir: Path) -> dict:
    action_port, rasa_port = free_port(), free_port()
    trackers = workdir / "trackers.db"
    endpoints = workdir / "endpoints-one.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://localhost:{action_port}/webhook"\n'
                         f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{trackers}"\n')
    env = base_env(kb)
    actions = start_actions(action_port, workdir / "actions-one.log", env)
    rasa = start_rasa(model, rasa_port, endpoints, workdir / "rasa-one.log", env)
    try:
        results, elapsed = asyncio.run(drive([f"http://localhost:{rasa_port}"], conversations, turns))
        memory = {"rasa": rss_kib(rasa.pid), "action_server": rss_kib(actions.pid)}
    finally:
        stop(rasa)
        stop(actions)

    def count(senders):
        with sqlite3.connect(trackers) as db:
            rows = db.execute("select sender_id, count(*) from events where type_name = 'user' group by sender_id")
            return {sender: n for sender, n in rows if sender in set(senders)}

    return {**summarise(results, elapsed), **tracker_counts(results, count), "memory_kib": memory}


def run_two(model, kb, conversations, turns, workdir: Path, kill: bool) -> dict:
    postgres = start_postgres(workdir / "pg")
    redis = start_redis(workdir / "redis")
    action_port = free_port()
    env = production_env(kb, postgres, redis, action_port)
    actions = start_actions(action_port, workdir / "actions-two.log", env)
    ports = [free_port(), free_port()]
    replicas = [start_rasa(model, port, "endpoints.production.yml", workdir / f"rasa-{port}.log", env, wait=False)
                for port in ports]
    try:
        for process, port in zip(replicas, ports):
            wait_for(f"http://localhost:{port}/", process, workdir / f"rasa-{port}.log")
        killer = (lambda: replicas[1].kill()) if kill else None
        results, elapsed = asyncio.run(drive([f"http://localhost:{p}" for p in ports], conversations, turns,
                                             kill=killer))
        memory = {f"rasa-{i}": rss_kib(p.pid) for i, p in enumerate(replicas) if p.poll() is None}
        memory["action_server"] = rss_kib(actions.pid)
        memory["postgres"] = rss_kib(postgres.process.pid)
        memory["redis"] = rss_kib(redis.process.pid)

        def count(senders):
            rows = psql(postgres, "select sender_id || '|' || count(*) from events where type_name = 'user' "
                                  "group by sender_id")
            counts = dict(row.rsplit("|", 1) for row in rows)
            return {sender: int(n) for sender, n in counts.items() if sender in set(senders)}

        return {**summarise(results, elapsed), **tracker_counts(results, count), "memory_kib": memory,
                "replica_killed_halfway": kill}
    finally:
        for process in replicas + [actions]:
            stop(process)
        redis.stop()
        postgres.stop()


def markdown(report: dict) -> str:
    setups = report["setups"]
    lines = [f"# Load benchmark {report['when']}", "",
             f"{report['conversations']} concurrent conversations × {report['turns']} turns, REST on loopback, "
             f"{report['cores']} cores.", "", "| | " + " | ".join(setups) + " |", "|---|" + "---|" * len(setups)]
    for label, key, fmt in [("throughput (turns/s)", "throughput_turns_per_s", "{:.1f}"),
                            ("p50 (ms)", "p50_ms", "{:.0f}"), ("p95 (ms)", "p95_ms", "{:.0f}"),
                            ("p99 (ms)", "p99_ms", "{:.0f}"), ("replies lost", "replies_lost", "{}"),
                            ("turns retried on the other replica", "retried_turns", "{}"),
                            ("turns missing from tracker store", "turns_missing_from_tracker_store", "{}"),
                            ("user events duplicated", "user_events_duplicated", "{}")]:
        lines.append(f"| {label} | " + " | ".join(fmt.format(s[key]) for s in setups.values()) + " |")
    for name, setup in setups.items():
        memory = ", ".join(f"{k} {v / 1024:.0f} MiB" for k, v in setup["memory_kib"].items())
        lines.append(f"\n{name}: memory {memory}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "current.tar.gz")
    parser.add_argument("--kb", type=Path, default=ROOT / "build" / "knowledge.db")
    parser.add_argument("--kill-one-replica", action="store_true")
    args = parser.parse_args()
    import os

    report = {"when": time.strftime("%Y-%m-%d %H:%M"), "conversations": args.conversations, "turns": args.turns,
              "cores": os.cpu_count(), "setups": {}}
    with tempfile.TemporaryDirectory(prefix="load-") as tmp:
        workdir = Path(tmp)
        print("one replica (SQLite)…", flush=True)
        report["setups"]["one replica, SQLite"] = run_one(args.model, args.kb, args.conversations, args.turns, workdir)
        print("two replicas (PostgreSQL + Redis)…", flush=True)
        name = "two replicas, PostgreSQL + Redis" + (", one killed halfway" if args.kill_one_replica else "")
        report["setups"][name] = run_two(args.model, args.kb, args.conversations, args.turns, workdir,
                                         args.kill_one_replica)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"load-{time.strftime('%Y%m%d-%H%M')}.json").write_text(json.dumps(report, indent=1))
    (ROOT / "bench" / "LOAD.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))


if __name__ == "__main__":
    main()
