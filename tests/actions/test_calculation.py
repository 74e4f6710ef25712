"""The calculation form: dynamic questions, facts in any order, the working shown."""

import pytest

from actions.calculation import ASK_ACTIONS, ActionCalculate, ValidateCalculationForm

from .conftest import make_tracker, run_action, slot_events, texts

ASK = {action.slot: action for action in ASK_ACTIONS}


def render(message):
    return message.get("text") or ""


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


def test_select_next_asks_the_investment(kb):
    program = kb.program_by_name("セレクト神奈川ＮＥＸＴ第２ステージ補助金").id
    messages, slots = validate("中小企業です", {"program": program})
    assert slots["requested_slot"] == "amount_yen"
    # neither 特区 nor employees are asked: 特区 becomes cases, employees a condition to confirm
    messages, slots = validate("10億円です", {"program": program, "company_size": "中小企業"}, requested="amount_yen")
    assert slots["requested_slot"] is None and messages == []


def test_calculation_without_the_size_shows_each_size_and_offers_the_buttons(kb):
    program = kb.program_by_name("中小企業生産性向上促進事業費補助")
    messages, _ = run_action(ActionCalculate(), make_tracker("", slots={"program": program.id, "amount_yen": 6_000_000}))
    text = render(messages[0])
    assert "小規模事業者の場合：対象経費 600万円 × 2/3 = 400万円" in text
    assert "中小企業の場合：対象経費 600万円 × 1/2 = 300万円 → 300万円" in text
    assert messages[0]["custom"]["answer"]["kind"] == "calculation"
    # buttons that settle the case come with it
    assert [b["title"] for b in messages[-1]["buttons"]] == ["小規模事業者", "中小企業", "中堅企業", "大企業"]


def test_calculation_without_tokku_shows_both_and_offers_the_buttons(kb):
    program = kb.program_by_name("セレクト神奈川ＮＥＸＴ第２ステージ補助金")
    messages, _ = run_action(ActionCalculate(), make_tracker("", slots={
        "program": program.id, "amount_yen": 5_000_000_000, "company_size": "大企業"}))
    text = render(messages[0])
    assert "特区制度活用などに当たらない場合：土地・建物・設備への投資額 50億円 × 3% = 1億5,000万円" in text
    assert "特区制度活用などの場合：土地・建物・設備への投資額 50億円 × 6% = 3億円" in text
    assert [b["title"] for b in messages[-1]["buttons"]] == ["はい", "いいえ"]


def test_the_course_inside_the_program_name_is_taken(kb):
    program = kb.program_by_name("職場環境整備促進事業費").id
    _, slots = validate("男性育休の奨励金", {"program": program, "company_size": "中小企業"})
    assert slots["requested_slot"] == "leave"   # the course is not asked: the name gave it


def test_a_month_of_leave_is_asked_again_in_days(kb):
    program = kb.program_by_name("職場環境整備促進事業費").id
    messages, slots = validate("1ヶ月", {"program": program, "company_size": "中小企業", "course": "男性育休"},
                               requested="leave")
    assert "「○日」で教えてください" in texts(messages)
    assert slots["leave"] is None and slots["requested_slot"] == "leave"


def test_an_impossible_amount_is_refused(kb):
    program = kb.program_by_name("中小企業生産性向上促進事業費補助").id
    messages, slots = validate("0円", {"program": program, "company_size": "中小企業"}, requested="amount_yen")
    assert "金額を読み取れませんでした" in texts(messages)
    assert slots["amount_yen"] is None and slots["requested_slot"] == "amount_yen"


def test_ask_amount_names_the_rules_base(kb):
    program = kb.program_by_name("セレクト神奈川ＮＥＸＴ第２ステージ融資事業費補助").id
    messages, _ = run_action(ASK["amount_yen"](), make_tracker("", slots={"program": program}))
    assert render(messages[0]).startswith("事業費はいくらですか？")


def test_the_forms_buttons_come_from_the_rule(kb):
    program = kb.program_by_name("職場環境整備促進事業費").id
    messages, _ = run_action(ASK["course"](), make_tracker("", slots={"program": program}))
    courses = [c["course"] for c in kb.rule("work-life-incentive")["courses"]]
    assert [b["title"] for b in messages[0]["buttons"]] == courses
    program = kb.program_by_name("外国人労働者職場環境整備促進事業費").id
    messages, _ = run_action(ASK["measures"](), make_tracker("", slots={"program": program}))
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert titles[:-1] == kb.rule("foreign-worker-incentive")["addon"]["any_of"] and titles[-1] == "いずれも実施しない"


def test_a_question_asked_again_is_not_the_same_words(kb):
    program = kb.program_by_name("職場環境整備促進事業費").id
    tracker = make_tracker("", slots={"program": program},
                           events=[{"event": "slot", "name": "requested_slot", "value": "leave"},
                                   {"event": "user", "text": "電話は？"}, {"event": "action", "name": "action_answer"}])
    first, _ = run_action(ASK["leave"](), make_tracker("", slots={"program": program}))
    again, _ = run_action(ASK["leave"](), tracker)
    assert render(first[0]) != render(again[0]) and render(first[0]) in render(again[0])


@pytest.mark.parametrize("program_name, slots, expected, absent", [
    ("中小企業生産性向上促進事業費補助", {"company_size": "小規模事業者", "amount_yen": 6_000_000},
     ["対象経費 600万円 × 2/3 = 400万円", "上限500万円以内", "補助金額の目安は400万円"], []),
    ("中小企業生産性向上促進事業費補助", {"company_size": "中小企業", "amount_yen": 400_000},
     ["下限額25万円に満たない", "045-210-5550"], ["目安は20万円"]),
    ("セレクト神奈川ＮＥＸＴ第２ステージ補助金",
     {"company_size": "中小企業", "amount_yen": 1_000_000_000, "tokku": True, "employees": 12},
     ["× 12% = 1億2,000万円", "上限10億円以内", "目安は1億2,000万円"], []),
    ("セレクト神奈川ＮＥＸＴ第２ステージ補助金",
     {"company_size": "大企業", "amount_yen": 1_000_000_000, "tokku": False, "employees": 100},
     ["投資額：10億円（要件 20億円以上）を満たしません", "045-210-5570"], ["の目安は"]),
    ("セレクト神奈川ＮＥＸＴ第２ステージ融資事業費補助", {"company_size": "中堅企業", "amount_yen": 2_000_000_000},
     ["事業費 20億円 × 80% = 16億円", "最大10億円のため、10億円", "融資額の目安は10億円", "融資の対象：県外・国外"], []),
    ("職場環境整備促進事業費", {"company_size": "中小企業", "course": "男性育休", "leave": 9},
     ["9日は10日未満", "045-210-5730"], ["の目安は"]),
    ("外国人労働者職場環境整備促進事業費", {"company_size": "中小企業", "measures": ["なし"]},
     ["加算なし", "目安は20万円"], []),
])
def test_calculation_shows_the_working(kb, program_name, slots, expected, absent):
    program = kb.program_by_name(program_name)
    messages, _ = run_action(ActionCalculate(), make_tracker("", slots={"program": program.id, **slots}))
    text = "\n".join(render(m) for m in messages)
    assert f"【{program.name}】" in text and "令和6年度当初予算案" in text
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
