"""👍 / 👎 (actions/feedback.py): which answers offer them, what a rating records, the
comment after a 👎, and that a rating keeps the conversation's state."""

from actions.feedback import PAYLOADS, SKIP_PAYLOAD, ActionFeedback
from actions.turn import ActionAnswer

from .conftest import make_tracker, run_action, slot_events, texts


def answer(text, intent, **slots):
    return run_action(ActionAnswer(), make_tracker(text, intent, slots=slots))


def bot_event(message, timestamp):
    return {"event": "bot", "timestamp": timestamp, "text": message.get("text"),
            "data": {"buttons": message.get("buttons"), "custom": message.get("custom")}}


def rate(rating, events, **kwargs):
    tracker = make_tracker(PAYLOADS[rating], "feedback", entities=[{"entity": "rating", "value": rating}],
                           events=events, **kwargs)
    return run_action(ActionFeedback(), tracker)


def test_a_factual_answer_offers_thumbs_and_small_talk_does_not():
    messages, _ = answer("生産性向上の補助金の上限は？", "ask_amount")
    assert [b["payload"] for b in messages[-1]["buttons"]][-2:] == [PAYLOADS["up"], PAYLOADS["down"]]
    messages, _ = answer("こんにちは", "greet")
    assert all(b["payload"] not in PAYLOADS.values() for m in messages for b in m.get("buttons") or [])
    messages, _ = answer("あいうえおかきくけこ", "nlu_fallback")
    assert all(b["payload"] not in PAYLOADS.values() for m in messages for b in m.get("buttons") or [])


def test_a_rating_names_the_answer_it_rates_and_keeps_the_state(kb):
    program = kb.program_by_name("中小企業生産性向上促進事業費補助").id
    messages, _ = answer("生産性向上の補助金の上限は？", "ask_amount")
    events = [{"event": "session_started", "timestamp": 1.0}, {"event": "user", "timestamp": 12.0}]
    events += [bot_event(m, 12.1 + i) for i, m in enumerate(messages)]
    answer_at = events[-1]["timestamp"]
    replies, recorded = rate("up", events, slots={"program": program, "amount_yen": 3_000_000})
    slots = slot_events(recorded)
    assert slots["feedback"] == {"rating": "up", "answer_at": answer_at, "kind": "amount", "programs": [program]}
    assert set(slots) == {"feedback", "feedback_comment_for"}   # nothing else of the conversation changes
    assert texts(replies) == "ご評価ありがとうございます。"


def test_thumbs_down_offers_the_division_and_asks_once_what_was_wrong(kb):
    program = kb.program_by_name("中小企業生産性向上促進事業費補助")
    messages, _ = answer("生産性向上の補助金の上限は？", "ask_amount")
    events = [bot_event(messages[-1], 20.0)]
    replies, recorded = rate("down", events)
    assert program.contact.phone in texts(replies) and "どこが違っていた" in texts(replies)
    assert replies[0]["buttons"] == [{"title": "スキップ", "payload": SKIP_PAYLOAD}]
    assert slot_events(recorded)["feedback_comment_for"] == 20.0
    # a second 👎 on the same answer does not ask again
    events += [{"event": "slot", "name": "feedback", "value": slot_events(recorded)["feedback"]}]
    replies, recorded = rate("down", events)
    assert "どこが違っていた" not in texts(replies) and slot_events(recorded)["feedback_comment_for"] is None


def test_the_comment_is_recorded_with_the_rating_and_skip_records_nothing():
    record = {"rating": "down", "answer_at": 20.0, "kind": "amount", "programs": []}
    messages, events = answer("上限額が古いと思います", "nlu_fallback", feedback=record, feedback_comment_for=20.0)
    assert slot_events(events)["feedback"] == {**record, "comment": "上限額が古いと思います"}
    assert slot_events(events)["feedback_comment_for"] is None and "ご意見ありがとう" in texts(messages)
    messages, events = answer(SKIP_PAYLOAD, "deny", feedback=record, feedback_comment_for=20.0)
    assert slot_events(events) == {"feedback_comment_for": None} and "承知しました" in texts(messages)


def test_a_comment_that_is_a_new_question_is_answered_too(kb):
    record = {"rating": "down", "answer_at": 20.0, "kind": "amount", "programs": []}
    messages, events = answer("エコアセットかながわの予算は？", "ask_budget", feedback=record, feedback_comment_for=20.0)
    assert "ご意見ありがとう" in messages[0]["text"] and "エコアセット" in texts(messages[1:])
    assert slot_events(events)["feedback"]["comment"] == "エコアセットかながわの予算は？"
    assert slot_events(events)["program"] == "chusho-06"


def test_a_payload_after_the_question_is_answered_as_usual():
    messages, events = answer("/ask_budget", "ask_budget", feedback_comment_for=20.0,
                              program="sangyo-1")
    assert slot_events(events)["feedback_comment_for"] is None and "ご意見" not in texts(messages)


def test_a_rating_with_nothing_to_rate_is_thanked_and_changes_nothing():
    replies, recorded = rate("down", [{"event": "session_started", "timestamp": 1.0}])
    assert recorded == [] and texts(replies) == "ありがとうございます。"


def test_during_the_form_a_thumbs_down_does_not_ask_for_a_comment(kb):
    messages, _ = answer("生産性向上の補助金の上限は？", "ask_amount")
    replies, recorded = rate("down", [bot_event(messages[-1], 30.0)],
                             active_loop={"name": "calculation_form"})
    assert "どこが違っていた" not in texts(replies) and slot_events(recorded)["feedback_comment_for"] is None
    assert not replies[0].get("buttons")


def test_english_conversations_are_answered_in_english(kb):
    messages, _ = answer("What is the maximum amount of the productivity subsidy?", "ask_amount", language="en")
    assert [b["payload"] for b in messages[-1]["buttons"]][-2:] == [PAYLOADS["up"], PAYLOADS["down"]]
    replies, _ = rate("down", [bot_event(messages[-1], 40.0)], slots={"language": "en"})
    assert "what was wrong" in texts(replies) and replies[0]["buttons"][0]["title"] == "Skip"
