"""The question bank: every program × every kind that applies, facts from the knowledge
base, the hand-written bank and staff files in YAML and CSV."""

import pytest

from coverage_report.bank import (
    HAND_BANK,
    QUESTIONS_DIR,
    BankError,
    build_bank,
    load_file,
    names_for,
    template_questions,
)
from coverage_report.facts import PHONE, PROGRAM_KINDS, YEN, applies
from knowledge.money import find_amounts


@pytest.fixture(scope="module")
def templates(kb):
    return template_questions(kb)


def test_every_program_gets_every_kind_of_question_that_applies_to_it(kb, templates):
    asked = {(q.program_id, q.kind) for q in templates}
    wanted = {(p.id, kind) for p in kb.programs() for kind in PROGRAM_KINDS if applies(kb, p, kind)}
    assert asked == wanted
    # amounts are asked only of programs with amount rules, contacts only where there is one
    assert {q.program_id for q in templates if q.kind == "amount"} == {p.id for p in kb.programs() if p.rule_ids}
    assert all(kb.program(q.program_id).contact for q in templates if q.kind == "contact")


def test_the_bank_is_the_same_every_time_and_its_ids_are_unique(kb, templates):
    again = template_questions(kb)
    assert [(q.id, q.text) for q in templates] == [(q.id, q.text) for q in again]
    assert len({q.id for q in templates}) == len(templates)


def test_amounts_and_eligibility_are_asked_in_several_ways(kb, templates):
    texts = [q.text for q in templates if q.program_id == "chusho-01" and q.kind == "amount"]
    assert len(texts) == 3 and len(set(texts)) == 3


def test_names_used_in_questions_name_that_program_alone(kb, resolver):
    for program in kb.programs():
        for name in names_for(kb, program):
            resolution = resolver.resolve(name)
            assert resolution.status == "one" and resolution.program.id == program.id, name
    assert "セレクト神奈川" not in names_for(kb, kb.program("yuchi-01"))  # ambiguous: never used


def test_expected_facts_come_from_the_knowledge_base(kb, templates):
    for question in templates:
        program = kb.program(question.program_id)
        facts = question.expectation.facts
        if question.kind == "budget":
            assert {f.options[0] for f in facts if f.kind == YEN} == {b.yen for b in program.budgets}
            # the budget figures, and what the detail page adds (債務負担行為 限度額 206億円)
            extra = {m.yen for value in program.extra.values() for m in find_amounts(str(value))}
            assert question.expectation.allowed_yen == {b.yen for b in program.budgets} | extra
        if question.kind == "contact":
            assert [f.options for f in facts if f.kind == PHONE] == [(program.contact.phone,)]
        if program.contact:
            assert question.expectation.allowed_phones == {program.contact.phone}


def test_amount_facts_are_the_rules_key_figures(kb, templates):
    question = next(q for q in templates if q.program_id == "yuchi-01" and q.kind == "amount")
    labels = {f.label for f in question.expectation.facts}
    assert {"補助率 6%", "補助率 3%", "補助率 12%", "上限 5億円", "上限 10億円"} <= labels
    assert 10_000_000 not in question.expectation.allowed_yen  # the 1,000万円 budget is not an amount


def test_the_hand_written_bank_and_the_staff_examples_load(kb):
    hand = load_file(kb, HAND_BANK, origin="bank")
    assert len(hand) >= 40
    assert {q.kind for q in hand} >= set(PROGRAM_KINDS)
    staff = build_bank(kb, [QUESTIONS_DIR / "staff_example.yml", QUESTIONS_DIR / "staff_example.csv"],
                       templates=False, hand=False)
    assert [q.origin for q in staff] == ["staff:staff_example.yml"] * 4 + ["staff:staff_example.csv"] * 2
    csv_amount = staff[-1]
    assert [f.label for f in csv_amount.expectation.facts] == ["6%", "5億円"]
    assert [f.options for f in csv_amount.expectation.forbidden] == [(10_000_000,)]


def test_a_staff_csv_file_with_alternatives_and_an_alias(kb, tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("# my questions\ntext,program,kind,expect,forbid,note\n"
                    "男性育休は何日から？,男性育休の奨励金,金額,１０日|2週間;20万円,,\n", encoding="utf-8")
    [question] = load_file(kb, path)
    assert question.program_id == "chusho-16" and question.kind == "amount"
    assert question.expectation.facts[0].options == ("10日", "2週間")
    assert question.expectation.allowed_phones == {kb.program("chusho-16").contact.phone}


@pytest.mark.parametrize("content, message", [
    ("questions:\n  - text: 予算は？\n    program: 存在しない事業\n    kind: budget\n", "知識ベースにありません"),
    ("questions:\n  - text: 予算は？\n    program: セレクト神奈川\n    kind: budget\n", "複数の事業"),
    ("questions:\n  - text: 予算は？\n    program: chusho-01\n", "kind"),
    ("questions:\n  - text: 予算は？\n    program: chusho-01\n    kind: price\n", "不明"),
    ("questions:\n  - text: 金額は？\n    program: seicho-01\n    kind: amount\n", "expect"),
    ("questions:\n  - text: 予算は？\n    kind: budget\n    expect: [48億4,595万円]\n", "カンマ"),
])
def test_malformed_staff_files_are_refused_with_the_file_and_question(kb, tmp_path, content, message):
    path = tmp_path / "bad.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BankError) as error:
        load_file(kb, path)
    assert message in str(error.value) and "bad.yml の 1 問目" in str(error.value)


def test_a_yaml_syntax_error_names_the_line(kb, tmp_path):
    path = tmp_path / "bad.yml"
    path.write_text("questions:\n  - text: 予算は？\n    kind: budget\n    note: 注意: 全体\n", encoding="utf-8")
    with pytest.raises(BankError, match="bad.yml の 4 行目：YAMLとして読めません"):
        load_file(kb, path)


def test_a_budget_answer_may_quote_the_debt_burden_limit(kb, templates):
    question = next(q for q in templates if q.kind == "budget" and q.program_id == "yuchi-01")
    assert 20_600_000_000 in question.expectation.allowed_yen   # 債務負担行為 限度額 206億円
    assert 500_000_000 not in question.expectation.allowed_yen   # 上限5億円 is a per-business amount


def test_every_statement_of_the_document_gets_a_question(kb):
    from coverage_report.bank import statement_questions
    from coverage_report.facts import STATEMENT_KINDS, fold
    from knowledge.money import parse_yen

    questions = statement_questions(kb)
    reachable = [s for s in kb.all_statements() if s["kind"] in STATEMENT_KINDS
                 and (s["program_id"] or s["kind"] == "net_figure")]
    assert len(questions) == len(reachable)
    assert {q.kind for q in questions} == set(STATEMENT_KINDS)
    # each expects its own statement, quoted
    for question, statement in zip(questions, reachable):
        option = question.expectation.facts[0].options[0]
        if statement["kind"] == "net_figure":
            assert option == parse_yen(statement["value"])
        else:
            assert option in fold(statement["text"])


def test_every_other_sentence_of_the_detail_pages_gets_a_question(kb):
    from coverage_report.bank import sentence_questions
    from coverage_report.facts import fold

    questions = sentence_questions(kb)
    stated = {s["line"] for s in kb.all_statements()}
    assert len(questions) >= 25 and len({q.id for q in questions}) == len(questions)
    for question in questions:
        line = int(question.id.rsplit(":", 1)[1].split(".")[0])
        assert line not in stated, "a statement's sentence is asked as that statement"
        sentence = question.note.split(": ", 1)[1]
        option, = question.expectation.facts[0].options
        assert option in fold(sentence) and len(option) >= 10
        program = kb.program(question.program_id)
        # named by the program and asked with words of the sentence that are not its name
        assert any(question.text.startswith(name) for name in names_for(kb, program))
        assert question.expectation.allowed_phones == frozenset([fold(program.contact.phone)])
    # headings and figure lines are left to the other kinds
    texts = {q.note.split(": ", 1)[1] for q in questions}
    assert not any(t.startswith("＜") or "円" in t for t in texts)
