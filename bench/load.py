"""Load: many concurrent conversations through REST, one replica beside two.

    .venv/bin/python bench/load.py [--conversations 50] [--turns 20] [--max-seconds 600] [--no-kill]
                                   [--only replicas|flood]

Setups, side by side (on loopback only, bounded in count and time):

* ``one``: one Rasa server (embedded profile: SQLite tracker store) + one action server;
* ``two``: two Rasa replicas + one action server on the production profile (PostgreSQL
  tracker store, Redis lock store); the driver sends each turn to the next replica in
  turn (round robin), as a load balancer without sticky sessions would;
* the same, with the second replica killed (SIGKILL) halfway through; the driver then
  retries on the other (a load balancer's health check), and the report counts it.

* ``flood`` (bench/flood.py, ``--only flood`` or ``make load-flood``): one conversation
  sent 100 REST messages at once, a LINE group 80, 20 bodies of 10 MB and one request
  with 10 MB of metadata, while a normal user talks: messages lost, the normal user's
  latency, Rasa's peak memory, tracker growth and error log lines (bench/FLOOD.md).

Reported: p50/p95/p99 turn latency, throughput, replies lost (a turn without a real
answer after its retries, the apology counting as lost: must be 0), answers without the
fact their turn expects (a context lost between replicas, or another conversation's
answer), turns missing from the tracker store (must be 0), events duplicated in it, and
the memory of each process. Results: bench/results/load-*.json and
bench/LOAD.md. Numbers are measured, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import tempfile
import time
import unicodedata
import uuid
from pathlib import Path

import aiohttp

from ops.processes import (
    base_env,
    free_port,
    production_env,
    psql,
    rss_kib,
    start_actions,
    start_postgres,
    start_rasa,
    start_redis,
    stop,
    wait_for,
)

ROOT = Path(__file__).resolve().parents[1]

# One conversation: questions, context carried over, a calculation. With each turn, a
# string its answer must hold (None: any real answer will do), so that a reply meant for
# another conversation, or a context lost between replicas, counts as a wrong answer.
SCRIPT = [
    ("こんにちは", None), ("生産性向上の補助金について教えて", "中小企業生産性向上促進事業費補助"),
    ("上限は？", "500万円"), ("電話番号は？", "045-210-5550"), ("予算は？", "42億5,062万円"),
    ("計算して", None), ("小規模事業者です", None), ("600万円です", "400万円"), ("ありがとう", None),
    ("セレクト神奈川ＮＥＸＴ第２ステージ補助金について", "セレクト神奈川ＮＥＸＴ第２ステージ補助金"),
    ("問い合わせ先は？", "045-210-5570"), ("男性育休の奨励金はいくら？", None),
    ("中小企業で男性社員が育休20日ならいくら？", "20万円"), ("創業したい", None), ("今年度の新しい事業は？", None),
    ("締め切りはいつ？", None), ("担当者と話したい", None), ("人手不足で困っています", None),
    ("労働施策の予算は？", "21億8,947万円"), ("さようなら", None),
]
APOLOGY_START = "申し訳ありません。ただいまシステムの不具合"


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")


async def conversation(session, urls, turns, results, alive, timeout, deadline):
    sender = f"load-{uuid.uuid4().hex}"
    for turn in range(turns):
        if time.perf_counter() > deadline:
            return   # the run's time bound: the turns not sent are reported as not sent
        text, expected = SCRIPT[turn % len(SCRIPT)]
        answer, attempts = None, 0
        start = time.perf_counter()
        while answer is None and attempts < 3:
            candidates = [u for u in urls if alive[u]] or urls
            url = candidates[(turn + attempts) % len(candidates)]
            attempts += 1
            try:
                async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                                        timeout=aiohttp.ClientTimeout(total=timeout)) as response:
                    body = await response.json() if response.status == 200 else None
                    if body:
                        answer = "\n".join(m.get("text") or "" for m in body)
            except (aiohttp.ClientError, asyncio.TimeoutError):
                alive[url] = False
        apology = answer is not None and answer.startswith(APOLOGY_START)
        results.append({"sender": sender, "turn": turn, "text": text, "seconds": time.perf_counter() - start,
                         "replied": answer is not None and not apology, "apology": apology,
                         "wrong": answer is not None and not apology and expected is not None
                         and fold(expected) not in fold(answer),
                         "attempts": attempts})


async def drive(urls, conversations, turns, kill=None, timeout=60.0, max_seconds=600.0):
    results: list[dict] = []
    alive = {u: True for u in urls}
    connector = aiohttp.TCPConnector(limit=conversations)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        deadline = started + max_seconds
        tasks = [asyncio.create_task(conversation(session, urls, turns, results, alive, timeout, deadline))
                 for _ in range(conversations)]
        if kill:
            total = conversations * turns
            while len(results) < total // 2 and not all(t.done() for t in tasks):
                await asyncio.sleep(0.2)
            kill()
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    return results, elapsed


def summarise(results, elapsed, planned) -> dict:
    seconds = sorted(r["seconds"] for r in results)

    def pct(q):
        return 1000 * statistics.quantiles(seconds, n=100)[q - 1]

    return {"turns_planned": planned, "turns": len(results), "turns_not_sent_in_time": planned - len(results),
            "wall_seconds": elapsed, "throughput_turns_per_s": len(results) / elapsed,
            "p50_ms": 1000 * statistics.median(seconds), "p95_ms": pct(95), "p99_ms": pct(99),
            "replies_lost": sum(not r["replied"] for r in results),
            "apologies": sum(r["apology"] for r in results),
            "wrong_answers": sum(r["wrong"] for r in results),
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


def run_one(model, kb, conversations, turns, workdir: Path, max_seconds: float) -> dict:
    action_port, rasa_port = free_port(), free_port()
    trackers = workdir / "trackers.db"
    endpoints = workdir / "endpoints-one.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://localhost:{action_port}/webhook"\n'
                         f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{trackers}"\n')
    env = base_env(kb)
    actions = start_actions(action_port, workdir / "actions-one.log", env)
    rasa = start_rasa(model, rasa_port, endpoints, workdir / "rasa-one.log", env)
    try:
        results, elapsed = asyncio.run(drive([f"http://localhost:{rasa_port}"], conversations, turns,
                                             max_seconds=max_seconds))
        memory = {"rasa": rss_kib(rasa.pid), "action_server": rss_kib(actions.pid)}
    finally:
        stop(rasa)
        stop(actions)

    def count(senders):
        with sqlite3.connect(trackers) as db:
            rows = db.execute("select sender_id, count(*) from events where type_name = 'user' group by sender_id")
            return {sender: n for sender, n in rows if sender in set(senders)}

    return {**summarise(results, elapsed, conversations * turns), **tracker_counts(results, count),
            "memory_kib": memory}


def run_two(model, kb, conversations, turns, workdir: Path, kill: bool, max_seconds: float) -> dict:
    workdir = workdir / ("two-kill" if kill else "two")
    workdir.mkdir()
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
                                             kill=killer, max_seconds=max_seconds))
        memory = {f"rasa-{i}": rss_kib(p.pid) for i, p in enumerate(replicas) if p.poll() is None}
        memory["action_server"] = rss_kib(actions.pid)
        memory["postgres"] = rss_kib(postgres.process.pid)
        memory["redis"] = rss_kib(redis.process.pid)

        def count(senders):
            rows = psql(postgres, "select sender_id || '|' || count(*) from events where type_name = 'user' "
                                  "group by sender_id")
            counts = dict(row.rsplit("|", 1) for row in rows)
            return {sender: int(n) for sender, n in counts.items() if sender in set(senders)}

        return {**summarise(results, elapsed, conversations * turns), **tracker_counts(results, count),
                "memory_kib": memory,
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
                            ("p99 (ms)", "p99_ms", "{:.0f}"), ("turns sent", "turns", "{}"),
                            ("turns not sent within the time bound", "turns_not_sent_in_time", "{}"),
                            ("replies lost (no answer, or the apology)", "replies_lost", "{}"),
                            ("of which apologies", "apologies", "{}"),
                            ("answers without their expected fact", "wrong_answers", "{}"),
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
    parser.add_argument("--no-kill", action="store_true",
                        help="skip the third run, in which one of the two replicas is killed halfway")
    parser.add_argument("--max-seconds", type=float, default=600,
                        help="time bound of each run; turns not sent by then are reported")
    parser.add_argument("--only", choices=["replicas", "flood"],
                        help="only the replica setups, or only the per-conversation flood scenario")
    args = parser.parse_args()
    if args.only != "replicas":
        import flood

        print("flood of one conversation (bench/flood.py)…", flush=True)
        flood.main([])
    if args.only == "flood":
        return
    import os

    report = {"when": time.strftime("%Y-%m-%d %H:%M"), "conversations": args.conversations, "turns": args.turns,
              "cores": os.cpu_count(), "setups": {}}
    with tempfile.TemporaryDirectory(prefix="load-") as tmp:
        workdir = Path(tmp)
        print("one replica (SQLite)…", flush=True)
        report["setups"]["one replica, SQLite"] = run_one(args.model, args.kb, args.conversations, args.turns,
                                                          workdir, args.max_seconds)
        print("two replicas (PostgreSQL + Redis)…", flush=True)
        report["setups"]["two replicas, PostgreSQL + Redis"] = run_two(
            args.model, args.kb, args.conversations, args.turns, workdir, False, args.max_seconds)
        if not args.no_kill:
            print("two replicas, one killed halfway…", flush=True)
            report["setups"]["two replicas, one killed halfway"] = run_two(
                args.model, args.kb, args.conversations, args.turns, workdir, True, args.max_seconds)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"load-{time.strftime('%Y%m%d-%H%M')}.json").write_text(json.dumps(report, indent=1))
    (ROOT / "bench" / "LOAD.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))


if __name__ == "__main__":
    main()
