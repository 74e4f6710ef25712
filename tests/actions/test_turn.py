"""action_answer (actions/turn.py): Rasa's side of a turn — slots in, the dialogue's
messages out with what they are about, the conversation's state back into slots."""

from actions.turn import ActionAnswer, ActionCancelCalculation

from .conftest import make_tracker, run_action, slot_events, texts


def answer(text, intent, **slots):
    return run_action(ActionAnswer(), make_tracker(text, intent, slots=slots))


def test_an_answer_carries_what_it_is_about(kb):
    messages, events = answer("生産性向上の補助金の上限は？", "ask_amount")
    program = kb.program_by_name("中小企業生産性向上促進事業費補助").id
    assert "500万円" in messages[0]["text"]
    assert messages[0]["custom"]["answer"] == {"kind": "amount", "programs": [program], "phone": None,
                                               "figure": "500万円", "key": "amount.cap_first"}
    assert slot_events(events)["program"] == program


def test_the_program_under_discussion_comes_from_the_slot(kb):
    program = kb.program_by_name("職場環境整備促進事業費").id
    messages, _ = answer("電話番号は？", "ask_contact", program=program)
    assert "045-210-5730" in texts(messages)


def test_a_list_is_kept_for_references_to_it(kb):
    messages, events = answer("商店街向けの支援を教えて", "find_by_need")
    shown = slot_events(events)["last_list"]
    assert [b["payload"] for b in messages[0]["buttons"]] == [f'/choose_program{{"program":"{p}"}}' for p in shown]
    messages, _ = answer("2つ目のはいくら？", "ask_amount", last_list=shown)
    assert kb.program(shown[1]).name in texts(messages)


def test_a_program_chosen_from_buttons_answers_the_waiting_question(kb):
    program = kb.program_by_name("職場環境整備促進事業費").id
    tracker = make_tracker(f'/choose_program{{"program":"{program}"}}', "choose_program",
                           slots={"pending_question": ["ask_contact"], "program": [program, "rodo-22"]},
                           entities=[{"entity": "program", "value": program}])
    messages, events = run_action(ActionAnswer(), tracker)
    assert "045-210-5730" in texts(messages)
    assert slot_events(events)["pending_question"] is None


def test_asking_which_remembers_what_was_asked():
    _, events = answer("職場環境整備の要件は？", "ask_eligibility")
    assert slot_events(events)["pending_question"] == ["eligibility"]


def test_a_calculation_lacking_facts_starts_the_form(kb):
    messages, events = answer("男性育休の奨励金を計算したい", "calculate_amount")
    assert any(e["event"] == "followup" and e["name"] == "calculation_form" for e in events)
    assert slot_events(events)["program"] == kb.program_by_name("職場環境整備促進事業費").id
    assert "50万円" in texts(messages)   # the rule first, then the form asks the days


def test_figures_given_for_another_program_are_forgotten(kb):
    productivity = kb.program_by_name("中小企業生産性向上促進事業費補助").id
    _, events = answer("第2ステージ補助金の上限は？", "ask_amount", amount_yen=6_000_000, facts_program=productivity)
    assert slot_events(events)["amount_yen"] is None


def test_the_second_misunderstanding_in_a_row_hands_over_a_phone_number(kb):
    messages, events = answer("ぴよぴよ", "nlu_fallback")
    assert "読み取れませんでした" in texts(messages) and slot_events(events)["fallback_streak"] == 1
    messages, events = answer("もにゃもにゃ", "nlu_fallback", fallback_streak=1)
    assert kb.general_contact().phone in texts(messages)


def test_small_talk_and_identity(kb):
    messages, _ = answer("こんにちは", "greet")
    assert "チャットボット" in messages[0]["text"] and len(messages[0]["buttons"]) == 4
    messages, _ = answer("あなたはボットですか", "bot_challenge")
    assert "自動応答" in texts(messages)


def test_an_empty_message_gets_a_clear_answer():
    messages, _ = answer("", "nlu_fallback")
    assert "空のよう" in texts(messages)


def test_a_cancelled_calculation_says_so():
    messages, _ = run_action(ActionCancelCalculation(), make_tracker("やめます", "stop"))
    assert "取りやめ" in texts(messages)
