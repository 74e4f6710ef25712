"""The calculation form: dynamic questions, facts in any order, the working shown."""

import pytest

from actions.calculation import ActionAskAmountYen, ActionCalculate, ValidateCalculationForm

from .conftest import make_tracker, render, run_action, slot_events


def validate(text, slots=None, requested=None):
    tracker = make_tracker(text, "inform", slots=slots, active_loop={"name": "calculation_form"})
    # slots mapped from this message's entities, as Rasa sets them before validation
    from_entities = {}
    mapping = {"program": "program", "company_size": "company_size", "money": "amount_yen", "people": "employees",
               "duration": "leave", "tokku": "tokku", "course": "course"}
    for entity in tracker.latest_message["entities"]:
        if entity["entity"] in mapping:
            from_entities[mapping[entity["entity"]]] = entity["value"]
        if entity["entity"] == "measure":
            from_entities.setdefault("measures", []).append(entity["value"])
        if entity["entity"] == "number" and requested in ("employees", "leave", "amount_yen"):
            from_entities[requested] = entity["value"]   # domain.yml: only for the slot asked
    tracker.slots.update(from_entities)
    tracker.slots["requested_slot"] = requested
    tracker.events = [{"event": "user", "text": text}] + [
        {"event": "slot", "name": k, "value": v} for k, v in from_entities.items()]
    messages, events = run_action(ValidateCalculationForm(), tracker)
    return messages, slot_events(events)


def test_asks_the_amount_and_leaves_the_size_to_side_by_side_cases(kb):
    program = kb.program_by_name("中小企業生産性向上促進事業費補助").id
    _, slots = validate("計算して", {"program": program})
    assert slots["requested_slot"] == "amount_yen"
    _, slots = validate("600万円です", {"program": program}, requested="amount_yen")
    assert slots["requested_slot"] is None


def test_all_facts_in_one_message_complete_the_form(kb):
    program = kb.program_by_name("中小企業生産性向上促進事業費補助").id
    _, slots = validate("小規模事業者で600万円です", {"program": program})
    assert slots["requested_slot"] is None


def test_select_next_asks_the_investment_and_shows_the_rule_first(kb):
    program = kb.program_by_name("セレクト神奈川ＮＥＸＴ第２ステージ補助金").id
    messages, slots = validate("中小企業です", {"program": program})
    assert slots["requested_slot"] == "amount_yen"
    assert messages[0]["response"] == "utter_amount_rules"
    # neither 特区 nor employees are asked: 特区 becomes cases, employees a condition to confirm
    messages, slots = validate("10億円です", {"program": program, "company_size": "中小企業"}, requested="amount_yen")
    assert slots["requested_slot"] is None and messages == []


def test_calculation_without_the_size_shows_each_size_and_offers_the_buttons(kb):
    program = kb.program_by_name("中小企業生産性向上促進事業費補助")
    messages, _ = run_action(ActionCalculate(), make_tracker("", slots={"program": program.id, "amount_yen": 6_000_000}))
    text = render(messages[0])
    assert "小規模事業者の場合：対象経費 600万円 × 2/3 = 400万円" in text
    assert "中小企業の場合：対象経費 600万円 × 1/2 = 300万円 → 300万円" in text
    assert messages[-1]["response"] == "utter_ask_company_size"


def test_calculation_without_tokku_shows_both_and_offers_the_buttons(kb):
    program = kb.program_by_name("セレクト神奈川ＮＥＸＴ第２ステージ補助金")
    messages, _ = run_action(ActionCalculate(), make_tracker("", slots={
        "program": program.id, "amount_yen": 5_000_000_000, "company_size": "大企業"}))
    text = render(messages[0])
    assert "特区制度活用などに当たらない場合：土地・建物・設備への投資額 50億円 × 3% = 1億5,000万円" in text
    assert "特区制度活用などの場合：土地・建物・設備への投資額 50億円 × 6% = 3億円" in text
    assert messages[-1]["response"] == "utter_ask_tokku"


def test_the_course_inside_the_program_name_is_taken(kb):
    program = kb.program_by_name("職場環境整備促進事業費").id
    _, slots = validate("男性育休の奨励金", {"program": program, "company_size": "中小企業"})
    assert slots["course"] == "男性育休" and slots["requested_slot"] == "leave"


def test_a_month_of_leave_is_asked_again_in_days(kb):
    program = kb.program_by_name("職場環境整備促進事業費").id
    messages, slots = validate("1ヶ月", {"program": program, "company_size": "中小企業", "course": "男性育休"},
                               requested="leave")
    assert messages[0]["response"] == "utter_leave_in_days"
    assert slots["leave"] is None and slots["requested_slot"] == "leave"


def test_no_program_but_a_course_picks_the_work_life_incentive(kb):
    messages, slots = validate("男性社員が育休を2週間取ったら", {"company_size": "中小企業"})
    assert slots["program"] == kb.program_by_name("職場環境整備促進事業費").id
    assert slots["requested_slot"] is None


def test_figures_for_another_program_are_not_reused(kb):
    productivity = kb.program_by_name("中小企業生産性向上促進事業費補助").id
    loan = kb.program_by_name("セレクト神奈川ＮＥＸＴ第２ステージ融資事業費補助").id
    _, slots = validate("第2ステージ融資だと？", {"program": loan, "company_size": "中小企業",
                                              "amount_yen": 6_000_000, "facts_program": productivity})
    assert slots["amount_yen"] is None and slots["requested_slot"] == "amount_yen"


def test_an_impossible_amount_is_refused(kb):
    program = kb.program_by_name("中小企業生産性向上促進事業費補助").id
    messages, slots = validate("0円", {"program": program, "company_size": "中小企業"}, requested="amount_yen")
    assert messages[0]["response"] == "utter_invalid_amount"
    assert slots["amount_yen"] is None and slots["requested_slot"] == "amount_yen"


def test_ask_amount_names_the_rules_base(kb):
    program = kb.program_by_name("セレクト神奈川ＮＥＸＴ第２ステージ融資事業費補助").id
    messages, _ = run_action(ActionAskAmountYen(), make_tracker("", slots={"program": program}))
    assert render(messages[0]).startswith("事業費はいくらですか？")


@pytest.mark.parametrize("program_name, slots, expected, absent", [
    ("中小企業生産性向上促進事業費補助", {"company_size": "小規模事業者", "amount_yen": 6_000_000},
     ["対象経費 600万円 × 2/3 = 400万円", "上限500万円以内", "補助金額の目安：400万円"], []),
    ("中小企業生産性向上促進事業費補助", {"company_size": "中小企業", "amount_yen": 400_000},
     ["下限額25万円に満たない", "045-210-5550"], ["目安：20万円"]),
    ("セレクト神奈川ＮＥＸＴ第２ステージ補助金",
     {"company_size": "中小企業", "amount_yen": 1_000_000_000, "tokku": True, "employees": 12},
     ["× 12% = 1億2,000万円", "上限10億円以内", "目安：1億2,000万円"], []),
    ("セレクト神奈川ＮＥＸＴ第２ステージ補助金",
     {"company_size": "大企業", "amount_yen": 1_000_000_000, "tokku": False, "employees": 100},
     ["投資額：10億円（要件 20億円以上）を満たしません", "045-210-5570"], ["の目安："]),
    ("セレクト神奈川ＮＥＸＴ第２ステージ融資事業費補助", {"company_size": "中堅企業", "amount_yen": 2_000_000_000},
     ["事業費 20億円 × 80% = 16億円", "最大10億円のため、10億円", "融資額の目安：10億円", "融資の対象：県外・国外"], []),
    ("職場環境整備促進事業費", {"company_size": "中小企業", "course": "男性育休", "leave": 9},
     ["9日は10日未満", "045-210-5730"], ["の目安："]),
    ("外国人労働者職場環境整備促進事業費", {"company_size": "中小企業", "measures": ["なし"]},
     ["加算なし", "目安：20万円"], []),
])
def test_calculation_shows_the_working(kb, program_name, slots, expected, absent):
    program = kb.program_by_name(program_name)
    messages, _ = run_action(ActionCalculate(), make_tracker("", slots={"program": program.id, **slots}))
    text = "\n".join(render(m) for m in messages)
    assert f"【{program.name}】" in text and "令和6年度当初予算案の数値です" in text
    for fragment in expected:
        assert fragment in text
    for fragment in absent:
        assert fragment not in text


def test_two_months_of_leave_are_counted_as_at_least_56_days(kb):
    program = kb.program_by_name("職場環境整備促進事業費").id
    messages, slots = validate("2か月", {"program": program, "course": "男性育休"}, requested="leave")
    assert any("少なくとも56日" in render(m) for m in messages)
    assert slots["leave"] == 56


def test_one_month_of_leave_is_asked_again_in_days(kb):
    program = kb.program_by_name("職場環境整備促進事業費").id
    messages, slots = validate("1か月", {"program": program, "course": "男性育休"}, requested="leave")
    assert any("「○日」で教えてください" in render(m) for m in messages)
    assert slots.get("leave") is None


def test_a_bare_number_answers_the_question_asked(kb):
    program = kb.program_by_name("職場環境整備促進事業費").id
    _, slots = validate("１４", {"program": program, "course": "男性育休"}, requested="leave")
    # the value stands (no SlotSet resetting it) and nothing more is asked
    assert slots.get("leave", 14) == 14 and slots["requested_slot"] is None


def test_a_bare_number_for_an_amount_is_asked_again_with_its_unit(kb):
    program = kb.program_by_name("中小企業生産性向上促進事業費補助").id
    messages, slots = validate("600", {"program": program}, requested="amount_yen")
    assert any("「600万円」「600円」のように単位をつけて" in render(m) for m in messages)
    assert slots["amount_yen"] is None and slots["requested_slot"] == "amount_yen"
