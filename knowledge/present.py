"""How knowledge-base facts are worded in Japanese, for the bot and the staff command line.

Every sentence that carries a figure, a rule or a phone number is made here from the
database rows, so the bot and staff always see the same wording of the same fact.
"""

from __future__ import annotations

from .evaluator import (ALTERNATIVES, CASES, ELIGIBLE, INPUT_LABELS, NEEDS_INPUT, NOT_ELIGIBLE, UNKNOWN,
                        Evaluation)
from .kb import Budget, Contact, KnowledgeBase, Program
from .money import format_yen

BUDGET_KIND_LABELS = {
    "initial": "６年度当初予算額",
    "supplementary": "５年度12月補正予算額（６年度へ繰越）",
}


def page_refs(*pages: str | None) -> str:
    """``page_refs("1-3", "4")`` → ``"p.1-3, p.4"`` (repeats and blanks dropped)."""
    return ", ".join(f"p.{p}" for p in dict.fromkeys(p for p in pages if p))


def citation(kb: KnowledgeBase, refs: str | None) -> str:
    """出典：神奈川県 産業労働局「…記者発表付属資料」p.4（令和6年度当初予算案の数値です）."""
    source = kb.source
    where = f" {refs}" if refs else ""
    return (f"出典：神奈川県 {source['publisher'].split()[-1]}「{source['title']}」{where}"
            f"（{source['status_label']}の数値です）")


def contact_line(contact: Contact | None) -> str:
    if contact is None:
        return "資料にはこの事業の問合せ先の記載がありません。"
    return f"{contact.display_name}（{contact.head}）電話 {contact.phone}"


def budget_lines(program: Program) -> list[str]:
    """The prefecture's budget for a program, labelled as such, one line per figure, and
    what the detail page adds (債務負担行為)."""
    lines = []
    seen_amounts = {}
    for budget in program.budgets:
        if budget.kind in BUDGET_KIND_LABELS:
            key = (budget.kind, budget.yen)
            place = f"「{budget.topic}」" if budget.topic else ""
            if key in seen_amounts:
                lines.append(f"  （同じ事業が{place}にも同額で掲載されています）")
                continue
            seen_amounts[key] = True
            lines.append(f"{BUDGET_KIND_LABELS[budget.kind]}：{budget.amount}")
        else:
            prefix = "  " if budget.part_of else ""
            lines.append(f"{prefix}{budget.label}（{budget.kind}）：{budget.amount}"
                         + (f"　※{budget.note}" if budget.note else ""))
    lines.extend(f"{label}：{value}" for label, value in program.extra.items())
    return lines


def _clauses(rule: dict) -> list[str]:
    """The rule's quoted clauses, the general case before its exceptions (「ただし…」)."""
    found = []
    for part in (rule.get("rates") or []) + (rule.get("caps") or []) + [rule.get("floor") or {}]:
        clause = part.get("clause")
        if clause and clause not in found:
            found.append(clause)
    return sorted(found, key=lambda clause: clause.startswith("ただし"))


def rule_summary(rule: dict) -> list[str]:
    """What one business can receive under a rule, in the document's own terms."""
    kind = rule["kind"]
    lines = []
    if kind == "rate_of_base":
        lines.append(f"{rule['label']}＝{rule['base']['label']} × 補助率")
        if rule.get("applies_to"):
            lines.append(f"{rule['applies_to']}（{rule.get('applies_until', '')}）")
        lines.extend(_clauses(rule))
        if not rule.get("caps"):
            lines.append("上限額：資料に記載なし")
    elif kind == "loan_limit":
        lines.append(f"{rule['max']['clause']}（{rule['share']['clause']}）")
        lines.append(rule["term"]["clause"])
        if rule.get("sizes"):
            lines.append(rule["sizes"]["clause"])
    elif kind == "fixed_by_course":
        for course in rule["courses"]:
            if course.get("tiers"):
                tiers = "、".join(
                    f"{t['min_days']}日以上" + (f"{t['below_days']}日未満" if "below_days" in t else "")
                    + f"：{format_yen(t['yen'])}" for t in course["tiers"])
                lines.append(f"{course['course']}：{tiers}")
            else:
                lines.append(f"{course['course']}：{format_yen(course['yen'])}")
    elif kind == "base_plus_addon":
        base, addon = rule["base"], rule["addon"]
        lines.append(f"基本：{format_yen(base['yen'])}（{'、'.join(base.get('requirements') or [])}）")
        lines.append(f"加算：{format_yen(addon['yen'])}（次のいずれかを実施した場合：{'、'.join(addon['any_of'])}）")
    return lines


def rule_requirement_lines(rule: dict) -> list[str]:
    """The conditions written inside a rule: each course's and the base's 主な交付要件."""
    lines = []
    for course in rule.get("courses", []):
        if course.get("requirements"):
            lines.append(f"{course['course']}の主な交付要件：{'、'.join(course['requirements'])}")
    base = rule.get("base") or {}
    if base.get("requirements"):
        lines.append(f"主な交付要件：{'、'.join(base['requirements'])}")
    if rule.get("addon"):
        lines.append(f"加算の対象（いずれか）：{'、'.join(rule['addon']['any_of'])}")
    return lines


def _threshold_text(item: dict, threshold: dict) -> str:
    unit = format_yen(threshold["min"]) if item["input"].endswith("_yen") else f"{threshold['min']}人"
    when = threshold.get("when") or {}
    case = when.get("size") or when.get("variant") or ""
    return f"{case} {unit}以上".strip()


def requirement_lines(requirement_set: dict) -> list[str]:
    """Each requirement: thresholds restated in yen and people, other conditions as printed."""
    lines = []
    for item in requirement_set.get("items", []):
        if item["kind"] == "minimum":
            lines.append(f"{item['item']}：" + "、".join(_threshold_text(item, t) for t in item["thresholds"]))
        elif item["kind"] == "confirm":
            lines.append(f"{item['item']}：{item['text']}")
        elif item.get("clause"):
            lines.append(item["clause"])
    return list(dict.fromkeys(lines))


def _case_line(label: str, case: Evaluation) -> str:
    working = next((s.text for s in case.steps if " × " in s.text), "")
    if case.outcome == ELIGIBLE:
        verdict = f"{format_yen(case.amount_yen)}" + ("（上限を適用）" if any("を超えるため" in s.text for s in case.steps)
                                                     else "")
    elif case.outcome in (NOT_ELIGIBLE, UNKNOWN):
        verdict = case.reasons[0].text if case.reasons else "資料に記載がありません"
    else:
        verdict = "資料に記載がありません"
    return f"・{label}：" + (f"{working} → " if working and case.outcome == ELIGIBLE else "") + verdict


def evaluation_lines(evaluation: Evaluation) -> list[str]:
    """The working and the verdict of one evaluation."""
    if evaluation.outcome == CASES:
        lines = [_case_line(label, case) for label, case in evaluation.cases]
        facts = "・".join(INPUT_LABELS[k] for k in evaluation.missing)
        lines.append(f"（{facts}を教えていただければ、1つに確定します）")
        unconfirmed = [r.text for _, case in evaluation.cases for r in case.requirements if r.status == "unconfirmed"]
        lines.extend(f"・{text}" for text in dict.fromkeys(unconfirmed))
        return lines
    lines = [f"・{step.text}" for step in evaluation.steps]
    if evaluation.outcome == ELIGIBLE:
        lines.append(f"→ {evaluation.label}の目安：{format_yen(evaluation.amount_yen)}")
    elif evaluation.outcome == ALTERNATIVES:
        lines.extend(f"→ {label}：{format_yen(yen)}" for label, yen in evaluation.alternatives)
    elif evaluation.outcome in (NOT_ELIGIBLE, UNKNOWN):
        lines.extend(f"→ {step.text}" for step in evaluation.reasons)
    elif evaluation.outcome == NEEDS_INPUT:
        lines.append("→ 計算に必要な情報：" + "、".join(INPUT_LABELS.get(k, k) for k in evaluation.missing))
    unconfirmed = [r.text for r in evaluation.requirements if r.status == "unconfirmed"]
    lines.extend(f"・{text}" for text in unconfirmed)
    return lines


def program_card(kb: KnowledgeBase, program: Program) -> list[str]:
    """Everything the knowledge base holds about one program, for staff."""
    lines = [f"■ {program.name}  [{program.id}]"]
    where = "; ".join(f"{l['topic_name']} {l['number_printed'] or 'その他'}" for l in program.listings)
    if where:
        lines.append(f"  掲載：{where}")
    tags = [t for t in (program.category, program.new_mark and f"{program.new_mark}（{program.new_evidence}）",
                        program.aggregate and f"{program.aggregate_count}事業の合計") if t]
    if tags:
        lines.append("  区分：" + " / ".join(str(t) for t in tags))
    if program.summary:
        lines.append(f"  概要：{program.summary}")
    for label, value in (("目的", program.purpose), ("事業内容", program.content),
                         ("対象", program.eligibility), ("対象経費", program.covered_costs)):
        if value:
            lines.append(f"  {label}：{value}")
    for example in program.examples:
        lines.append(f"    ・{example}")
    for point in program.points:
        lines.append(f"  ポイント：{point}")
    lines.append("  予算（県の事業全体の額）：")
    lines.extend(f"    {line}" for line in budget_lines(program))
    for rule_id in program.rule_ids:
        rule = kb.rule(rule_id)
        lines.append(f"  1事業者あたり（{rule['label']}） p.{rule['page']}：")
        lines.extend(f"    {line}" for line in rule_summary(rule))
    for requirement_set in kb.requirement_sets_for(program.id):
        lines.append(f"  要件 p.{requirement_set['page']}：")
        lines.extend(f"    {line}" for line in requirement_lines(requirement_set))
    if program.related:
        lines.append(f"  関連：{program.related['program']}（{program.related['why']}）")
    if program.part_of:
        lines.append(f"  一部：{program.part_of['program']}（{program.part_of['why']}）")
    lines.append(f"  問合せ先：{contact_line(program.contact)}")
    lines.append(f"  頁：{program.page_refs}")
    return lines


def program_record(kb: KnowledgeBase, program: Program) -> dict:
    """The same facts as :func:`program_card`, as JSON-ready data."""
    return {
        "id": program.id,
        "name": program.name,
        "category": program.category,
        "audience": program.audience,
        "topic": program.topic,
        "new_mark": program.new_mark,
        "aggregate": program.aggregate,
        "summary": program.summary,
        "purpose": program.purpose,
        "content": program.content,
        "eligibility": program.eligibility,
        "covered_costs": program.covered_costs,
        "budgets": [{"kind": b.kind, "label": b.label, "yen": b.yen, "printed": b.printed,
                     "pages": b.pages, "topic": b.topic, "part_of": b.part_of} for b in program.budgets],
        "rules": [{**kb.rule(rule_id), "summary": rule_summary(kb.rule(rule_id))} for rule_id in program.rule_ids],
        "requirements": kb.requirement_sets_for(program.id),
        "contact": vars(program.contact) if program.contact else None,
        "pages": program.page_refs,
        "listings": [{"topic": l["topic_name"], "number": l["number_printed"], "printed_name": l["printed_name"],
                      "pages": l["pages"]} for l in program.listings],
    }
