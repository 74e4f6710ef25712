"""The answer checker on answers worded the way the bot words them (knowledge/render.py).

A right answer passes; a wrong figure or phone number fails even beside the right one;
an answer without the expected fact fails; the program the answer names is checked.
"""

import pytest

from coverage_report.checker import Catalogue, check
from coverage_report.facts import RATE, YEN, Fact, expected, fact_from_text, figures_in, fold
from knowledge.dialogue import dialogue_for

PRODUCTIVITY = "chusho-01"      # 中小企業生産性向上促進事業費補助: rates, cap 500万円, floor 25万円
WORK_LIFE = "chusho-16"         # 職場環境整備促進事業費: course amounts
DRONE = "seicho-01"             # ドローン開発支援事業費: 産業振興課 045-210-5630


@pytest.fixture(scope="module")
def catalogue(kb):
    return Catalogue(kb)


def bot_answer(program, *lines, buttons=()):
    """Messages framed like the bot's answers: 【name】, the lines, the citation."""
    text = "\n".join([f"【{program.name}】", *lines,
                      "出典：神奈川県 産業労働局「令和６年度当初予算(案)記者発表付属資料」 p.4（令和6年度当初予算案の数値です）"])
    return [{"text": text, **({"buttons": list(buttons)} if buttons else {})}]


def _bot(kb):
    return dialogue_for(str(kb.path))


def amount_lines(kb, program):
    """The bot's answer to 「いくら？」, line by line."""
    bot = _bot(kb)
    return [line for reply in bot.replies.amount(program) for line in bot.renderer().render(reply).text.splitlines()]


def budget_lines(program, kb=None):
    """The bot's answer to 「予算は？」, line by line."""
    bot = dialogue_for(str(_KB_PATH[0]))
    return bot.renderer().render(bot.replies.budget(program)).text.splitlines()


def contact_line(contact):
    return dialogue_for(str(_KB_PATH[0])).renderer().contact(contact)


_KB_PATH = []


@pytest.fixture(autouse=True, scope="module")
def _remember_kb(kb_path):
    _KB_PATH[:] = [kb_path]


def verdict_for(kb, catalogue, program_id, kind, messages):
    program = kb.program(program_id)
    return check(catalogue, expected(kb, program, kind), messages, program_id=program_id)


# ── right answers pass ──────────────────────────────────────────────────────
@pytest.mark.parametrize("kind", ["what", "budget", "amount", "eligibility", "contact"])
def test_the_bots_own_wording_of_the_facts_passes(kb, catalogue, kind):
    program = kb.program(PRODUCTIVITY)
    lines = {
        "what": [program.summary, f"対象：{program.eligibility}"],
        "budget": budget_lines(program),
        "amount": amount_lines(kb, program),
        "eligibility": [f"対象：{program.eligibility}"],
        "contact": [contact_line(program.contact)],
    }[kind]
    verdict = verdict_for(kb, catalogue, PRODUCTIVITY, kind, bot_answer(program, *lines))
    assert verdict.passed, [r.message for r in verdict.reasons]
    assert verdict.named_programs == [PRODUCTIVITY]


def test_full_width_digits_and_spaces_in_quoted_clauses_match(kb, catalogue):
    program = kb.program(PRODUCTIVITY)
    answer = bot_answer(program, "ウ 補助率：１／２、２／３（小規模事業者）", "エ 補助上限：５ ０ ０万円（下限額は２５万円）")
    assert verdict_for(kb, catalogue, PRODUCTIVITY, "amount", answer).passed


def test_course_amounts_pass_for_the_work_life_incentive(kb, catalogue):
    program = kb.program(WORK_LIFE)
    verdict = verdict_for(kb, catalogue, WORK_LIFE, "amount", bot_answer(program, *amount_lines(kb, program)))
    assert verdict.passed, [r.message for r in verdict.reasons]


# ── wrong figures and phone numbers fail, even beside the right ones ───────
def test_a_wrong_budget_figure_fails_even_beside_the_right_one(kb, catalogue):
    program, other = kb.program(PRODUCTIVITY), kb.program(DRONE)
    answer = bot_answer(program, *budget_lines(program), f"ほかに：{other.budgets[0].amount}")
    verdict = verdict_for(kb, catalogue, PRODUCTIVITY, "budget", answer)
    assert not verdict.passed
    assert verdict.main_reason == "wrong_figure"
    assert other.name in verdict.reasons[0].message  # says whose figure it is


def test_the_budget_quoted_as_a_per_business_amount_fails(kb, catalogue):
    program = kb.program(PRODUCTIVITY)
    answer = bot_answer(program, *amount_lines(kb, program), f"補助額：{program.budgets[0].amount}")
    verdict = verdict_for(kb, catalogue, PRODUCTIVITY, "amount", answer)
    assert not verdict.passed and verdict.main_reason == "wrong_figure"
    assert "予算額" in verdict.reasons[0].message


def test_a_wrong_phone_number_fails_even_beside_the_right_one(kb, catalogue):
    program, other = kb.program(PRODUCTIVITY), kb.program(DRONE)
    assert program.contact.phone != other.contact.phone
    answer = bot_answer(program, contact_line(program.contact), contact_line(other.contact))
    verdict = verdict_for(kb, catalogue, PRODUCTIVITY, "contact", answer)
    assert not verdict.passed
    assert verdict.main_reason == "wrong_phone"
    assert other.contact.phone in verdict.reasons[0].message
    assert other.contact.display_name in verdict.reasons[0].message


def test_another_divisions_phone_fails_in_any_kind_of_answer(kb, catalogue):
    program, other = kb.program(PRODUCTIVITY), kb.program(DRONE)
    answer = bot_answer(program, *budget_lines(program), contact_line(other.contact))
    assert verdict_for(kb, catalogue, PRODUCTIVITY, "budget", answer).main_reason == "wrong_phone"


def test_a_figure_in_an_input_example_is_not_a_stated_figure(kb, catalogue):
    program = kb.program(PRODUCTIVITY)
    answer = bot_answer(program, *amount_lines(kb, program), "対象経費はいくらですか？（例：600万円、1億5千万円）")
    assert verdict_for(kb, catalogue, PRODUCTIVITY, "amount", answer).passed


# ── missing facts fail ──────────────────────────────────────────────────────
def test_a_contact_answer_without_the_phone_number_fails(kb, catalogue):
    program = kb.program(PRODUCTIVITY)
    answer = bot_answer(program, f"{program.contact.display_name}へお問い合わせください。")
    verdict = verdict_for(kb, catalogue, PRODUCTIVITY, "contact", answer)
    assert not verdict.passed and verdict.main_reason == "missing_fact"
    assert [fact.label for fact, ok in verdict.found if not ok] == [f"電話 {program.contact.phone}"]


def test_an_amount_answer_without_the_cap_fails(kb, catalogue):
    program = kb.program(PRODUCTIVITY)
    answer = bot_answer(program, "ウ 補助率：１／２、２／３（小規模事業者）")
    verdict = verdict_for(kb, catalogue, PRODUCTIVITY, "amount", answer)
    assert not verdict.passed
    missing = {fact.label for fact, ok in verdict.found if not ok}
    assert missing == {"上限 500万円", "下限 25万円"}


def test_an_amount_is_compared_by_value_not_as_a_substring():
    fact = fact_from_text("20万円")
    assert fact.kind == YEN and fact.options == (200_000,)
    assert 200_000 not in figures_in("奨励金は120万円です")
    assert figures_in("予算：４２億５，０６２万円、上限 10 億円") == {4_250_620_000, 1_000_000_000}


def test_a_rate_is_not_found_inside_a_larger_number(kb, catalogue):
    from coverage_report.checker import fact_found

    six = Fact("6%", RATE, ("6%",))
    assert not fact_found(six, fold("投資額の１６％"), set(), set())
    assert fact_found(six, fold("投資額の３％（大企業）、６％（中小企業）"), set(), set())


# ── the program the answer names ────────────────────────────────────────────
def test_an_answer_about_another_program_fails(kb, catalogue):
    other = kb.program(DRONE)
    verdict = verdict_for(kb, catalogue, PRODUCTIVITY, "budget", bot_answer(other, *budget_lines(other)))
    assert not verdict.passed and verdict.main_reason == "wrong_program"
    assert other.name in verdict.reasons[0].message


def test_asking_back_which_program_fails_and_says_whether_the_right_one_was_offered(kb, catalogue):
    messages = [{"text": "どの事業についてのご質問ですか？", "buttons": [
        {"title": "a", "payload": '/choose_program{"program":"chusho-01"}'},
        {"title": "b", "payload": '/choose_program{"program":"seicho-08"}'}]}]
    verdict = verdict_for(kb, catalogue, PRODUCTIVITY, "amount", messages)
    assert verdict.main_reason == "asked_back"
    assert verdict.candidates == ["chusho-01", "seicho-08"]
    assert "候補に正しい事業あり" in verdict.reasons[0].message


def test_no_reply_and_the_channels_apology_are_errors(kb, catalogue):
    assert verdict_for(kb, catalogue, PRODUCTIVITY, "budget", []).main_reason == "error"
    apology = [{"text": "申し訳ありません。ただいまシステムの不具合のため、お答えできません。"}]
    assert verdict_for(kb, catalogue, PRODUCTIVITY, "budget", apology).main_reason == "error"


def test_the_longest_program_name_in_a_bracket_wins(kb, catalogue):
    assert catalogue.programs_named("【産業技術総合研究所交付金（生成ＡＩ活用促進事業）】の予算") == ["chusho-03"]
    assert catalogue.programs_named("【産業技術総合研究所交付金】の予算") == ["seicho-20"]
