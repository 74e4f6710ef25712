"""action_answer with a knowledge base of two fiscal years (FY2024 and the synthetic
FY2025 sample of tests/fixtures): the year asked, kept in slot ``fiscal_year`` for the
follow-ups and the calculation form, the latest by default, a year not loaded."""

import pytest

from actions.calculation import ActionCalculate
from actions.turn import ActionAnswer

from .conftest import make_tracker, run_action, slot_events, texts


@pytest.fixture(autouse=True)
def two_years(two_year_kb_path, monkeypatch):
    monkeypatch.setenv("KNOWLEDGE_DB", str(two_year_kb_path))


def answer(text, intent, **slots):
    return run_action(ActionAnswer(), make_tracker(text, intent, slots=slots))


def test_the_year_asked_is_answered_and_kept():
    messages, events = answer("令和6年度の生産性向上の補助金の上限は？", "ask_amount")
    assert "500万円" in texts(messages) and "令和6年度当初予算案" in texts(messages)
    slots = slot_events(events)
    assert slots["fiscal_year"] == 2024 and slots["fiscal_year_asked"] == 2024
    # the follow-up, with the slots the turn set, stays in FY2024
    messages, events = answer("予算は？", "ask_budget", program=slots["program"], fiscal_year=2024,
                              fiscal_year_asked=2024)
    assert "42億5,062万円" in texts(messages) and "fiscal_year" not in slot_events(events)
    # so does a program named later
    messages, _ = answer("デジタル化の補助金の予算は？", "ask_budget", program=slots["program"], fiscal_year=2024,
                         fiscal_year_asked=2024)
    assert "令和6年度当初予算案" in texts(messages)


def test_no_year_is_the_latest():
    messages, events = answer("生産性向上の補助金の上限は？", "ask_amount")
    assert "800万円" in texts(messages) and "令和7年度・試験用の合成データ" in texts(messages)
    assert slot_events(events)["fiscal_year"] == 2025 and "fiscal_year_asked" not in slot_events(events)


def test_a_year_not_loaded_keeps_the_conversation_as_it_was():
    messages, events = answer("令和8年度の生産性向上の補助金の上限は？", "ask_amount")
    assert "令和8年度の資料はこのチャットボットにまだ読み込まれていない" in texts(messages)
    assert "045-210-5550" in texts(messages) and "万円" not in texts(messages)
    assert messages[0]["custom"]["answer"]["kind"] == "handoff"
    assert "fiscal_year" not in slot_events(events) and "program" not in slot_events(events)


def test_the_calculation_uses_the_conversation_s_year():
    _messages, events = answer("令和6年度の生産性向上の補助金の上限は？", "ask_amount")
    program = slot_events(events)["program"]
    tracker = make_tracker("小規模事業者で600万円", "inform",
                           slots={"program": program, "facts_program": program, "fiscal_year": 2024,
                                  "company_size": "小規模事業者", "amount_yen": 6000000})
    messages, _ = run_action(ActionCalculate(), tracker)
    # FY2024: 2/3 of 600万円 = 400万円 (the sample year's 3/4 would give 450万円)
    assert "400万円" in texts(messages) and "450万円" not in texts(messages)
    assert "令和6年度当初予算案" in texts(messages)
