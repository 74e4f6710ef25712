"""What one business can receive: the interpreter of the rules in ``rules.yml``.

:func:`evaluate` takes one amount rule (a dict as written in the data), its
requirements if any, and the facts known about a business, and returns an
:class:`Evaluation`: the outcome, the amount, and every figure it used with the clause
of the document that figure came from, so an answer can show its working
(``600万円 × 2/3 = 400万円``, ``上限500万円以内``).

It never guesses. A fact it needs and does not have is reported in ``missing``; a case
the document does not settle (a company size it does not mention, two rates with no
stated condition) is reported as ``UNKNOWN`` or as alternatives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from math import floor

from .money import format_yen

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
UNKNOWN = "unknown"
NEEDS_INPUT = "needs_input"
ALTERNATIVES = "alternatives"
CASES = "cases"  # the amount in each case of a fact not given (size, 特区), side by side

SIZES = ("小規模事業者", "中小企業", "中堅企業", "大企業")
# A 小規模事業者 is also a 中小企業; no other size includes another.
_SIZE_INCLUDES = {"中小企業": {"中小企業", "小規模事業者"}}

# The facts a rule can ask for, with how they are named to people.
INPUT_LABELS = {
    "size": "企業規模",
    "cost_yen": "対象経費",
    "investment_yen": "投資額",
    "employees": "常用雇用者数",
    "tokku": "特区制度活用など",
    "variant": "大規模設備投資",
    "course": "コース",
    "days": "育児休業期間",
    "measures": "加算の対象となる取組",
    "industry": "対象産業",
    "business_type": "業種",
    "region": "地域",
    "manufacturing_field": "製造業の分野",
    "facility": "施設の種類",
}


@dataclass(frozen=True)
class Step:
    """One figure or judgement, with the clause of the document behind it."""

    text: str
    clause: str | None = None
    page: str | None = None


@dataclass(frozen=True)
class RequirementResult:
    item: str
    status: str  # "met" | "not_met" | "unconfirmed" | "unknown" | "not_applicable"
    text: str
    clause: str | None
    page: str | None


@dataclass
class Evaluation:
    rule_id: str
    program: str
    label: str
    outcome: str
    amount_yen: int | None = None
    steps: list[Step] = field(default_factory=list)
    reasons: list[Step] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    alternatives: list[tuple[str, int]] = field(default_factory=list)
    requirements: list[RequirementResult] = field(default_factory=list)
    options: dict[str, list[str]] = field(default_factory=dict)
    page: str | None = None
    section: str | None = None
    cases: list[tuple[str, "Evaluation"]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "rule_id": self.rule_id,
            "program": self.program,
            "label": self.label,
            "outcome": self.outcome,
            "amount_yen": self.amount_yen,
            "amount": format_yen(self.amount_yen) if self.amount_yen is not None else None,
            "steps": [vars(s) for s in self.steps],
            "reasons": [vars(s) for s in self.reasons],
            "missing": self.missing,
            "alternatives": [{"label": label, "yen": yen, "amount": format_yen(yen)}
                             for label, yen in self.alternatives],
            "requirements": [vars(r) for r in self.requirements],
            "options": self.options,
            "cases": [{"case": label, **case.as_dict()} for label, case in self.cases],
            "page": self.page,
            "section": self.section,
        }


def size_matches(condition: str, size: str | None) -> bool:
    return size in _SIZE_INCLUDES.get(condition, {condition})


def _condition_holds(when: dict | None, facts: dict) -> bool | None:
    """True/False, or None when a fact the condition needs is not known."""
    for key, expected in (when or {}).items():
        actual = facts.get(key)
        if key == "size":
            if actual is None:
                return None
            if not size_matches(expected, actual):
                return False
        elif key == "tokku":
            if actual is None:
                return None
            if bool(actual) != bool(expected):
                return False
        elif actual != expected:
            return False
    return True


def _first_matching(entries: list[dict], facts: dict) -> tuple[dict | None, set[str]]:
    """The first entry whose ``when`` holds, and the facts still needed to decide."""
    needed: set[str] = set()
    for entry in entries:
        holds = _condition_holds(entry.get("when"), facts)
        if holds is None:
            needed.update(k for k in entry["when"] if facts.get(k) is None)
            return None, needed
        if holds:
            return entry, needed
    return None, needed


def parse_rate(text) -> Fraction:
    """A rate as the document writes it: ``"2/3"`` or ``"12%"``."""
    text = str(text).strip()
    if text.endswith("%"):
        return Fraction(text[:-1]) / 100
    return Fraction(text)


def _conditional_parts(rule: dict, requirement_set: dict | None) -> list[dict]:
    """Every rate, cap and requirement threshold of a rule: the parts that carry a ``when``."""
    parts = (rule.get("rates") or []) + (rule.get("caps") or [])
    for item in (requirement_set or {}).get("items", []):
        parts += item.get("thresholds") or []
    return parts


def _depends_on_size(rule: dict, requirement_set: dict | None) -> bool:
    """Whether a rule's amount or its requirements (not only who is eligible) change with size."""
    return any("size" in (part.get("when") or {}) for part in _conditional_parts(rule, requirement_set))


def _check_size(rule: dict, facts: dict, evaluation: Evaluation, requirement_set: dict | None = None) -> bool:
    """Record the size judgement; False when the evaluation cannot go on."""
    sizes = rule.get("sizes")
    if not sizes:
        return True
    size = facts.get("size")
    if size is None:
        if _depends_on_size(rule, requirement_set):
            evaluation.missing.append("size")
            evaluation.options["size"] = list(SIZES)
        else:
            # the amount is the same for every eligible size: answer, and say who is eligible
            evaluation.steps.append(Step(f"対象：{'、'.join(sizes.get('eligible', []))}"
                                         + (f"（{'、'.join(sizes['not_eligible'])}は対象外）"
                                            if sizes.get("not_eligible") else ""),
                                         sizes.get("clause"), rule.get("page")))
        return True
    page = rule.get("page")
    if size in sizes.get("not_eligible", []):
        evaluation.outcome = NOT_ELIGIBLE
        evaluation.reasons.append(Step(f"{size}は対象外です。", sizes.get("clause"), page))
        return False
    if size not in sizes.get("eligible", []):
        evaluation.outcome = UNKNOWN
        evaluation.reasons.append(Step(
            f"資料には{size}についての記載がありません（対象：{'、'.join(sizes.get('eligible', []))}）。",
            sizes.get("clause"), page))
        return False
    evaluation.steps.append(Step(f"企業規模：{size}（対象）", sizes.get("clause"), page))
    return True


def evaluate_requirements(requirement_set: dict | None, facts: dict) -> tuple[list[RequirementResult], list[str]]:
    """Each requirement's status, and the facts still needed for the numeric ones."""
    if not requirement_set:
        return [], []
    results, missing = [], []
    page = requirement_set.get("page")
    for item in requirement_set.get("items", []):
        kind = item["kind"]
        name = item["item"]
        if kind == "minimum":
            threshold, needed = _first_matching(item["thresholds"], facts)
            value = facts.get(item["input"])
            if threshold is None:
                if needed:
                    missing.extend(k for k in needed if k not in missing)
                    continue
                results.append(RequirementResult(name, "unknown",
                                                 f"{name}：この企業規模の要件は資料に記載がありません。",
                                                 None, page))
                continue
            shown = format_yen(threshold["min"]) if item["input"].endswith("_yen") else f"{threshold['min']}人"
            if value is None:
                # not asked: the amount does not depend on it; listed as a condition to confirm
                results.append(RequirementResult(name, "unconfirmed", f"{name}：{shown}以上であること（要確認）",
                                                 threshold.get("clause"), page))
                continue
            shown = format_yen(threshold["min"]) if item["input"].endswith("_yen") else f"{threshold['min']}人"
            actual = format_yen(value) if item["input"].endswith("_yen") else f"{value}人"
            met = value >= threshold["min"]
            results.append(RequirementResult(
                name, "met" if met else "not_met",
                f"{name}：{actual}（要件 {shown}以上）" + ("を満たします" if met else "を満たしません"),
                threshold.get("clause"), page))
        elif kind == "one_of":
            value = facts.get(item["input"])
            unless = item.get("unless")
            if unless and _condition_holds(unless, facts):
                results.append(RequirementResult(name, "met", f"{name}：研究所は全産業が対象です",
                                                 item.get("clause"), page))
            elif value is None:
                results.append(RequirementResult(name, "unconfirmed",
                                                 f"{name}：{'、'.join(item['values'])}のいずれかであること（要確認）",
                                                 item.get("clause"), page))
            else:
                met = value in item["values"]
                results.append(RequirementResult(
                    name, "met" if met else "not_met",
                    f"{name}：{value}は対象" + ("です" if met else "ではありません"),
                    item.get("clause"), page))
        elif kind == "confirm":
            results.append(RequirementResult(name, "unconfirmed", f"{name}：{item['text']}（要確認）",
                                             item.get("clause"), page))
        elif kind == "regional":
            applies = _condition_holds(item.get("applies_when"), facts)
            if not applies:
                continue
            region = facts.get(item["input"])
            field_ = facts.get(item["sub_input"])
            if region is None or field_ is None:
                results.append(RequirementResult(
                    name, "unconfirmed",
                    f"{name}：{'・'.join(item['regions'])}の製造業（{'、'.join(item['fields'])}）に限ります（要確認）",
                    item.get("clause"), page))
            else:
                met = region in item["regions"] and field_ in item["fields"]
                results.append(RequirementResult(
                    name, "met" if met else "not_met",
                    f"{name}：{region}・{field_}は対象" + ("です" if met else "ではありません"),
                    item.get("clause"), page))
    return results, missing


def describe_condition(when: dict | None) -> str:
    """「中小企業・特区制度活用など」: which case of the rule was applied."""
    parts = []
    for key, value in (when or {}).items():
        if key == "size":
            parts.append(value)
        elif key == "tokku":
            parts.append("特区制度活用など" if value else "特区制度活用などに当たらない場合")
        else:
            parts.append(str(value))
    return "・".join(parts)


def _rate_of_base(rule: dict, facts: dict, evaluation: Evaluation) -> None:
    base = rule["base"]
    page = rule.get("page")
    amount_input = facts.get(base["input"])
    if amount_input is None:
        evaluation.missing.append(base["input"])
    for key in ("tokku",):
        if key in (rule.get("asks") or []) and facts.get(key) is None:
            evaluation.missing.append(key)
            evaluation.options[key] = ["はい", "いいえ"]
    if rule.get("alternatives"):
        if evaluation.missing:
            return
        evaluation.outcome = ALTERNATIVES
        for entry in rule["rates"]:
            rate = parse_rate(entry["rate"])
            yen = floor(amount_input * rate)
            evaluation.alternatives.append((f"補助率{entry['rate']}の場合", yen))
            evaluation.steps.append(Step(
                f"{base['label']} {format_yen(amount_input)} × {entry['rate']} = {format_yen(yen)}",
                entry.get("clause"), page))
        evaluation.reasons.append(Step("どちらの補助率が適用されるかの条件は資料に記載がありません。",
                                       rule["rates"][0].get("clause"), page))
        return
    rate_entry, needed = _first_matching(rule["rates"], facts)
    cap_entry, cap_needed = _first_matching(rule.get("caps") or [], facts)
    for key in sorted(needed | cap_needed):
        if key not in evaluation.missing:
            evaluation.missing.append(key)
    if evaluation.missing:
        return
    if rate_entry is None:
        evaluation.outcome = UNKNOWN
        evaluation.reasons.append(Step("この条件に当てはまる補助率は資料に記載がありません。", None, page))
        return
    exact = amount_input * parse_rate(rate_entry["rate"])
    amount = floor(exact)
    note = "" if exact == amount else "（円未満切り捨て）"
    condition = describe_condition(rate_entry.get("when"))
    evaluation.steps.append(Step(
        f"{base['label']} {format_yen(amount_input)} × {rate_entry['rate']} = {format_yen(amount)}{note}"
        + (f"（{condition}の率）" if condition else ""),
        rate_entry.get("clause"), page))
    if cap_entry is not None:
        if amount > cap_entry["yen"]:
            evaluation.steps.append(Step(
                f"上限{format_yen(cap_entry['yen'])}を超えるため、{format_yen(cap_entry['yen'])}",
                cap_entry.get("clause"), page))
            amount = cap_entry["yen"]
        else:
            evaluation.steps.append(Step(f"上限{format_yen(cap_entry['yen'])}以内", cap_entry.get("clause"), page))
    elif rule.get("caps") is None:
        evaluation.steps.append(Step("上限額は資料に記載がありません", None, page))
    floor_entry = rule.get("floor")
    if floor_entry is not None:
        if amount < floor_entry["yen"]:
            evaluation.outcome = NOT_ELIGIBLE
            evaluation.amount_yen = None
            evaluation.reasons.append(Step(
                f"{evaluation.label} {format_yen(amount)} は下限額{format_yen(floor_entry['yen'])}に満たないため、対象になりません。",
                floor_entry.get("clause"), page))
            return
        evaluation.steps.append(Step(f"下限額{format_yen(floor_entry['yen'])}以上", floor_entry.get("clause"), page))
    if rule.get("applies_until"):
        evaluation.steps.append(Step(f"{rule.get('applies_to', '')}：{rule['applies_until']}",
                                     rule["rates"][0].get("clause"), page))
    evaluation.outcome = ELIGIBLE
    evaluation.amount_yen = amount


def _loan_limit(rule: dict, facts: dict, evaluation: Evaluation) -> None:
    base = rule["base"]
    page = rule.get("page")
    cost = facts.get(base["input"])
    if cost is None:
        evaluation.missing.append(base["input"])
        return
    by_share = floor(cost * parse_rate(rule["share"]["rate"]))
    evaluation.steps.append(Step(f"{base['label']} {format_yen(cost)} × {rule['share']['rate']} = {format_yen(by_share)}",
                                 rule["share"].get("clause"), page))
    amount = by_share
    maximum = rule["max"]["yen"]
    if by_share > maximum:
        evaluation.steps.append(Step(f"最大{format_yen(maximum)}のため、{format_yen(maximum)}",
                                     rule["max"].get("clause"), page))
        amount = maximum
    else:
        evaluation.steps.append(Step(f"最大{format_yen(maximum)}以内", rule["max"].get("clause"), page))
    evaluation.steps.append(Step(
        f"融資期間{rule['term']['years']}年以内（{rule['grace']['years']}年以内の据置期間を含む）",
        rule["term"].get("clause"), page))
    evaluation.outcome = ELIGIBLE
    evaluation.amount_yen = amount


def _fixed_by_course(rule: dict, facts: dict, evaluation: Evaluation) -> None:
    page = rule.get("page")
    courses = {c["key"]: c for c in rule["courses"]}
    key = facts.get("course")
    if key is None:
        evaluation.missing.append("course")
        evaluation.options["course"] = list(courses)
        return
    course = courses.get(key)
    if course is None:
        evaluation.outcome = UNKNOWN
        evaluation.reasons.append(Step(f"「{key}」というコースは資料にありません（{'、'.join(courses)}）。", None, page))
        return
    requirement_text = "、".join(course.get("requirements") or [])
    if course.get("tiers"):
        days = facts.get(course["input"])
        if days is None:
            evaluation.missing.append(course["input"])
            return
        tiers = course["tiers"]
        tier = next((t for t in tiers
                     if days >= t["min_days"] and ("below_days" not in t or days < t["below_days"])), None)
        if tier is None:
            lowest = min(t["min_days"] for t in tiers)
            evaluation.outcome = NOT_ELIGIBLE
            evaluation.reasons.append(Step(
                f"{course['input_label']}{days}日は{lowest}日未満のため、交付の対象になりません。",
                tiers[0].get("clause"), page))
            return
        span = f"{tier['min_days']}日以上" + (f"{tier['below_days']}日未満" if "below_days" in tier else "")
        evaluation.steps.append(Step(f"{course['course']}：{course['input_label']}{days}日（{span}）→ {format_yen(tier['yen'])}",
                                     tier.get("clause"), page))
        evaluation.amount_yen = tier["yen"]
    else:
        evaluation.steps.append(Step(f"{course['course']}コース：{format_yen(course['yen'])}", course.get("clause"), page))
        evaluation.amount_yen = course["yen"]
    if requirement_text:
        evaluation.steps.append(Step(f"主な交付要件：{requirement_text}", None, page))
    evaluation.outcome = ELIGIBLE


def _base_plus_addon(rule: dict, facts: dict, evaluation: Evaluation) -> None:
    page = rule.get("page")
    base, addon = rule["base"], rule["addon"]
    measures = facts.get("measures")
    if measures is None:
        evaluation.missing.append("measures")
        evaluation.options["measures"] = list(addon["any_of"]) + ["いずれも実施しない"]
        return
    evaluation.steps.append(Step(
        f"基本：{format_yen(base['yen'])}（主な交付要件：{'、'.join(base.get('requirements') or [])}）",
        base.get("clause"), page))
    amount = base["yen"]
    done = [m for m in measures if m in addon["any_of"]]
    if done:
        evaluation.steps.append(Step(
            f"加算：{format_yen(addon['yen'])}（{'、'.join(done)}）"
            + ("。加算は「いずれか」の実施で1回分です" if len(done) > 1 else ""),
            addon.get("clause"), page))
        amount += addon["yen"]
        evaluation.steps.append(Step(f"{format_yen(base['yen'])} + {format_yen(addon['yen'])} = {format_yen(amount)}",
                                     None, page))
    else:
        evaluation.steps.append(Step(
            f"加算なし（{'、'.join(addon['any_of'])}のいずれかを実施すると{format_yen(addon['yen'])}加算）",
            addon.get("clause"), page))
    evaluation.outcome = ELIGIBLE
    evaluation.amount_yen = amount


_KINDS = {
    "rate_of_base": _rate_of_base,
    "loan_limit": _loan_limit,
    "fixed_by_course": _fixed_by_course,
    "base_plus_addon": _base_plus_addon,
}


def evaluate(rule: dict, facts: dict, requirement_set: dict | None = None) -> Evaluation:
    """Apply one amount rule to the facts of a business.

    ``facts`` uses the keys of :data:`INPUT_LABELS`; money is int yen, ``tokku`` a bool,
    ``measures`` a list of the add-on measures done (empty: none).
    """
    evaluation = Evaluation(rule_id=rule["id"], program=rule["program"], label=rule.get("label", "金額"),
                            outcome=NEEDS_INPUT, page=rule.get("page"), section=rule.get("section"))
    if rule["kind"] not in _KINDS:
        raise ValueError(f"rule {rule['id']}: unknown kind {rule['kind']!r}")
    if not _check_size(rule, facts, evaluation, requirement_set):
        return evaluation
    _KINDS[rule["kind"]](rule, facts, evaluation)
    requirements, missing = evaluate_requirements(requirement_set, facts)
    evaluation.requirements = requirements
    failed = [r for r in requirements if r.status == "not_met"]
    if failed and evaluation.outcome in (ELIGIBLE, ALTERNATIVES, NEEDS_INPUT):
        # a requirement already not met settles it, whatever else is still unknown
        evaluation.outcome = NOT_ELIGIBLE
        evaluation.amount_yen = None
        evaluation.missing = []
        evaluation.reasons.extend(Step(r.text, r.clause, r.page) for r in failed)
        return evaluation
    for key in missing:
        if key not in evaluation.missing:
            evaluation.missing.append(key)
    if evaluation.missing:
        evaluation.outcome = NEEDS_INPUT
        evaluation.amount_yen = None
        return evaluation
    if any(r.status == "unknown" for r in requirements) and evaluation.outcome == ELIGIBLE:
        evaluation.outcome = UNKNOWN
        evaluation.reasons.extend(Step(r.text, r.clause, r.page) for r in requirements if r.status == "unknown")
    return evaluation


# Facts whose few values can be shown side by side instead of asked first.
CASE_FACTS = ("size", "tokku")


def _sizes_that_differ(rule: dict, requirement_set: dict | None) -> list[str]:
    """The eligible sizes, without 小規模事業者 where nothing sets it apart from 中小企業."""
    sizes = list((rule.get("sizes") or {}).get("eligible", []))
    if "小規模事業者" in sizes and "中小企業" in sizes and not any(
            (part.get("when") or {}).get("size") == "小規模事業者" for part in _conditional_parts(rule, requirement_set)):
        sizes.remove("小規模事業者")
    return sizes


def evaluate_cases(rule: dict, facts: dict, requirement_set: dict | None = None) -> Evaluation:
    """Like :func:`evaluate`, but when only the company size or 特区 is missing, the amount
    for each of their values side by side (outcome ``CASES``), rather than a question."""
    evaluation = evaluate(rule, facts, requirement_set)
    missing = evaluation.missing
    if evaluation.outcome != NEEDS_INPUT or not set(missing) & set(CASE_FACTS):
        return evaluation
    if not set(missing) <= set(CASE_FACTS):
        # other facts are missing too: cases only if every one of them is already not
        # eligible (「社員8名」 meets neither 10人 nor 30人, whatever the investment)
        trial = _cases(rule, facts, requirement_set, missing)
        if trial and all(case.outcome == NOT_ELIGIBLE for _, case in trial):
            evaluation.cases = trial
            evaluation.missing = [f for f in missing if f in CASE_FACTS]
            evaluation.outcome = CASES
        return evaluation
    evaluation.cases = _cases(rule, facts, requirement_set, missing)
    evaluation.outcome = CASES
    return evaluation


def _cases(rule: dict, facts: dict, requirement_set: dict | None, missing: list[str]) -> list:
    cases = []
    sizes = _sizes_that_differ(rule, requirement_set) if "size" in missing else [facts.get("size")]
    tokku_values = [False, True] if "tokku" in missing else [facts.get("tokku")]
    for size in sizes:
        for tokku in tokku_values:
            case_facts = dict(facts, size=size, tokku=tokku)
            labels = [size if "size" in missing else None,
                      (("特区制度活用など" if tokku else "特区制度活用などに当たらない") if "tokku" in missing else None)]
            label = "・".join(l for l in labels if l)
            label += "場合" if label.endswith("ない") else "の場合"
            cases.append((label, evaluate(rule, case_facts, requirement_set)))
    return cases
