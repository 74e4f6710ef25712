"""The pieces of issue 15 part A on their own: the per-conversation queue, JSON nesting,
metadata, lengths after NFKC, and Sudachi's byte limit after normalisation."""

import asyncio
import json

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from channels import limits, resilience
from channels.resilience import MAX_MESSAGE_CHARS, guarded, too_long
from channels.serial import Conversations, LateAnswers
from knowledge.render import channel_text
from knowledge.text import chunks_within_limit, morphemes, sudachi_width


def test_turns_of_one_conversation_run_one_at_a_time_in_order():
    async def scenario():
        queues = Conversations(max_queued=100)
        running, order, overlap = set(), [], []

        async def turn(conversation, n):
            if conversation in running:
                overlap.append(n)
            running.add(conversation)
            await asyncio.sleep(0.001 * (n % 3))
            order.append((conversation, n))
            running.discard(conversation)

        turns = [queues.submit(c, lambda c=c, n=n: turn(c, n)) for n in range(30) for c in ("a", "b")]
        assert [t.waited for t in turns[:2]] == [False, False] and all(t.waited for t in turns[2:])
        await asyncio.gather(*(t.result for t in turns))
        return queues, order, overlap

    queues, order, overlap = asyncio.run(scenario())
    assert overlap == []
    assert [n for c, n in order if c == "a"] == list(range(30))
    assert [n for c, n in order if c == "b"] == list(range(30))
    assert len(queues) == 0   # nothing kept once a conversation's queue is empty


def test_a_full_queue_refuses_and_a_failing_turn_is_retrieved(caplog):
    async def scenario():
        queues = Conversations(max_queued=2)

        async def fail():
            raise RuntimeError("user text must not be logged")

        first = queues.submit("a", fail)
        second = queues.submit("a", fail)
        third = queues.submit("a", fail)
        await asyncio.wait({first.result, second.result})
        return third, queues.queued("a")

    third, left = asyncio.run(scenario())
    assert third is None and left == 0
    assert "RuntimeError" in caplog.text and "user text" not in caplog.text


@pytest.mark.parametrize("nesting", [33, 990, 5000])
def test_json_nested_too_deeply_is_bad_input(nesting):
    with pytest.raises(limits.BadJson):
        limits.load_json("[" * nesting + "]" * nesting)


def test_json_within_the_nesting_limit_is_parsed():
    body = json.dumps({"events": [{"message": {"emojis": [{"index": 0}]}}]})
    assert limits.load_json(body)["events"][0]["message"]["emojis"] == [{"index": 0}]
    with pytest.raises(limits.BadJson):
        limits.load_json(b'{"a": ')


@pytest.mark.parametrize("metadata, kept", [
    ({"language": "en"}, {"language": "en"}), ({"language": "ja-JP", "x": "y" * 10_000}, {"language": "ja-JP"}),
    ({"language": {"nested": 1}}, None), ({"language": "x" * 100}, None), ("language", None), (None, None),
    ({"other": 1}, None)])
def test_only_the_language_tag_is_kept_of_metadata(metadata, kept):
    assert limits.user_metadata(metadata) == kept


def test_length_is_checked_after_nfkc_and_before_any_work_on_a_huge_text():
    assert too_long("\ufdfa" * 2000)   # 2,000 characters that become 36,000
    assert not too_long("補" * MAX_MESSAGE_CHARS)
    assert too_long("補" * (MAX_MESSAGE_CHARS + 1))
    assert too_long("a" * 10_000_000)


@pytest.mark.parametrize("text", ["\ufdfa" * 3000, "\u3300" * 20_000, "生産性向上の補助金。" * 6000])
def test_text_that_grows_under_nfkc_is_cut_to_what_sudachi_accepts(text):
    pieces = chunks_within_limit(text)
    assert "".join(pieces) == text
    assert all(sum(map(sudachi_width, piece)) <= 49_149 for piece in pieces)
    assert morphemes(text)   # no SudachiError


# ── guarded: the busy reply, late answers, a full queue ──────────────────────

class Recording(CollectingOutputChannel):
    """Collects messages; ``late_answer`` records when the channel is told of a late answer."""

    def __init__(self):
        super().__init__()
        self.late = []

    async def late_answer(self):
        self.late.append(len(self.messages))


@pytest.fixture
def fresh_queues(monkeypatch, kb_path):
    monkeypatch.setenv("KNOWLEDGE_DB", str(kb_path))
    resilience.apology.cache_clear()
    monkeypatch.setattr(resilience, "CONVERSATIONS", Conversations(max_queued=3))


def test_callers_behind_others_get_the_busy_reply_then_their_answer(fresh_queues):
    async def slow_answer(message):
        await asyncio.sleep(0.3)
        await message.output_channel.send_text_message(message.sender_id, f"answer:{message.text}")

    async def scenario():
        handle = guarded(slow_answer, timeout=0.5)
        outputs = [Recording() for _ in range(4)]
        await asyncio.gather(*(handle(UserMessage(f"q{i}", output, "flooder")) for i, output in enumerate(outputs)))
        await asyncio.sleep(1.2)   # the late turns finish
        return outputs

    first, second, third, fourth = asyncio.run(scenario())
    assert [m["text"] for m in first.messages] == ["answer:q0"] and first.late == []
    for n, output in ((1, second), (2, third)):
        assert [m["text"] for m in output.messages] == [channel_text("busy"), f"answer:q{n}"]
        assert output.late == [2]   # the channel was told once the answer had come
    assert [m["text"] for m in fourth.messages] == [channel_text("too_many")]


def test_a_late_turn_that_fails_sends_the_apology(fresh_queues):
    async def slow_then_fail(message):
        await asyncio.sleep(0.3)
        raise ConnectionError("action server unreachable")

    async def scenario():
        handle = guarded(slow_then_fail, timeout=0.4)
        outputs = [Recording() for _ in range(2)]
        await asyncio.gather(*(handle(UserMessage(f"q{i}", output, "x")) for i, output in enumerate(outputs)))
        await asyncio.sleep(0.6)
        return outputs

    first, second = asyncio.run(scenario())
    assert first.messages[0]["text"].startswith("申し訳ありません")
    assert second.messages[0]["text"] == channel_text("busy")
    assert second.messages[1]["text"].startswith("申し訳ありません") and len(second.messages) == 2


def test_late_rest_answers_are_kept_bounded_for_the_next_request():
    now = [0.0]
    late = LateAnswers(max_conversations=2, max_messages=3, ttl=10, clock=lambda: now[0])
    late.keep("a", [{"text": str(i)} for i in range(5)])
    late.keep("b", [{"text": "b"}])
    late.keep("c", [{"text": "c"}])   # "a", the oldest, is dropped
    assert len(late) == 2 and late.take("a") == []
    assert late.take("b") == [{"text": "b"}] and late.take("b") == []   # taken once
    late.keep("d", [{"text": str(i)} for i in range(5)])
    assert [m["text"] for m in late.take("d")] == ["2", "3", "4"]   # the newest 3
    now[0] = 11
    assert late.take("c") == []   # expired
