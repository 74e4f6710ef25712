"""The LINE channel's pure parts: signatures, splitting, quick replies, de-duplication,
settings from credentials.yml and the environment."""

import asyncio
import base64
import hashlib
import hmac

import pytest
from rasa.core.run import create_http_input_channels

from channels.line import (
    LineInput,
    RecentIds,
    conversation_id,
    line_length,
    pack,
    quick_reply,
    shorten,
    signature,
    split_text,
    to_line_messages,
    valid_signature,
)

from .conftest import LINE_CREDENTIALS

SECRET = "0123456789abcdef0123456789abcdef"


# ── signatures ────────────────────────────────────────────────────────────────

def test_signature_is_base64_hmac_sha256_of_the_raw_body():
    body = b'{"destination":"U1","events":[]}'
    expected = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()
    assert signature(SECRET, body) == expected
    assert valid_signature(SECRET, body, expected)


@pytest.mark.parametrize("header", [None, "", "not-base64", "AAAA", signature("another secret", b"{}")])
def test_wrong_or_missing_signatures_are_refused(header):
    assert not valid_signature(SECRET, b"{}", header)


def test_a_changed_body_breaks_the_signature():
    header = signature(SECRET, b'{"text":"a"}')
    assert not valid_signature(SECRET, b'{"text":"b"}', header)


# ── splitting long answers ────────────────────────────────────────────────────

def test_short_text_is_one_piece():
    assert split_text("生産性向上の補助金\n上限は500万円です。") == ["生産性向上の補助金\n上限は500万円です。"]


def test_long_text_is_cut_at_line_breaks_within_the_limit():
    lines = [f"{i:03d}行目：" + "あ" * 40 for i in range(300)]  # 300 lines of 46 characters
    pieces = split_text("\n".join(lines), limit=1000)
    assert all(line_length(p) <= 1000 for p in pieces)
    assert "\n".join(pieces) == "\n".join(lines)  # nothing lost, nothing cut inside a line
    assert [len(p.split("\n")) for p in pieces] == [21] * 14 + [6]  # as many whole lines as fit


def test_a_line_longer_than_the_limit_is_cut_after_a_sentence_then_hard():
    sentence = "これは説明の文です。"  # 10 characters
    pieces = split_text(sentence * 30, limit=95)
    assert all(line_length(p) <= 95 for p in pieces)
    assert all(p.endswith("。") for p in pieces)
    assert "".join(pieces) == sentence * 30
    hard = split_text("あ" * 250, limit=100)
    assert [len(p) for p in hard] == [100, 100, 50]


def test_limit_counts_utf16_units_so_emoji_never_overflow():
    text = "😀" * 3000  # 6000 UTF-16 units
    pieces = split_text(text, limit=5000)
    assert [line_length(p) for p in pieces] == [5000, 1000]
    assert "".join(pieces) == text


def test_blank_lines_at_cuts_and_empty_texts_disappear():
    assert split_text("\n\n") == []
    assert split_text("あ" * 10 + "\n\n\n" + "い" * 10, limit=12) == ["あ" * 10, "い" * 10]


# ── quick replies ─────────────────────────────────────────────────────────────

def test_intent_payloads_become_postbacks_and_texts_become_messages():
    reply = quick_reply([
        {"title": "セレクト神奈川ＮＥＸＴ第２ステージ融資事業費補助", "payload": '/choose_program{"program":"x"}'},
        {"title": "生産性向上の補助金", "payload": "生産性向上の補助金について教えて"},
    ])
    postback, message = (item["action"] for item in reply["items"])
    assert postback == {"type": "postback", "label": "セレクト神奈川ＮＥＸＴ第２ステージ融資…",
                        "data": '/choose_program{"program":"x"}',
                        "displayText": "セレクト神奈川ＮＥＸＴ第２ステージ融資事業費補助"}
    assert message == {"type": "message", "label": "生産性向上の補助金", "text": "生産性向上の補助金について教えて"}
    assert all(item["type"] == "action" for item in reply["items"])


def test_labels_are_at_most_20_characters():
    assert shorten("あ" * 20) == "あ" * 20
    assert shorten("あ" * 21) == "あ" * 19 + "…"
    assert line_length(shorten("😀" * 15)) <= 20


def test_at_most_13_items_without_duplicates_or_oversized_payloads():
    buttons = [{"title": f"事業{i}", "payload": f"/choose_program{{\"program\":\"p{i}\"}}"} for i in range(20)]
    buttons.insert(1, dict(buttons[0]))
    buttons.insert(2, {"title": "長すぎる", "payload": "x" * 301})
    items = quick_reply(buttons)["items"]
    assert len(items) == 13
    assert [i["action"]["label"] for i in items] == [f"事業{i}" for i in range(13)]


def test_no_buttons_no_quick_reply():
    assert quick_reply([]) is None
    assert quick_reply([{"title": "", "payload": ""}]) is None


# ── bot messages to LINE messages ─────────────────────────────────────────────

def test_buttons_ride_on_the_last_message_of_the_turn():
    messages = to_line_messages([
        {"text": "回答です。"},
        {"text": "次にどうしますか？", "buttons": [{"title": "問い合わせ先", "payload": "/ask_contact"}]},
        {"text": "補足です。"},
    ])
    assert [m["text"] for m in messages] == ["回答です。", "次にどうしますか？", "補足です。"]
    assert "quickReply" not in messages[0] and "quickReply" not in messages[1]
    assert messages[-1]["quickReply"]["items"][0]["action"]["data"] == "/ask_contact"


def test_paragraphs_of_one_answer_stay_in_one_bubble():
    assert to_line_messages([{"text": "一段落目。\n\n二段落目。"}]) == [{"type": "text", "text": "一段落目。\n\n二段落目。"}]


def test_a_long_answer_becomes_several_texts_within_limits():
    answer = "\n".join("・" + "説明" * 50 for _ in range(120))  # about 12,100 characters
    messages = to_line_messages([{"text": answer}])
    assert len(messages) == 3
    assert all(m["type"] == "text" and line_length(m["text"]) <= 5000 for m in messages)
    assert "\n".join(m["text"] for m in messages) == answer


def test_more_than_five_short_messages_are_packed_into_five_or_fewer():
    messages = to_line_messages([{"text": f"{i}番目の回答。"} for i in range(8)])
    assert len(messages) == 1
    assert messages[0]["text"] == "\n\n".join(f"{i}番目の回答。" for i in range(8))
    five = [{"type": "text", "text": str(i)} for i in range(5)]
    assert pack(five) == five  # five or fewer are left as the bot sent them


def test_buttons_without_text_still_get_a_message():
    messages = to_line_messages([{"buttons": [{"title": "はい", "payload": "/affirm"}]}])
    assert messages[0]["type"] == "text" and messages[0]["quickReply"]["items"]


def test_images_need_https():
    assert to_line_messages([{"image": "https://example.org/a.png"}])[0]["type"] == "image"
    assert to_line_messages([{"image": "http://example.org/a.png"}])[0] == {"type": "text",
                                                                            "text": "http://example.org/a.png"}


# ── who the conversation is ───────────────────────────────────────────────────

@pytest.mark.parametrize("source, expected", [
    ({"type": "user", "userId": "U1"}, "U1"),
    ({"type": "group", "groupId": "C1", "userId": "U1"}, "C1"),
    ({"type": "room", "roomId": "R1", "userId": "U1"}, "R1"),
    ({"type": "group", "userId": "U1"}, None),
    ({}, None),
    (None, None),
])
def test_conversation_is_the_group_or_room_else_the_user(source, expected):
    assert conversation_id(source) == expected


# ── de-duplication ────────────────────────────────────────────────────────────

def test_recent_ids_remember_then_forget():
    now = [0.0]
    recent = RecentIds(size=3, ttl=60, clock=lambda: now[0])
    assert not recent.seen_before("A")
    assert recent.seen_before("A")
    now[0] = 61
    assert not recent.seen_before("A")  # expired, so new again
    for event_id in "BCD":
        recent.seen_before(event_id)
    assert len(recent) == 3 and not recent.seen_before("A")  # the oldest was dropped for the bound
    assert not recent.seen_before(None) and not recent.seen_before(None)  # no id: never a duplicate


# ── settings ──────────────────────────────────────────────────────────────────

@pytest.fixture
def no_line_env(monkeypatch):
    for variable in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "LINE_API_ENDPOINT", "REDIS_HOST"):
        monkeypatch.delenv(variable, raising=False)
    return monkeypatch


def test_rasa_builds_the_channel_from_the_credentials_block(no_line_env, tmp_path):
    path = tmp_path / "credentials.yml"
    path.write_text("channels.resilience.ResilientRestInput:\n" + LINE_CREDENTIALS)
    no_line_env.setenv("LINE_CHANNEL_SECRET", SECRET)
    no_line_env.setenv("LINE_CHANNEL_ACCESS_TOKEN", "token")
    no_line_env.setenv("LINE_API_ENDPOINT", "http://127.0.0.1:9/")
    channel = [c for c in create_http_input_channels(None, str(path)) if c.name() == "line"][0]
    assert channel.configured and channel.channel_secret == SECRET
    assert channel.client.access_token == "token" and channel.client.api_endpoint == "http://127.0.0.1:9"


def test_rasa_still_starts_when_line_is_not_configured(no_line_env, tmp_path):
    path = tmp_path / "credentials.yml"
    path.write_text("channels.resilience.ResilientRestInput:\n" + LINE_CREDENTIALS)
    channels = create_http_input_channels(None, str(path))
    line_channel = [c for c in channels if c.name() == "line"][0]
    assert not line_channel.configured
    assert line_channel.client.api_endpoint == "https://api.line.me"
    answer = asyncio.run(line_channel.accept(b"{}", "x", "application/json", handle=None))
    assert answer.status == 503


def test_an_empty_block_reads_the_environment(no_line_env):
    no_line_env.setenv("LINE_CHANNEL_SECRET", SECRET)
    no_line_env.setenv("LINE_CHANNEL_ACCESS_TOKEN", "token")
    assert LineInput.from_credentials(None).configured
    assert not LineInput.from_credentials({"channel_secret": "", "access_token": "token"}).configured

