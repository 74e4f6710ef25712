"""Loading animation and read marks (channels/line_official.py), through the LINE channel's
event handling and the Messaging API stand-in (the bot itself is a small stand-in here;
tests/line/test_line_official_e2e.py runs the trained one)."""

import asyncio
import uuid

import pytest

from channels.line import LineInput
from channels.line_official import (
    LOADING_PATH,
    MARK_AS_READ_PATH,
    loading_request,
    loading_seconds,
    mark_as_read_enabled,
    mark_as_read_request,
)

from .conftest import ACCESS_TOKEN, CHANNEL_SECRET


def event(source, kind="message", message=None, **fields):
    base = {"type": kind, "mode": "active", "timestamp": 0, "source": source, "webhookEventId": uuid.uuid4().hex,
            "replyToken": uuid.uuid4().hex, **fields}
    if kind == "message":
        base["message"] = message or {"type": "text", "id": "1", "text": "生産性向上の補助金の上限は？",
                                      "markAsReadToken": "read-" + uuid.uuid4().hex}
    return base


def user_source():
    return {"type": "user", "userId": "U" + uuid.uuid4().hex}


def run_event(api, the_event):
    """Handle one event with the channel; the bot answers one text and notes how many
    requests the stand-in had received when it started working."""
    seen_at_work = []

    async def bot(message):
        seen_at_work.append(len(api.requests()))
        await message.output_channel.send_text_message(message.sender_id, "回答です")

    async def run():
        channel = LineInput(CHANNEL_SECRET, ACCESS_TOKEN, api.url)
        try:
            await channel.handle_event(the_event, bot)
        finally:
            await channel.client.close()

    before = len(api.requests())
    asyncio.run(run())
    return api.requests()[before:], seen_at_work[0] - before if seen_at_work else None


# ── the request bodies ───────────────────────────────────────────────────────

def test_loading_is_asked_for_texts_and_postbacks_in_one_to_one_chats_only():
    source = user_source()
    assert loading_request(event(source)) == {"chatId": source["userId"], "loadingSeconds": 20}
    assert loading_request(event(source, "postback", postback={"data": "/ask_contact"}), 30)["loadingSeconds"] == 30
    group = {"type": "group", "groupId": "C" + "a" * 32, "userId": "U" + "b" * 32}
    room = {"type": "room", "roomId": "R" + "a" * 32, "userId": "U" + "b" * 32}
    assert loading_request(event(group)) is None and loading_request(event(room)) is None
    assert loading_request(event(source, message={"type": "sticker", "id": "1"})) is None
    assert loading_request(event(source, "follow")) is None
    assert loading_request(dict(event(source), mode="standby")) is None


@pytest.mark.parametrize("raw, expected", [("5", 5), ("60", 60), ("20", 20), ("7", 20), ("0", 20), ("65", 20),
                                           ("", 20), ("abc", 20)])
def test_loading_seconds_are_five_to_sixty_in_steps_of_five(raw, expected):
    assert loading_seconds(raw) == expected


def test_read_marks_need_the_setting_and_a_token():
    with_token = event(user_source())
    token = with_token["message"]["markAsReadToken"]
    assert mark_as_read_request(with_token, True) == {"markAsReadToken": token}
    assert mark_as_read_request(with_token, False) is None
    without = event(user_source(), message={"type": "text", "id": "1", "text": "こんにちは"})
    assert mark_as_read_request(without, True) is None
    assert mark_as_read_request(event(user_source(), "postback", postback={"data": "/greet"}), True) is None
    assert [mark_as_read_enabled(v) for v in ("true", "TRUE", "1", "yes", "false", "", "0")] == \
        [True, True, True, True, False, False, False]


# ── through the channel and the stand-in ─────────────────────────────────────

def test_the_loading_call_comes_before_the_bot_works_and_before_the_reply(api, monkeypatch):
    monkeypatch.delenv("LINE_MARK_AS_READ", raising=False)
    source = user_source()
    requests, seen_at_work = run_event(api, event(source))
    paths = [r.path for r in requests if r.path != f"/v2/bot/profile/{source['userId']}"]
    assert paths == [LOADING_PATH, "/v2/bot/message/reply"]
    loading = next(r for r in requests if r.path == LOADING_PATH)
    assert loading.status == 200 and not loading.problems
    assert loading.body == {"chatId": source["userId"], "loadingSeconds": 20}
    assert seen_at_work >= 1 + 1  # the loading call (and the profile) had arrived when the bot began


def test_groups_and_rooms_get_no_loading_call(api, monkeypatch):
    monkeypatch.delenv("LINE_MARK_AS_READ", raising=False)
    for source in ({"type": "group", "groupId": "C" + uuid.uuid4().hex, "userId": "U" + uuid.uuid4().hex},
                   {"type": "room", "roomId": "R" + uuid.uuid4().hex, "userId": "U" + uuid.uuid4().hex}):
        requests, _ = run_event(api, event(source))
        assert [r.path for r in requests] == ["/v2/bot/message/reply"]


def test_read_marks_are_sent_with_the_token_only_when_enabled(api, monkeypatch):
    source = user_source()
    monkeypatch.setenv("LINE_MARK_AS_READ", "true")
    the_event = event(source)
    requests, _ = run_event(api, the_event)
    [read] = [r for r in requests if r.path == MARK_AS_READ_PATH]
    assert read.status == 200 and read.body == {"markAsReadToken": the_event["message"]["markAsReadToken"]}
    assert [r.path for r in requests].index(MARK_AS_READ_PATH) < [r.path for r in requests].index(LOADING_PATH)

    # enabled, but an event without a token: nothing
    requests, _ = run_event(api, event(source, message={"type": "text", "id": "2", "text": "こんにちは"}))
    assert MARK_AS_READ_PATH not in [r.path for r in requests]

    # a token, but not enabled: nothing
    monkeypatch.setenv("LINE_MARK_AS_READ", "false")
    requests, _ = run_event(api, event(source))
    assert MARK_AS_READ_PATH not in [r.path for r in requests]
    monkeypatch.delenv("LINE_MARK_AS_READ")
    requests, _ = run_event(api, event(source))
    assert MARK_AS_READ_PATH not in [r.path for r in requests]


def test_a_sticker_is_marked_read_but_gets_no_loading_animation(api, monkeypatch):
    monkeypatch.setenv("LINE_MARK_AS_READ", "true")
    sticker = {"type": "sticker", "id": "1", "packageId": "446", "stickerId": "1988", "markAsReadToken": "tok-1"}
    requests, _ = run_event(api, event(user_source(), message=sticker))
    assert [r.path for r in requests] == [MARK_AS_READ_PATH, "/v2/bot/message/reply"]


def test_a_failing_loading_call_does_not_stop_the_answer(api, monkeypatch):
    monkeypatch.setenv("LINE_LOADING_SECONDS", "20")
    source = {"type": "user", "userId": "X-not-a-user-id"}   # the stand-in refuses it with 400
    requests, _ = run_event(api, event(source))
    loading = next(r for r in requests if r.path == LOADING_PATH)
    assert loading.status == 400
    assert requests[-1].path == "/v2/bot/message/reply" and requests[-1].status == 200
