"""Hand-off, fallbacks and resuming after a choice."""

from actions.handoff import ActionFallback, ActionHandoff, ActionResume

from .conftest import make_tracker, render, run_action, slot_events


def test_procedure_questions_get_the_division_not_a_made_up_deadline(kb):
    program = kb.program_by_name("事業承継事業費補助").id
    messages, _ = run_action(ActionHandoff(), make_tracker("締め切りはいつ？", "ask_procedure", slots={"program": program}))
    text = render(messages[0])
    assert "記載がないため、お答えできません" in text
    assert "産業労働局中小企業部中小企業支援課（課長 品川）電話 045-210-5550" in text


def test_request_for_a_person_without_context_asks_which_program():
    messages, events = run_action(ActionHandoff(), make_tracker("担当者と話したい", "request_human"))
    assert messages[0]["buttons"]
    assert slot_events(events)["pending_question"] == "request_human"


def test_second_fallback_in_a_row_hands_off(kb):
    program = kb.program_by_name("ドローン開発支援事業費").id
    first, events = run_action(ActionFallback(), make_tracker("ほげほげ", "nlu_fallback", slots={"program": program}))
    assert first[0]["response"] == "utter_ask_rephrase"
    assert slot_events(events)["fallback_streak"] == 1
    second, _ = run_action(ActionFallback(), make_tracker("ふがふが", "nlu_fallback",
                                                          slots={"program": program, "fallback_streak": 1}))
    assert "045-210-5630" in render(second[0])


def test_empty_message_gets_a_clear_answer():
    messages, _ = run_action(ActionFallback(), make_tracker("   ", "nlu_fallback"))
    assert messages[0]["response"] == "utter_empty_message"


def test_resume_answers_the_waiting_question_for_the_chosen_program(kb):
    program = kb.program_by_name("セレクト神奈川ＮＥＸＴ第２ステージ融資事業費補助")
    tracker = make_tracker(f'/choose_program{{"program":"{program.id}"}}', "choose_program",
                           slots={"pending_question": "ask_contact", "program": program.id},
                           entities=[{"entity": "program", "value": program.id}])
    messages, events = run_action(ActionResume(), tracker)
    assert "045-210-5670" in render(messages[0])
    assert slot_events(events)["pending_question"] is None


def test_resume_without_a_chosen_program_is_not_understood():
    messages, _ = run_action(ActionResume(), make_tracker("あいうえお", "choose_program",
                                                          slots={"pending_question": "ask_contact"}))
    assert messages[0]["response"] == "utter_ask_rephrase"


def test_a_question_not_understood_about_a_named_program_says_what_it_is():
    messages, events = run_action(ActionFallback(), make_tracker("かながわジョブテラスとは？", "nlu_fallback"))
    assert render(messages[0]).startswith("【地域就職氷河期世代支援加速化交付金事業費】")
    assert messages[0]["buttons"] and slot_events(events)["fallback_streak"] == 0


def test_a_question_not_understood_with_figures_for_a_named_program_calculates(kb):
    text = "大企業、投資額30億、特区なしでセレクト神奈川ＮＥＸＴ第２ステージ補助金はいくら"
    messages, events = run_action(ActionFallback(), make_tracker(text, "nlu_fallback"))
    assert messages == []
    assert {"event": "followup", "name": "calculation_form"} in [
        {k: e.get(k) for k in ("event", "name")} for e in events]
    assert slot_events(events)["program"] == kb.program_by_name("セレクト神奈川ＮＥＸＴ第２ステージ補助金").id
