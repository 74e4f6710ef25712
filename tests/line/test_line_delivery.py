"""Sending through the Messaging API stand-in: reply first, push for the rest or on failure."""

import asyncio
import socket
import uuid

from channels.line import LineClient, line_length, to_line_messages

from .conftest import ACCESS_TOKEN


def deliver(endpoint, to, token, messages, access_token=ACCESS_TOKEN):
    async def run():
        client = LineClient(access_token, endpoint)
        try:
            return await client.deliver(to, token, messages)
        finally:
            await client.close()

    return asyncio.run(run())


def owned_by(to, token):
    body = lambda r: r.body or {}  # noqa: E731
    return lambda r: (token is not None and body(r).get("replyToken") == token) or body(r).get("to") == to


def test_a_very_long_answer_goes_five_by_reply_and_the_rest_by_push(api):
    to, token = "U" + uuid.uuid4().hex, uuid.uuid4().hex
    paragraph = "\n".join("・" + "補助対象経費の説明" * 10 for _ in range(50))  # ~4,600 characters
    answer = "\n".join([paragraph] * 6)
    messages = to_line_messages([{"text": answer, "buttons": [{"title": "問い合わせ先", "payload": "/ask_contact"}]}])
    assert len(messages) == 6

    assert deliver(api.url, to, token, messages)
    reply, push = api.wait_for(owned_by(to, token), count=2)
    assert reply.path == "/v2/bot/message/reply" and reply.status == 200 and reply.body["replyToken"] == token
    assert push.path == "/v2/bot/message/push" and push.status == 200 and push.body["to"] == to
    assert len(reply.body["messages"]) == 5 and len(push.body["messages"]) == 1
    assert reply.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
    texts = reply.texts + push.texts
    assert all(line_length(t) <= 5000 for t in texts) and "\n".join(texts) == answer
    assert push.body["messages"][-1]["quickReply"]["items"][0]["action"]["data"] == "/ask_contact"
    assert not reply.problems and not push.problems


def test_a_failing_reply_sends_everything_by_push(api):
    api.fail_replies = True
    to, token = "U" + uuid.uuid4().hex, uuid.uuid4().hex
    messages = [{"type": "text", "text": f"回答{i}"} for i in range(7)]
    assert deliver(api.url, to, token, messages)
    reply, *pushes = api.wait_for(owned_by(to, token), count=3)
    assert reply.path.endswith("/reply") and reply.status == 400
    assert [p.path for p in pushes] == ["/v2/bot/message/push"] * 2
    assert sum((p.texts for p in pushes), []) == [f"回答{i}" for i in range(7)]


def test_a_used_reply_token_is_refused_so_the_second_answer_is_pushed(api):
    to, token = "U" + uuid.uuid4().hex, uuid.uuid4().hex
    assert deliver(api.url, to, token, [{"type": "text", "text": "一回目"}])
    assert deliver(api.url, to, token, [{"type": "text", "text": "二回目"}])
    records = api.wait_for(owned_by(to, token), count=3)
    assert [(r.path.rsplit("/", 1)[1], r.status) for r in records] == [("reply", 200), ("reply", 400), ("push", 200)]
    assert records[2].texts == ["二回目"]


def test_without_a_reply_token_it_pushes(api):
    to = "C" + uuid.uuid4().hex
    assert deliver(api.url, to, None, [{"type": "text", "text": "お知らせ"}])
    [push] = api.wait_for(owned_by(to, None), count=1)
    assert push.path.endswith("/push") and push.body["to"] == to


def test_a_wrong_access_token_or_unreachable_api_fails_without_raising(api):
    to, token = "U" + uuid.uuid4().hex, uuid.uuid4().hex
    assert not deliver(api.url, to, token, [{"type": "text", "text": "x"}], access_token="wrong")
    assert [r.status for r in api.wait_for(owned_by(to, token), count=2)] == [401, 401]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    assert not deliver(f"http://127.0.0.1:{closed_port}", to, token, [{"type": "text", "text": "x"}])
