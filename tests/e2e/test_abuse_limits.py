"""Hold up under abuse (issue 15, part A), against the real servers: one Rasa server with the
REST, LINE (answers to the Messaging API stand-in) and socket.io channels and a SQLite
tracker store, and the action server.

* one conversation sent many messages at once (REST, a LINE group, socket.io): each is
  processed once, none is lost, every caller gets its answer or the busy reply, and an
  answer that comes late is pushed (LINE) or emitted (socket.io);
* request bodies over the limit are refused with 413 before they are read, a body that
  trickles in is cut off, JSON nested too deeply is a 400, metadata is not stored beyond
  what the bot reads, and text that grows under NFKC is refused as too long.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import engineio.payload
import pytest
import requests

from channels.line import signature
from channels.serial import LateAnswers
from knowledge.render import channel_text
from ops.processes import free_port, start_rasa, stop
from tests.line.stand_in import MessagingApiStandIn
from tests.web.test_socketio_session import Socket, run

from .conftest import ACTION_PORT, server_env
from .test_faults import SlowProxy

pytestmark = pytest.mark.slow

SECRET = "abuse-test-channel-secret-0123456789"
TOKEN = "abuse-test-access-token"
ORIGIN = "http://localhost:8000"
APOLOGY_START = "申し訳ありません。ただいまシステムの不具合"
BUSY = channel_text("busy")
TEXTS = ["こんにちは", "ありがとう"]
REPLY_TIMEOUT = 3


@pytest.fixture(scope="module")
def bot(trained_model, action_server, kb_path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("abuse")
    api = MessagingApiStandIn(free_port(), TOKEN).start()
    # the action server behind a proxy that can hold each call: a flood then surely has
    # callers waiting behind others longer than the reply timeout
    proxy = SlowProxy(f"http://localhost:{ACTION_PORT}")
    trackers = folder / "trackers.db"
    endpoints = folder / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://localhost:{proxy.port}/webhook"\n'
                         f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{trackers}"\n')
    credentials = folder / "credentials.yml"
    credentials.write_text("channels.resilience.ResilientRestInput:\n"
                           f'channels.line.LineInput:\n  channel_secret: "{SECRET}"\n'
                           f'  access_token: "{TOKEN}"\n  api_endpoint: "{api.url}"\n'
                           "channels.resilience.ResilientSocketIOInput:\n  user_message_evt: user_uttered\n"
                           "  bot_message_evt: bot_uttered\n  session_persistence: true\n")
    port = free_port()
    log = folder / "rasa.log"
    env = server_env(kb_path)
    env["BOT_CORS_ORIGINS"] = ORIGIN
    # a short wait before the busy reply, so that a flood surely has callers waiting behind others
    env["BOT_REPLY_TIMEOUT_SECONDS"] = str(REPLY_TIMEOUT)
    rasa = start_rasa(trained_model, port, endpoints, log, env, credentials=str(credentials))
    url = f"http://localhost:{port}"
    try:
        # the first turn warms the pipeline up
        requests.post(f"{url}/webhooks/rest/webhook", json={"sender": "warm-up", "message": "こんにちは"}, timeout=120)
        yield {"url": url, "port": port, "api": api, "trackers": trackers, "log": log, "proxy": proxy}
    finally:
        stop(rasa)
        api.stop()
        proxy.close()


@pytest.fixture
def slow_turns(bot):
    """Each action server call held 0.25 s: the turns of a flood of 50 take over 12 s."""
    bot["proxy"].delay = 0.25
    yield bot
    bot["proxy"].delay = 0.0


def user_texts(trackers: Path, sender: str) -> list[str]:
    """The texts of the conversation's user events in the tracker store, in order."""
    with sqlite3.connect(trackers) as db:
        rows = db.execute("select data from events where sender_id = ? and type_name = 'user' order by id",
                          (sender,)).fetchall()
    return [json.loads(data).get("text") for (data,) in rows]


def bot_turns(trackers: Path, sender: str) -> int:
    """How many of the conversation's messages have been answered (bot utterances stored)."""
    with sqlite3.connect(trackers) as db:
        return db.execute("select count(*) from events where sender_id = ? and type_name = 'bot'",
                          (sender,)).fetchone()[0]


def stored_bytes(trackers: Path, sender: str) -> int:
    with sqlite3.connect(trackers) as db:
        return db.execute("select coalesce(sum(length(data)), 0) from events where sender_id = ?",
                          (sender,)).fetchone()[0]


def wait_until(condition, timeout: float, every: float = 1.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    return condition()


def rest(bot, body, **kwargs):
    return requests.post(f"{bot['url']}/webhooks/rest/webhook", json=body, timeout=kwargs.pop("timeout", 120),
                         **kwargs)


# ── one conversation, many messages ──────────────────────────────────────────

def test_a_flood_from_one_rest_sender_loses_nothing_and_keeps_the_order(bot, slow_turns):
    sender = f"flood-{uuid.uuid4().hex}"
    waves, per_wave = 12, 5   # 60 messages; the waves 0.25 s apart, so their order is known
    texts = [[f"{TEXTS[(w + i) % 2]}（{w:02d}-{i}）" for i in range(per_wave)] for w in range(waves)]

    def send(text):
        return rest(bot, {"sender": sender, "message": text})

    with ThreadPoolExecutor(max_workers=waves * per_wave) as pool:
        futures = []
        for wave in texts:
            futures += [pool.submit(send, text) for text in wave]
            time.sleep(0.25)
        answers = [f.result() for f in futures]
    assert [a.status_code for a in answers] == [200] * len(answers)
    replies = ["\n".join(m.get("text") or "" for m in a.json()) for a in answers]
    assert all(replies), "a caller got no reply"
    assert not [r for r in replies if r.startswith(APOLOGY_START)], "a caller got the system-fault apology"
    assert any(BUSY in r for r in replies) and any(BUSY not in r for r in replies)
    everything = [t for wave in texts for t in wave]
    stored = wait_until(lambda: len(user_texts(bot["trackers"], sender)) >= len(everything) and
                        user_texts(bot["trackers"], sender), timeout=300)
    stored = user_texts(bot["trackers"], sender)
    assert sorted(stored) == sorted(everything)   # each message once, none lost
    waves_in_order = [int(text.split("（")[1][:2]) for text in stored]
    assert waves_in_order == sorted(waves_in_order)
    log = bot["log"].read_text(errors="replace")
    assert "LockError" not in log and "Task exception was never retrieved" not in log
    # the answers of the callers told to wait come with the sender's next request, first
    busy = sum(BUSY in r for r in replies)
    # (every message answered first: under load the last answers may still be on their way)
    wait_until(lambda: bot_turns(bot["trackers"], sender) >= len(everything), timeout=120)
    time.sleep(1)
    follow_up = rest(bot, {"sender": sender, "message": "ありがとう"}).json()
    texts = [m.get("text") or "" for m in follow_up]
    # (at most LateAnswers' bound of messages are kept for one conversation)
    kept = min(busy, LateAnswers().max_messages)
    assert len(texts) >= kept + 1 and not [t for t in texts if BUSY in t or t.startswith(APOLOGY_START)]


def line_post(bot, events):
    body = json.dumps({"destination": "Ubot", "events": events}, ensure_ascii=False).encode()
    return requests.post(f"{bot['url']}/webhooks/line/webhook", data=body, timeout=30,
                         headers={"Content-Type": "application/json", "X-Line-Signature": signature(SECRET, body)})


def line_event(source, text):
    return {"type": "message", "mode": "active", "timestamp": int(time.time() * 1000), "source": source,
            "webhookEventId": uuid.uuid4().hex.upper()[:26], "deliveryContext": {"isRedelivery": False},
            "replyToken": uuid.uuid4().hex, "message": {"type": "text", "id": uuid.uuid4().hex, "text": text}}


def test_a_flood_in_one_line_group_answers_every_message(bot, slow_turns):
    group = "C" + uuid.uuid4().hex
    source = {"type": "group", "groupId": group, "userId": "U" + uuid.uuid4().hex}
    events = [line_event(source, TEXTS[i % 2]) for i in range(50)]
    tokens = {e["replyToken"] for e in events}
    with ThreadPoolExecutor(max_workers=len(events)) as pool:
        statuses = list(pool.map(lambda e: line_post(bot, [e]).status_code, events))
    assert statuses == [200] * len(events)
    api = bot["api"]

    def mine(record):
        body = record.body or {}
        return body.get("replyToken") in tokens or body.get("to") == group

    stored = wait_until(lambda: len(user_texts(bot["trackers"], "line:" + group)) >= len(events), timeout=300)
    assert stored, f"{len(user_texts(bot['trackers'], 'line:' + group))} of {len(events)} messages stored"
    replies = api.wait_for(lambda r: mine(r) and r.path.endswith("/reply"), count=len(events), timeout=60)
    assert {r.body["replyToken"] for r in replies} == tokens   # every event answered with its token
    busy = sum(BUSY in "\n".join(r.texts) for r in replies)
    assert busy > 0   # the flood had events waiting behind others: their answers are pushed
    # every busy reply's answer comes by push
    pushes = api.wait_for(lambda r: mine(r) and r.path.endswith("/push"), count=busy, timeout=120)
    sent = replies + pushes
    assert all(r.status == 200 and not r.problems for r in sent)
    assert not [r for r in sent if "\n".join(r.texts).startswith(APOLOGY_START)]
    answers = [r for r in sent if BUSY not in "\n".join(r.texts)]
    assert len(answers) >= len(events)
    assert len(user_texts(bot["trackers"], "line:" + group)) == len(events)


def test_a_flood_in_one_socketio_session_answers_every_message(bot, slow_turns, monkeypatch):
    count = 50
    # the test's client: engine.io's long-polling client refuses a poll holding more than 16
    # packets (the answers of a flood arrive together); the web widget uses a websocket
    monkeypatch.setattr(engineio.payload.Payload, "max_decode_packets", 10 * count)

    async def scenario():
        client = await Socket().connect(bot["url"], ORIGIN)
        session = await client.session(f"sio-{uuid.uuid4().hex}")
        for batch in range(0, count, 5):   # engine.io's long-polling takes at most 16 packets a request
            await asyncio.gather(*(client.say(session, TEXTS[i % 2]) for i in range(batch, batch + 5)))
            await asyncio.sleep(0.03)
        received = []
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            try:
                received.append(await asyncio.wait_for(client.answers.get(), 30))
            except asyncio.TimeoutError:
                break
            answered = [m for m in received if BUSY not in (m.get("text") or "")]
            if len(answered) >= count and len(user_texts(bot["trackers"], session)) >= count:
                break
        await client.close()
        return session, received

    session, received = run(scenario())
    texts = [m.get("text") or "" for m in received]
    assert not [t for t in texts if t.startswith(APOLOGY_START)]
    stored = len(user_texts(bot["trackers"], session))
    counts = f"{len(texts)} received, {sum(BUSY in t for t in texts)} busy, {stored} stored"
    assert any(BUSY in t for t in texts), counts   # some waited behind others…
    assert len([t for t in texts if BUSY not in t]) >= count, counts   # …and every message got its own answer
    assert stored == count, counts


# ── limits before work ───────────────────────────────────────────────────────

def test_bodies_over_64_kib_are_refused_with_413(bot):
    sender = f"big-{uuid.uuid4().hex}"
    response = rest(bot, {"sender": sender, "message": "補助金" * 30_000})   # 270 KB
    assert response.status_code == 413
    chunked = requests.post(f"{bot['url']}/webhooks/rest/webhook", timeout=60,
                            data=iter([b'{"sender": "' + sender.encode() + b'", "message": "', b"a" * 100_000, b'"}']),
                            headers={"Content-Type": "application/json"})
    assert chunked.status_code == 413
    assert user_texts(bot["trackers"], sender) == []
    assert rest(bot, {"sender": sender, "message": "こんにちは"}).status_code == 200


def test_large_bodies_are_refused_while_a_normal_user_is_answered(bot):
    big = json.dumps({"sender": "big", "message": "生産性向上の補助金" * 400_000}, ensure_ascii=False).encode()
    normal = f"normal-{uuid.uuid4().hex}"

    def attack():
        try:
            return requests.post(f"{bot['url']}/webhooks/rest/webhook", data=big, timeout=60,
                                 headers={"Content-Type": "application/json"}).status_code
        except requests.ConnectionError:
            return "closed"   # refused before the client finished sending

    with ThreadPoolExecutor(max_workers=10) as pool:
        attacks = [pool.submit(attack) for _ in range(10)]
        answer = rest(bot, {"sender": normal, "message": "生産性向上の補助金の上限は？"})
        statuses = [a.result() for a in attacks]
    assert set(statuses) <= {413, "closed"}
    assert answer.status_code == 200 and "500万円" in "\n".join(m.get("text") or "" for m in answer.json())


def test_line_allows_up_to_1_mib_and_refuses_more(bot):
    source = {"type": "user", "userId": "U" + uuid.uuid4().hex}
    padding = "x" * 500_000
    event = line_event(source, "こんにちは")
    event["message"]["padding"] = padding   # unknown fields are kept by LINE's own format rules
    assert line_post(bot, [event]).status_code == 200
    event = line_event(source, "こんにちは")
    event["message"]["padding"] = padding * 3
    assert line_post(bot, [event]).status_code == 413


def test_a_body_that_trickles_in_is_cut_off(bot):
    """One byte every 2 s: the body is never complete; the server answers 408 and closes."""
    with socket.create_connection(("127.0.0.1", bot["port"]), timeout=5) as conn:
        conn.sendall(b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: localhost\r\n"
                     b"Content-Type: application/json\r\nContent-Length: 200\r\n\r\n")
        started = time.monotonic()
        answer, closed = b"", False
        conn.settimeout(2)
        while not closed and time.monotonic() - started < 60:
            try:
                conn.sendall(b" ")
                chunk = conn.recv(4096)
                answer += chunk
                closed = not chunk
            except TimeoutError:
                continue
            except OSError:
                closed = True
        elapsed = time.monotonic() - started
    assert closed, f"the connection was still open after {elapsed:.0f} s"
    assert elapsed < 30
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408"), answer[:100]


def test_json_nested_too_deeply_is_a_400(bot):
    sender = f"deep-{uuid.uuid4().hex}"
    deep = '{"x": ' * 990 + '{"language": "ja"}' + "}" * 990
    body = f'{{"sender": "{sender}", "message": "こんにちは", "metadata": {deep}}}'.encode()
    response = requests.post(f"{bot['url']}/webhooks/rest/webhook", data=body, timeout=60,
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert user_texts(bot["trackers"], sender) == []


def test_line_json_nested_too_deeply_is_a_400(bot):
    body = ('{"events": ' + "[" * 5000 + "]" * 5000 + "}").encode()
    response = requests.post(f"{bot['url']}/webhooks/line/webhook", data=body, timeout=30,
                             headers={"Content-Type": "application/json", "X-Line-Signature": signature(SECRET, body)})
    assert response.status_code == 400
    assert requests.get(f"{bot['url']}/", timeout=10).status_code == 200


def test_metadata_keeps_only_what_the_bot_reads(bot):
    sender = f"meta-{uuid.uuid4().hex}"
    marker = "metadata-marker-" + uuid.uuid4().hex
    rest(bot, {"sender": sender, "message": "こんにちは"})
    before = stored_bytes(bot["trackers"], sender)
    response = rest(bot, {"sender": sender, "message": "こんにちは",
                          "metadata": {"language": "en", "note": marker * 1000, "nested": {"a": [1, 2, {"b": 3}]}}})
    assert response.status_code == 200 and response.json()
    with sqlite3.connect(bot["trackers"]) as db:
        [(data,)] = db.execute("select data from events where sender_id = ? and type_name = 'user' "
                               "order by id desc limit 1", (sender,)).fetchall()
    metadata = json.loads(data).get("metadata")
    # what the client sent, only the language is kept (Rasa adds its own assistant and model ids)
    assert metadata["language"] == "en" and set(metadata) <= {"language", "assistant_id", "model_id"}
    assert marker not in data
    assert stored_bytes(bot["trackers"], sender) - before < 2 * before


def test_text_that_grows_under_nfkc_is_refused_as_too_long(bot):
    response = rest(bot, {"sender": f"nfkc-{uuid.uuid4().hex}", "message": "\ufdfa" * 2000})
    assert response.status_code == 200
    text = "\n".join(m.get("text") or "" for m in response.json())
    assert "長すぎます" in text


def test_a_socketio_packet_over_64_kib_is_refused(bot):
    async def scenario():
        client = await Socket().connect(bot["url"], ORIGIN)
        session = await client.session(f"sio-big-{uuid.uuid4().hex}")
        await client.say(session, "補助金" * 30_000)   # 90,000 characters, over 64 KiB as a packet
        try:
            answer = await asyncio.wait_for(client.answers.get(), 10)
        except asyncio.TimeoutError:
            answer = None
        await client.close()
        return session, answer

    session, answer = run(scenario())
    assert answer is None   # refused by engine.io (413), not read into a message
    assert user_texts(bot["trackers"], session) == []
