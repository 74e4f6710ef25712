"""Flood scenario of the load benchmark: one conversation sent many messages at once, and
oversized requests, while a normal user talks to the bot (issue 15).

    .venv/bin/python bench/flood.py [--messages 100] [--line-messages 80] [--big-bodies 20]

(or ``bench/load.py --only flood``, ``make load-flood``). One Rasa server (embedded
profile: SQLite tracker store, the REST and LINE channels; LINE answers go to the
Messaging API stand-in of tests/line) and one action server, on loopback. Measured, in
that order:

* **REST flood:** ``--messages`` concurrent messages from one sender. Per request: a real
  answer, the busy reply, the apology, or nothing; then (after the bot has settled) the
  user events of that sender in the tracker store. Messages lost = sent − stored.
* **LINE group flood:** ``--line-messages`` webhook requests at once, one text event each,
  from one group. Counted at the stand-in: replies and pushes, and how many of them carry
  a real answer (not the busy reply or the apology). Answers lost = sent − answers.
* **Large bodies:** ``--big-bodies`` concurrent 10 MB REST bodies; their status codes, and
  Rasa's peak memory.
* **Metadata:** one REST request with 10 MB of metadata; the bytes the tracker store
  gained for its conversation.

During each attack a normal user (another sender) asks a few questions in turn; their
latency is reported. Also the log lines of Rasa that mention LockError, an unretrieved task
exception, or ERROR. Numbers are measured, never asserted. Results:
bench/results/flood-*.json and bench/FLOOD.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from channels.line import signature  # noqa: E402
from knowledge.render import channel_text  # noqa: E402
from ops.processes import base_env, free_port, rss_kib, start_actions, start_rasa, stop  # noqa: E402
from tests.line.stand_in import MessagingApiStandIn  # noqa: E402

SECRET = "flood-bench-channel-secret-0123456789"
TOKEN = "flood-bench-access-token"
APOLOGY_START = "申し訳ありません。ただいまシステムの不具合"
BUSY = channel_text("busy")
FLOOD_TEXTS = ["生産性向上の補助金について教えて", "上限は？", "電話番号は？", "予算は？", "こんにちは",
               "男性育休の奨励金はいくら？", "創業したい", "ありがとう"]
NORMAL_TEXTS = ["生産性向上の補助金について教えて", "上限は？", "電話番号は？", "こんにちは", "予算は？"]


def kind_of(texts: list[str]) -> str:
    joined = "\n".join(texts)
    if not texts:
        return "nothing"
    if joined.startswith(APOLOGY_START):
        return "apology"
    if BUSY in joined:
        return "busy"
    return "answer"


async def post_rest(session, url, sender, message, metadata=None, timeout=120.0, data=None):
    started = time.perf_counter()
    body = {"sender": sender, "message": message}
    if metadata is not None:
        body["metadata"] = metadata
    try:
        kwargs = {"data": data, "headers": {"Content-Type": "application/json"}} if data is not None \
            else {"json": body}
        async with session.post(f"{url}/webhooks/rest/webhook", timeout=aiohttp.ClientTimeout(total=timeout),
                                **kwargs) as response:
            answer = await response.json(content_type=None) if response.status == 200 else None
            status = response.status
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError, OSError) as error:
        # OSError: ConnectionError, when the server refuses a body before it is all sent
        answer, status = None, type(error).__name__
    texts = [m.get("text") or "" for m in answer] if isinstance(answer, list) else []
    return {"status": status, "kind": kind_of(texts) if status == 200 else "refused",
            "seconds": time.perf_counter() - started}


async def normal_user(session, url, stop_event: asyncio.Event, results: list):
    """Another user asking questions one after the other while the attack lasts."""
    sender = f"normal-{uuid.uuid4().hex}"
    turn = 0
    while not stop_event.is_set() or turn < 3:
        results.append(await post_rest(session, url, sender, NORMAL_TEXTS[turn % len(NORMAL_TEXTS)], timeout=60))
        turn += 1
        if turn >= 20:
            break


def latency(results: list) -> dict:
    seconds = [r["seconds"] for r in results]
    return {"normal_user_turns": len(results),
            "normal_user_p50_ms": round(1000 * statistics.median(seconds)) if seconds else None,
            "normal_user_max_ms": round(1000 * max(seconds)) if seconds else None,
            "normal_user_not_answered": sum(r["kind"] != "answer" for r in results)}


def user_events(trackers: Path, sender: str) -> tuple[int, int]:
    """(user events, bytes of all events) of one conversation in the tracker store."""
    with sqlite3.connect(trackers) as db:
        users = db.execute("select count(*) from events where sender_id = ? and type_name = 'user'",
                           (sender,)).fetchone()[0]
        size = db.execute("select coalesce(sum(length(data)), 0) from events where sender_id = ?",
                          (sender,)).fetchone()[0]
    return users, size


def settle(trackers: Path, sender: str, expected: int, limit: float = 240) -> int:
    """Wait until the conversation's user events stop growing (or reach ``expected``)."""
    deadline, last, quiet = time.time() + limit, -1, 0
    while time.time() < deadline:
        count = user_events(trackers, sender)[0]
        if count >= expected:
            return count
        quiet = quiet + 1 if count == last else 0
        if quiet >= 15:   # 15 s without a new user event
            return count
        last = count
        time.sleep(1)
    return user_events(trackers, sender)[0]


async def attack(url, coroutines_factory):
    """Run the attack's requests at once while a normal user talks; both results."""
    normal: list = []
    done = asyncio.Event()
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        user = asyncio.create_task(normal_user(session, url, done, normal))
        await asyncio.sleep(0.2)
        results = await asyncio.gather(*coroutines_factory(session))
        done.set()
        await user
    return list(results), normal


def rest_flood(url, trackers, messages: int) -> dict:
    sender = f"flood-{uuid.uuid4().hex}"
    results, normal = asyncio.run(attack(url, lambda s: [
        post_rest(s, url, sender, FLOOD_TEXTS[i % len(FLOOD_TEXTS)]) for i in range(messages)]))
    stored = settle(trackers, sender, messages)
    kinds = {k: sum(r["kind"] == k for r in results) for k in ("answer", "busy", "apology", "nothing", "refused")}
    return {"messages": messages, "replies": kinds, "user_events_stored": stored,
            "messages_lost": messages - stored,
            "caller_max_ms": round(1000 * max(r["seconds"] for r in results)), **latency(normal)}


def line_flood(url, trackers, api: MessagingApiStandIn, messages: int) -> dict:
    group = "C" + uuid.uuid4().hex
    source = {"type": "group", "groupId": group, "userId": "U" + uuid.uuid4().hex}
    tokens = []

    async def post(session, i):
        token = uuid.uuid4().hex
        tokens.append(token)
        event = {"type": "message", "mode": "active", "timestamp": int(time.time() * 1000), "source": source,
                 "webhookEventId": uuid.uuid4().hex.upper()[:26], "deliveryContext": {"isRedelivery": False},
                 "replyToken": token, "message": {"type": "text", "id": str(i),
                                                   "text": FLOOD_TEXTS[i % len(FLOOD_TEXTS)]}}
        body = json.dumps({"destination": "Ubot", "events": [event]}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", "X-Line-Signature": signature(SECRET, body)}
        async with session.post(f"{url}/webhooks/line/webhook", data=body, headers=headers) as response:
            return {"status": response.status, "kind": "answer", "seconds": 0}

    results, normal = asyncio.run(attack(url, lambda s: [post(s, i) for i in range(messages)]))
    stored = settle(trackers, "line:" + group, messages)
    time.sleep(5)   # the last answers on their way to the stand-in
    mine = api.requests(lambda r: (r.body or {}).get("replyToken") in tokens or (r.body or {}).get("to") == group)
    kinds = [kind_of(r.texts) for r in mine if r.status == 200]
    answers = kinds.count("answer")
    return {"messages": messages, "webhook_statuses": sorted({r["status"] for r in results}),
            "replies": sum(r.path.endswith("/reply") for r in mine),
            "pushes": sum(r.path.endswith("/push") for r in mine),
            "answers_delivered": answers, "busy_replies": kinds.count("busy"), "apologies": kinds.count("apology"),
            "user_events_stored": stored, "answers_lost": messages - answers, **latency(normal)}


def big_bodies(url, rasa_pid, count: int) -> dict:
    peak = [rss_kib(rasa_pid)]
    watching = threading.Event()

    def watch():
        while not watching.is_set():
            peak.append(rss_kib(rasa_pid))
            time.sleep(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    body = json.dumps({"sender": "big", "message": "生産性向上の補助金" * (10 * 1024 * 1024 // 27)},
                      ensure_ascii=False).encode()
    results, normal = asyncio.run(attack(url, lambda s: [
        post_rest(s, url, f"big-{uuid.uuid4().hex}", "", data=body) for _ in range(count)]))
    watching.set()
    watcher.join()
    return {"bodies": count, "body_mib": round(len(body) / 2**20, 1),
            "statuses": {str(s): sum(r["status"] == s for r in results) for s in {r["status"] for r in results}},
            "rasa_peak_mib": round(max(peak) / 1024), **latency(normal)}


def metadata_growth(url, trackers) -> dict:
    sender = f"meta-{uuid.uuid4().hex}"

    async def run():
        async with aiohttp.ClientSession() as session:
            plain = await post_rest(session, url, sender, "こんにちは")
            size_before = user_events(trackers, sender)[1]
            big = await post_rest(session, url, sender, "こんにちは", metadata={"x": "a" * (10 * 1024 * 1024)})
            return plain, size_before, big

    plain, before, big = asyncio.run(run())
    time.sleep(2)
    after = user_events(trackers, sender)[1]
    return {"status": big["status"], "answer": big["kind"], "tracker_bytes_one_plain_turn": before,
            "tracker_bytes_gained_by_10_mib_metadata_turn": after - before}


def log_lines(log: Path) -> dict:
    text = log.read_text(errors="replace")
    return {"LockError": text.count("LockError"), "task exception never retrieved":
            text.count("Task exception was never retrieved"),
            "ERROR lines": sum(" ERROR " in line or line.startswith("ERROR") for line in text.splitlines()),
            "log_bytes": len(text.encode())}


def run_flood(model, kb, workdir: Path, messages=100, line_messages=80, bodies=20) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    action_port, rasa_port, api_port = free_port(), free_port(), free_port()
    api = MessagingApiStandIn(api_port, TOKEN).start()
    trackers = workdir / "trackers.db"
    endpoints = workdir / "endpoints-flood.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://localhost:{action_port}/webhook"\n'
                         f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{trackers}"\n')
    credentials = workdir / "credentials-flood.yml"
    credentials.write_text("channels.resilience.ResilientRestInput:\nchannels.line.LineInput:\n"
                           f'  channel_secret: "{SECRET}"\n  access_token: "{TOKEN}"\n'
                           f'  api_endpoint: "{api.url}"\n')
    env = base_env(kb)
    actions = start_actions(action_port, workdir / "actions-flood.log", env)
    log = workdir / "rasa-flood.log"
    rasa = start_rasa(model, rasa_port, endpoints, log, env, credentials=str(credentials))
    url = f"http://localhost:{rasa_port}"
    report: dict = {}
    try:
        asyncio.run(warm_up(url))
        print("  REST flood…", flush=True)
        report["rest_flood"] = rest_flood(url, trackers, messages)
        print("  LINE group flood…", flush=True)
        report["line_flood"] = line_flood(url, trackers, api, line_messages)
        print("  large bodies…", flush=True)
        report["large_bodies"] = big_bodies(url, rasa.pid, bodies)
        print("  metadata…", flush=True)
        report["metadata"] = metadata_growth(url, trackers)
        report["log_lines"] = log_lines(log)
    finally:
        stop(rasa)
        stop(actions)
        api.stop()
    return report


async def warm_up(url):
    async with aiohttp.ClientSession() as session:
        await post_rest(session, url, "warm-up", "こんにちは")


def markdown(report: dict) -> str:
    lines = [f"# Flood benchmark {report['when']}", "", f"{report['cores']} cores, loopback.", ""]
    for section, values in report["flood"].items():
        lines.append(f"## {section}")
        lines.extend(f"- {key}: {value}" for key, value in values.items())
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--line-messages", type=int, default=80)
    parser.add_argument("--big-bodies", type=int, default=20)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "current.tar.gz")
    parser.add_argument("--kb", type=Path, default=ROOT / "build" / "knowledge.db")
    parser.add_argument("--label", default="", help="a word for the results file name (e.g. before, after)")
    args = parser.parse_args(argv)
    report = {"when": time.strftime("%Y-%m-%d %H:%M"), "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="flood-") as tmp:
        report["flood"] = run_flood(args.model, args.kb, Path(tmp), args.messages, args.line_messages,
                                    args.big_bodies)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    suffix = f"-{args.label}" if args.label else ""
    (out / f"flood-{time.strftime('%Y%m%d-%H%M')}{suffix}.json").write_text(json.dumps(report, indent=1))
    (ROOT / "bench" / f"FLOOD{suffix.upper()}.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))


if __name__ == "__main__":
    main()
