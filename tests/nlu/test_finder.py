"""Facts of a message resolved to knowledge-base values (knowledge/finder.py)."""

import pytest

from knowledge.evaluator import SIZES
from knowledge.finder import load_language


@pytest.fixture(scope="module")
def finder(analyser):
    return analyser.finder


def found(finder, text):
    return [(e["entity"], e["value"]) for e in finder.find(text)]


@pytest.mark.parametrize("text, expected", [
    ("500万円", 5_000_000), ("５００万", 5_000_000), ("1,200万円", 12_000_000), ("1億5千万円", 150_000_000),
    ("三百万円", 3_000_000), ("2億", 200_000_000), ("１億５千万円", 150_000_000), ("5,000万円", 50_000_000)])
def test_money_values_are_yen(finder, text, expected):
    assert found(finder, f"設備に{text}かかります") == [("money", expected)]


@pytest.mark.parametrize("text, days", [("20日", 20), ("２０日間", 20), ("2週間", 14), ("十日", 10)])
def test_duration_in_days(finder, text, days):
    assert ("duration", days) in found(finder, f"育休を{text}取得")


def test_months_are_kept_as_months_because_they_straddle_the_threshold(finder):
    assert ("duration", "1か月") in found(finder, "育休を1ヶ月取る")


def test_dates_are_not_durations(finder):
    assert found(finder, "3月20日に申し込みたい") == []


def test_people(finder):
    assert ("people", 12) in found(finder, "従業員は12人です")
    assert ("people", 30) in found(finder, "常用雇用者30名")


@pytest.mark.parametrize("text, size", [("小規模事業者です", "小規模事業者"), ("零細です", "小規模事業者"),
                                        ("うちは中小", "中小企業"), ("大手です", "大企業"), ("中堅企業", "中堅企業")])
def test_company_size(finder, text, size):
    assert ("company_size", size) in found(finder, text)


@pytest.mark.parametrize("text, value", [("特区制度を活用します", True), ("特区は使いません", False),
                                         ("特区外です", False), ("特区の場合は？", True)])
def test_tokku(finder, text, value):
    assert ("tokku", value) in found(finder, text)


def test_program_names_resolve_to_ids_and_ambiguous_names_to_candidates(finder, kb):
    entities = found(finder, "セレクト神奈川ＮＥＸＴと生産性向上の補助金")
    assert ("program", kb.program_by_name("中小企業生産性向上促進事業費補助").id) in entities
    ambiguous = [v for e, v in entities if e == "program" and isinstance(v, list)]
    assert len(ambiguous) == 1 and len(ambiguous[0]) == 3


def test_entities_never_overlap_a_program_name_but_a_course_may_sit_inside_one(finder):
    entities = finder.find("男性育休の奨励金は20日でいくら")
    spans = [(e["start"], e["end"]) for e in entities if e["entity"] not in ("course", "tokku")]
    for (_start, a_end), (b_start, _end) in zip(spans, spans[1:]):
        assert a_end <= b_start
    # 「男性育休の奨励金」 names the program and, inside its name, the course
    assert ("course", "男性育休") in [(e["entity"], e["value"]) for e in entities]


def test_vocabulary_values_are_the_knowledge_bases_own_words(kb):
    vocabulary = load_language()
    assert set(vocabulary["company_size"]) <= set(SIZES)
    rules = {r: kb.rule(r) for p in kb.programs() for r in p.rule_ids}
    courses = {c["key"] for rule in rules.values() for c in rule.get("courses", [])}
    measures = {m for rule in rules.values() for m in rule.get("addon", {}).get("any_of", [])}
    assert set(vocabulary["course"]) == courses
    assert set(vocabulary["measure"]) == measures
    requirement = kb.requirement_set("select-next")
    items = {i["item"]: i for i in requirement["items"]}
    assert set(vocabulary["industry"]) == set(items["対象産業"]["values"])
    assert set(vocabulary["business_type"]) == set(items["対象業種"]["values"])
    regional = items["地域振興型産業の地域・業種"]
    assert set(vocabulary["region"]) == set(regional["regions"])
    assert set(vocabulary["manufacturing_field"]) == set(regional["fields"])
    assert set(vocabulary["topic"]) == {t["id"] for t in kb.topics()}


def test_tokku_is_found_even_inside_a_program_name(finder):
    assert ("tokku", True) in found(finder, "さがみロボット産業特区の制度を活用して100億円投資")


def test_large_investment_variant(finder):
    assert ("variant", "大規模設備投資") in found(finder, "大規模設備投資の枠で使いたい")


@pytest.mark.parametrize("text, value", [("50", 50), ("５０です", 50), ("十四", 14), ("120くらい", 120), (" 8。", 8)])
def test_a_message_that_is_only_a_number(finder, text, value):
    assert found(finder, text) == [("number", value)]


@pytest.mark.parametrize("text", ["50人", "2024年に申請", "50の事業", "3月20日"])
def test_numbers_inside_a_sentence_are_not_bare_numbers(finder, text):
    assert "number" not in [entity for entity, _ in found(finder, text)]


@pytest.mark.parametrize("text", ["どれもやりません", "いずれも実施しない", "何もしていません", "どれも該当しません"])
def test_none_of_the_add_on_measures(finder, text):
    assert found(finder, text) == [("measure", "なし")]
