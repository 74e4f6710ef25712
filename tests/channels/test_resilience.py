"""Input bounds and the no-silence rule shared by every channel."""

import asyncio

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from channels import resilience
from channels.resilience import EMPTY_REPLY, clean, guarded


@pytest.fixture(autouse=True)
def knowledge_db(kb_path, monkeypatch):
    monkeypatch.setenv("KNOWLEDGE_DB", str(kb_path))
    resilience.apology.cache_clear()


def run(handler, text):
    collector = CollectingOutputChannel()
    asyncio.run(handler(UserMessage(text, collector, "tester")))
    return [m["text"] for m in collector.messages]


async def answering(message):
    await message.output_channel.send_text_message(message.sender_id, f"echo:{message.text}")


async def silent(message):
    return None


async def failing(message):
    raise ConnectionError("action server unreachable")


def test_a_normal_message_passes_through_cleaned():
    assert run(guarded(answering), "  生産性\u200b向上\x07の補助金  ") == ["echo:生産性向上の補助金"]


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u200b", "\x00\x01", None])
def test_empty_messages_get_a_clear_answer(text):
    assert run(guarded(answering), text) == [EMPTY_REPLY]


def test_overlong_messages_are_refused_before_the_pipeline():
    seen = []

    async def record(message):
        seen.append(message)

    replies = run(guarded(record), "あ" * (resilience.MAX_MESSAGE_CHARS + 1))
    assert seen == [] and "長すぎます" in replies[0]
    assert run(guarded(answering), "あ" * resilience.MAX_MESSAGE_CHARS)[0].startswith("echo:")


def test_a_failure_gets_the_apology_with_a_phone_number():
    replies = run(guarded(failing), "こんにちは")
    assert "申し訳ありません" in replies[0] and "045-210-5550" in replies[0]


def test_silence_gets_the_apology():
    assert "申し訳ありません" in run(guarded(silent), "こんにちは")[0]


def test_a_slow_turn_gets_the_apology_in_time_and_still_finishes():
    finished = []

    async def slow(message):
        await asyncio.sleep(0.5)
        finished.append(True)

    async def scenario():
        collector = CollectingOutputChannel()
        loop = asyncio.get_running_loop()
        start = loop.time()
        await guarded(slow, timeout=0.1)(UserMessage("こんにちは", collector, "tester"))
        waited = loop.time() - start
        await asyncio.sleep(0.6)
        return collector.messages, waited

    messages, waited = asyncio.run(scenario())
    assert "申し訳ありません" in messages[0]["text"]
    assert waited < 0.4
    assert finished == [True]


def test_clean_keeps_line_breaks_and_drops_controls():
    assert clean("a\nb\x1b[31mc\u202e") == "a\nb[31mc"
