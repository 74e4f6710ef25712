"""The evaluator at the exact boundaries of every rule (floors, caps, thresholds)."""

import pytest

from knowledge.dialogue import Conversation
from knowledge.evaluator import ALTERNATIVES, ELIGIBLE, NEEDS_INPUT, NOT_ELIGIBLE, UNKNOWN
from knowledge.render import Renderer


@pytest.fixture(scope="module")
def word(kb):
    """A step or requirement result of the evaluator (codes and values) in words."""
    return Renderer(kb).word


def run(kb, rule_id, **facts):
    return kb.evaluate(rule_id, facts)


# ── 中小企業生産性向上促進事業費補助: 1/2, 2/3 (小規模), 上限500万円, 下限25万円 ─────────
@pytest.mark.parametrize("size, cost, outcome, amount", [
    ("小規模事業者", 6_000_000, ELIGIBLE, 4_000_000),
    ("中小企業", 6_000_000, ELIGIBLE, 3_000_000),
    ("中小企業", 500_000, ELIGIBLE, 250_000),       # exactly the floor
    ("中小企業", 499_999, NOT_ELIGIBLE, None),       # 249,999円 < 25万円
    ("小規模事業者", 375_000, ELIGIBLE, 250_000),    # 2/3 reaches the floor exactly
    ("小規模事業者", 374_999, NOT_ELIGIBLE, None),
    ("中小企業", 10_000_000, ELIGIBLE, 5_000_000),  # exactly the cap
    ("中小企業", 10_000_002, ELIGIBLE, 5_000_000),  # above the cap
    ("小規模事業者", 7_500_000, ELIGIBLE, 5_000_000),
    ("小規模事業者", 7_499_999, ELIGIBLE, 4_999_999),  # 4,999,999.33 truncated to yen
])
def test_productivity_subsidy_boundaries(kb, size, cost, outcome, amount):
    evaluation = run(kb, "productivity-subsidy", size=size, cost_yen=cost)
    assert evaluation.outcome == outcome
    assert evaluation.amount_yen == amount


def test_productivity_subsidy_shows_its_working_with_clauses(kb, word):
    evaluation = run(kb, "productivity-subsidy", size="小規模事業者", cost_yen=6_000_000)
    texts = [word(s) for s in evaluation.steps]
    assert "・対象経費 600万円 × 2/3 = 400万円（小規模事業者の率）" in texts
    assert "・上限500万円以内" in texts
    rate_step = next(s for s in evaluation.steps if "× 2/3" in word(s))
    assert rate_step.clause == "ウ 補助率：１／２、２／３（小規模事業者）"
    assert rate_step.page == "4"


def test_below_the_floor_says_not_eligible_and_why(kb, word):
    evaluation = run(kb, "productivity-subsidy", size="中小企業", cost_yen=400_000)
    assert evaluation.outcome == NOT_ELIGIBLE
    assert "20万円 は下限額25万円に満たない" in word(evaluation.reasons[0])


def test_large_companies_are_not_eligible_and_mid_sized_are_unknown(kb, word):
    assert run(kb, "productivity-subsidy", size="大企業", cost_yen=6_000_000).outcome == NOT_ELIGIBLE
    unknown = run(kb, "productivity-subsidy", size="中堅企業", cost_yen=6_000_000)
    assert unknown.outcome == UNKNOWN and unknown.amount_yen is None
    assert "中堅企業についての記載がありません" in word(unknown.reasons[0])


def test_missing_facts_are_listed_in_the_order_to_ask(kb):
    evaluation = run(kb, "productivity-subsidy")
    assert evaluation.outcome == NEEDS_INPUT
    assert evaluation.missing == ["size", "cost_yen"]
    assert "小規模事業者" in evaluation.options["size"]


# ── セレクト神奈川ＮＥＸＴ第２ステージ補助金 ───────────────────────────────────────
@pytest.mark.parametrize("size, tokku, investment, amount", [
    ("中小企業", False, 1_000_000_000, 60_000_000),       # 6%
    ("小規模事業者", False, 1_000_000_000, 60_000_000),   # a 小規模事業者 is a 中小企業
    ("大企業", False, 3_000_000_000, 90_000_000),         # 3%
    ("中小企業", True, 1_000_000_000, 120_000_000),       # 特区: 12%
    ("大企業", True, 3_000_000_000, 180_000_000),         # 特区: 6%
    ("大企業", False, 20_000_000_000, 500_000_000),       # 3% of 200億 = 6億 → 上限5億
    ("中小企業", True, 10_000_000_000, 1_000_000_000),    # 12% of 100億 → 上限10億 (特区)
    ("中小企業", False, 8_333_333_333, 499_999_999),      # just under 上限5億
])
def test_select_next_subsidy_rates_and_caps(kb, size, tokku, investment, amount):
    evaluation = run(kb, "select-next-2nd-subsidy", size=size, tokku=tokku, investment_yen=investment,
                     employees=100)
    assert evaluation.outcome == ELIGIBLE, evaluation.reasons
    assert evaluation.amount_yen == amount


@pytest.mark.parametrize("size, investment, employees, failed", [
    ("中小企業", 49_999_999, 10, ["投資額"]),
    ("中小企業", 50_000_000, 9, ["常用雇用者数"]),
    ("大企業", 1_999_999_999, 30, ["投資額"]),
    ("大企業", 2_000_000_000, 29, ["常用雇用者数"]),
    ("大企業", 100_000_000, 5, ["投資額", "常用雇用者数"]),
])
def test_select_next_requirements_not_met_say_which(kb, size, investment, employees, failed, word):
    evaluation = run(kb, "select-next-2nd-subsidy", size=size, tokku=False, investment_yen=investment,
                     employees=employees)
    assert evaluation.outcome == NOT_ELIGIBLE
    assert [r.item for r in evaluation.requirements if r.status == "not_met"] == failed
    assert all(any(item in word(reason) for reason in evaluation.reasons) for item in failed)


@pytest.mark.parametrize("size, investment, employees", [
    ("中小企業", 50_000_000, 10), ("大企業", 2_000_000_000, 30)])
def test_select_next_requirements_met_exactly_at_the_threshold(kb, size, investment, employees):
    evaluation = run(kb, "select-next-2nd-subsidy", size=size, tokku=False, investment_yen=investment,
                     employees=employees)
    assert evaluation.outcome == ELIGIBLE


def test_select_next_large_investment_variant_needs_40億_and_60_people(kb, word):
    base = dict(size="大企業", tokku=False, variant="大規模設備投資")
    assert run(kb, "select-next-2nd-subsidy", investment_yen=4_000_000_000, employees=60, **base).outcome == ELIGIBLE
    below = run(kb, "select-next-2nd-subsidy", investment_yen=3_999_999_999, employees=60, **base)
    assert below.outcome == NOT_ELIGIBLE and "40億円以上" in word(below.reasons[0])


def test_select_next_unconfirmed_industry_is_listed_not_assumed(kb):
    evaluation = run(kb, "select-next-2nd-subsidy", size="中小企業", tokku=False, investment_yen=10**9, employees=20)
    statuses = {r.item: r.status for r in evaluation.requirements}
    assert statuses["対象産業"] == "unconfirmed" and statuses["対象業種"] == "unconfirmed"
    wrong = run(kb, "select-next-2nd-subsidy", size="中小企業", tokku=False, investment_yen=10**9, employees=20,
                industry="飲食関連産業")
    assert wrong.outcome == NOT_ELIGIBLE


def test_select_next_research_labs_qualify_in_any_industry(kb):
    evaluation = run(kb, "select-next-2nd-subsidy", size="中小企業", tokku=False, investment_yen=10**9,
                     employees=20, industry="飲食関連産業", facility="研究所")
    assert evaluation.outcome == ELIGIBLE


def test_select_next_regional_industry_is_limited_to_its_regions_and_fields(kb):
    facts = dict(size="中小企業", tokku=False, investment_yen=10**9, employees=20, industry="地域振興型産業")
    ok = run(kb, "select-next-2nd-subsidy", region="県西地域", manufacturing_field="飲料", **facts)
    assert ok.outcome == ELIGIBLE
    wrong_region = run(kb, "select-next-2nd-subsidy", region="横浜", manufacturing_field="飲料", **facts)
    assert wrong_region.outcome == NOT_ELIGIBLE


def test_select_next_names_the_case_it_applied(kb, word):
    evaluation = run(kb, "select-next-2nd-subsidy", size="大企業", tokku=True, investment_yen=3_000_000_000,
                     employees=100)
    assert "・土地・建物・設備への投資額 30億円 × 6% = 1億8,000万円（大企業・特区制度活用などの率）" in [
        word(s) for s in evaluation.steps]


def test_a_requirement_not_met_settles_it_before_asking_more(kb, word):
    evaluation = run(kb, "select-next-2nd-subsidy", size="中小企業", investment_yen=30_000_000)
    assert evaluation.outcome == NOT_ELIGIBLE and evaluation.missing == []
    assert "投資額：3,000万円（要件 5千万円（5,000万円）以上）を満たしません" in word(evaluation.reasons[0])   # as printed


def test_select_next_asks_for_tokku_and_mid_sized_is_unknown(kb):
    assert "tokku" in run(kb, "select-next-2nd-subsidy", size="中小企業", investment_yen=10**9, employees=20).missing
    assert run(kb, "select-next-2nd-subsidy", size="中堅企業", tokku=False, investment_yen=10**9,
               employees=20).outcome == UNKNOWN


# ── セレクト神奈川ＮＥＸＴ第２ステージ融資: 事業費の80%, 最大10億円 ──────────────────────
@pytest.mark.parametrize("cost, amount", [
    (1_000_000_000, 800_000_000),
    (1_250_000_000, 1_000_000_000),   # exactly 10億
    (1_250_000_001, 1_000_000_000),
    (3_000_000_000, 1_000_000_000),
    (1_000_001, 800_000),              # 800,000.8 truncated
])
def test_select_next_loan_limit(kb, cost, amount, word):
    evaluation = run(kb, "select-next-2nd-loan", size="中堅企業", cost_yen=cost)
    assert evaluation.outcome == ELIGIBLE and evaluation.amount_yen == amount
    assert any("融資期間20年以内（2年以内の据置期間を含む）" in word(s) for s in evaluation.steps)


def test_select_next_loan_is_not_for_large_companies(kb):
    assert run(kb, "select-next-2nd-loan", size="大企業", cost_yen=10**9).outcome == NOT_ELIGIBLE


# ── 職場環境整備促進事業費: courses and 男性育休 days ──────────────────────────────────
@pytest.mark.parametrize("days, outcome, amount", [
    (9, NOT_ELIGIBLE, None), (10, ELIGIBLE, 200_000), (29, ELIGIBLE, 200_000),
    (30, ELIGIBLE, 500_000), (365, ELIGIBLE, 500_000), (0, NOT_ELIGIBLE, None)])
def test_male_parental_leave_days(kb, days, outcome, amount):
    evaluation = run(kb, "work-life-incentive", size="中小企業", course="男性育休", days=days)
    assert (evaluation.outcome, evaluation.amount_yen) == (outcome, amount)


def test_male_parental_leave_under_ten_days_says_why(kb, word):
    evaluation = run(kb, "work-life-incentive", size="中小企業", course="男性育休", days=9)
    assert "9日は10日未満" in word(evaluation.reasons[0])


@pytest.mark.parametrize("course, amount", [("育児", 200_000), ("介護", 400_000), ("不妊治療", 200_000)])
def test_fixed_courses(kb, course, amount):
    evaluation = run(kb, "work-life-incentive", size="小規模事業者", course=course)
    assert evaluation.amount_yen == amount


def test_course_is_asked_with_its_options(kb):
    evaluation = run(kb, "work-life-incentive", size="中小企業")
    assert evaluation.missing == ["course"]
    assert evaluation.options["course"] == ["育児", "介護", "不妊治療", "男性育休"]


# ── 外国人労働者職場環境整備促進事業費: 20万円 + 加算20万円 ───────────────────────────
@pytest.mark.parametrize("measures, amount", [
    ([], 200_000),
    (["一時帰国休暇制度の創設"], 400_000),
    (["一時帰国休暇制度の創設", "社内マニュアル・標識類等の多言語化"], 400_000),  # one add-on only
    (["関係のない取組"], 200_000),
])
def test_foreign_worker_incentive_addon(kb, measures, amount):
    evaluation = run(kb, "foreign-worker-incentive", size="中小企業", measures=measures)
    assert evaluation.outcome == ELIGIBLE and evaluation.amount_yen == amount


# ── guarantee-fee subsidies ────────────────────────────────────────────────────
def test_mini_guarantee_fee_gives_both_rates_because_the_condition_is_not_stated(kb, word):
    evaluation = run(kb, "mini-guarantee-fee-subsidy", cost_yen=100_000)
    assert evaluation.outcome == ALTERNATIVES
    assert [yen for _, yen in evaluation.alternatives] == [20_000, 40_000]
    assert "条件は資料に記載がありません" in word(evaluation.reasons[0])


def test_expanded_guarantee_fee_subsidies_keep_their_months(kb, word):
    crude = run(kb, "crude-oil-guarantee-fee-subsidy", cost_yen=100_001)
    assert crude.amount_yen == 50_000
    assert any("６月まで" in word(s) for s in crude.steps)
    assert any("９月まで" in word(s) for s in run(kb, "accompanying-guarantee-fee-subsidy", cost_yen=1).steps)


def test_eco_asset_has_no_cap_in_the_source_and_says_so(kb, word):
    evaluation = run(kb, "eco-asset-subsidy", size="小規模事業者", cost_yen=900_000)
    assert evaluation.amount_yen == 600_000
    assert any("上限額は資料に記載がありません" in word(s) for s in evaluation.steps)


def test_a_case_shows_the_requirements_it_alone_meets(dialogue):
    conversation = Conversation()
    turn = dialogue.ask(conversation, "従業員12人の製造業で、県内に8,000万円投資して工場を建てます。"
                                      "セレクト神奈川NEXTの補助はいくら？")
    # the SME case meets 5千万円 and 10人, which the large-company case does not: said with it
    sme_case = next(line for line in turn.text.splitlines() if line.startswith("・中小企業・特区制度活用などに当たらない場合"))
    assert "5千万円（5,000万円）以上）を満たします" in sme_case and "10人以上）を満たします" in sme_case
