"""What one business can receive: the interpreter of the rules in ``rules.yml``.

:func:`evaluate` takes one amount rule (a dict as written in the data), its
requirements if any, and the facts known about a business, and returns an
:class:`Evaluation`: the outcome, the amount, and every figure it used with the clause
of the document that figure came from, so an answer can show its working
(``600万円 × 2/3 = 400万円``, ``上限500万円以内``).

It never guesses. A fact it needs and does not have is reported in ``missing``; a case
the document does not settle (a company size it does not mention, two rates with no
stated condition) is reported as ``UNKNOWN`` or as alternatives.

It words nothing: every :class:`Step` and :class:`RequirementResult` is a code and its
values (yen as int), worded by :mod:`knowledge.render` from the ``step.<code>`` and
``requirement.<code>`` templates.
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

# The facts a rule can ask for (their names for people: the ``fact.<key>`` templates).
INPUTS = ("size", "not_sizes", "cost_yen", "investment_yen", "employees", "tokku", "variant", "course", "days", "measures",
          "industry", "business_type", "region", "manufacturing_field", "facility")


def inputs_read(definition) -> set[str]:
    """The facts a rule or requirement set reads: its inputs and the facts its conditions
    (``when``) name, wherever they stand in it."""
    found: set[str] = set()
    if isinstance(definition, dict):
        for key, value in definition.items():
            if key in ("input", "sub_input") and isinstance(value, str):
                found.add(value)
            elif key == "when" and isinstance(value, dict):
                found.update(value)
            found |= inputs_read(value)
    elif isinstance(definition, list):
        for item in definition:
            found |= inputs_read(item)
    return found


@dataclass(frozen=True)
class Step:
    """One figure or judgement — a code and its values — with the clause of the document
    behind it."""

    code: str
    values: dict = field(default_factory=dict, hash=False, compare=False)
    clause: str | None = None
    page: str | None = None


@dataclass(frozen=True)
class RequirementResult:
    item: str
    status: str  # "met" | "not_met" | "unconfirmed" | "unknown" | "not_applicable"
    code: str
    values: dict
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
    cases: list[tuple[dict, "Evaluation"]] = field(default_factory=list)

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
            "alternatives": [{"rate": rate, "yen": yen, "amount": format_yen(yen)}
                             for rate, yen in self.alternatives],
            "requirements": [{k: v for k, v in vars(r).items()} for r in self.requirements],
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
            evaluation.steps.append(Step("sizes", {"eligible": list(sizes.get("eligible", [])),
                                                   "not_eligible": list(sizes.get("not_eligible", []))},
                                         sizes.get("clause"), rule.get("page")))
        return True
    page = rule.get("page")
    if size in sizes.get("not_eligible", []):
        evaluation.outcome = NOT_ELIGIBLE
        evaluation.reasons.append(Step("size_not_eligible", {"size": size}, sizes.get("clause"), page))
        return False
    if size not in sizes.get("eligible", []):
        evaluation.outcome = UNKNOWN
        evaluation.reasons.append(Step("size_not_stated", {"size": size, "eligible": list(sizes.get("eligible", []))},
                                       sizes.get("clause"), page))
        return False
    evaluation.steps.append(Step("size_eligible", {"size": size}, sizes.get("clause"), page))
    return True


def evaluate_requirements(requirement_set: dict | None, facts: dict) -> tuple[list[RequirementResult], list[str]]:
    """Each requirement's status, and the facts still needed for the numeric ones."""
    if not requirement_set:
        return [], []
    results, missing = [], []
    page = requirement_set.get("page")

    def result(item: dict, status: str, code: str, clause=None, **values) -> None:
        results.append(RequirementResult(item["item"], status, code, {"item": item["item"], **values}, clause, page))

    for item in requirement_set.get("items", []):
        kind = item["kind"]
        if kind == "minimum":
            threshold, needed = _first_matching(item["thresholds"], facts)
            value = facts.get(item["input"])
            money = item["input"].endswith("_yen")
            if threshold is None:
                if needed:
                    missing.extend(k for k in needed if k not in missing)
                    continue
                result(item, "unknown", "minimum_not_stated")
                continue
            if value is None:
                # not asked: the amount does not depend on it; listed as a condition to confirm
                result(item, "unconfirmed", "minimum_to_confirm", threshold.get("clause"),
                       minimum=threshold["min"], money=money)
                continue
            met = value >= threshold["min"]
            result(item, "met" if met else "not_met", "minimum_met" if met else "minimum_not_met",
                   threshold.get("clause"), minimum=threshold["min"], value=value, money=money)
        elif kind == "one_of":
            value = facts.get(item["input"])
            unless = item.get("unless")
            if unless and _condition_holds(unless, facts):
                result(item, "met", "every_industry", item.get("clause"), facility=unless.get("facility"))
            elif value is None:
                result(item, "unconfirmed", "one_of_to_confirm", item.get("clause"), values=list(item["values"]))
            else:
                met = value in item["values"]
                result(item, "met" if met else "not_met", "one_of_met" if met else "one_of_not_met",
                       item.get("clause"), value=value)
        elif kind == "confirm":
            result(item, "unconfirmed", "confirm", item.get("clause"), text=item["text"])
        elif kind == "regional":
            applies = _condition_holds(item.get("applies_when"), facts)
            if not applies:
                continue
            region = facts.get(item["input"])
            field_ = facts.get(item["sub_input"])
            if region is None or field_ is None:
                result(item, "unconfirmed", "regional_to_confirm", item.get("clause"),
                       regions=list(item["regions"]), fields=list(item["fields"]))
            else:
                met = region in item["regions"] and field_ in item["fields"]
                result(item, "met" if met else "not_met", "regional_met" if met else "regional_not_met",
                       item.get("clause"), region=region, field=field_)
    return results, missing


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
            evaluation.alternatives.append((entry["rate"], yen))
            evaluation.steps.append(Step("times", {"base": base["label"], "input": amount_input, "rate": entry["rate"],
                                                   "result": yen, "truncated": False, "when": {}},
                                         entry.get("clause"), page))
        evaluation.reasons.append(Step("rate_condition_not_stated", {}, rule["rates"][0].get("clause"), page))
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
        evaluation.reasons.append(Step("no_rate_for_case", {}, None, page))
        return
    exact = amount_input * parse_rate(rate_entry["rate"])
    amount = floor(exact)
    evaluation.steps.append(Step("times", {"base": base["label"], "input": amount_input, "rate": rate_entry["rate"],
                                           "result": amount, "truncated": exact != amount,
                                           "when": dict(rate_entry.get("when") or {})},
                                 rate_entry.get("clause"), page))
    if cap_entry is not None:
        if amount > cap_entry["yen"]:
            evaluation.steps.append(Step("over_cap", {"cap": cap_entry["yen"]}, cap_entry.get("clause"), page))
            amount = cap_entry["yen"]
        else:
            evaluation.steps.append(Step("within_cap", {"cap": cap_entry["yen"]}, cap_entry.get("clause"), page))
    elif rule.get("caps") is None:
        evaluation.steps.append(Step("cap_not_stated", {}, None, page))
    floor_entry = rule.get("floor")
    if floor_entry is not None:
        if amount < floor_entry["yen"]:
            evaluation.outcome = NOT_ELIGIBLE
            evaluation.amount_yen = None
            evaluation.reasons.append(Step("under_floor", {"label": evaluation.label, "amount": amount,
                                                          "floor": floor_entry["yen"]},
                                           floor_entry.get("clause"), page))
            return
        evaluation.steps.append(Step("above_floor", {"floor": floor_entry["yen"]}, floor_entry.get("clause"), page))
    if rule.get("applies_until"):
        evaluation.steps.append(Step("applies_until", {"applies_to": rule.get("applies_to", ""),
                                                       "until": rule["applies_until"]},
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
    evaluation.steps.append(Step("times", {"base": base["label"], "input": cost, "rate": rule["share"]["rate"],
                                           "result": by_share, "truncated": False, "when": {}},
                                 rule["share"].get("clause"), page))
    amount = by_share
    maximum = rule["max"]["yen"]
    if by_share > maximum:
        evaluation.steps.append(Step("over_loan_max", {"max": maximum}, rule["max"].get("clause"), page))
        amount = maximum
    else:
        evaluation.steps.append(Step("within_loan_max", {"max": maximum}, rule["max"].get("clause"), page))
    evaluation.steps.append(Step("loan_term", {"years": rule["term"]["years"], "grace": rule["grace"]["years"]},
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
        evaluation.reasons.append(Step("no_such_course", {"course": key, "courses": list(courses)}, None, page))
        return
    requirements = list(course.get("requirements") or [])
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
            evaluation.reasons.append(Step("days_below", {"label": course["input_label"], "days": days,
                                                          "lowest": lowest}, tiers[0].get("clause"), page))
            return
        evaluation.steps.append(Step("tier", {"course": course["course"], "label": course["input_label"], "days": days,
                                              "min": tier["min_days"], "below": tier.get("below_days"),
                                              "yen": tier["yen"]}, tier.get("clause"), page))
        evaluation.amount_yen = tier["yen"]
    else:
        evaluation.steps.append(Step("course", {"course": course["course"], "yen": course["yen"]},
                                     course.get("clause"), page))
        evaluation.amount_yen = course["yen"]
    if requirements:
        evaluation.steps.append(Step("requirements", {"items": requirements}, None, page))
    evaluation.outcome = ELIGIBLE


def _base_plus_addon(rule: dict, facts: dict, evaluation: Evaluation) -> None:
    page = rule.get("page")
    base, addon = rule["base"], rule["addon"]
    measures = facts.get("measures")
    if measures is None:
        evaluation.missing.append("measures")
        evaluation.options["measures"] = list(addon["any_of"]) + ["いずれも実施しない"]
        return
    evaluation.steps.append(Step("base", {"yen": base["yen"], "items": list(base.get("requirements") or [])},
                                 base.get("clause"), page))
    amount = base["yen"]
    done = [m for m in measures if m in addon["any_of"]]
    if done:
        evaluation.steps.append(Step("addon", {"yen": addon["yen"], "done": done, "several": len(done) > 1},
                                     addon.get("clause"), page))
        amount += addon["yen"]
        evaluation.steps.append(Step("plus", {"base": base["yen"], "addon": addon["yen"], "total": amount}, None, page))
    else:
        evaluation.steps.append(Step("no_addon", {"yen": addon["yen"], "any_of": list(addon["any_of"])},
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

    ``facts`` uses the keys of :data:`INPUTS`; money is int yen, ``tokku`` a bool,
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
        evaluation.reasons.extend(Step("requirement", {"result": r}, r.clause, r.page) for r in failed)
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
        evaluation.reasons.extend(Step("requirement", {"result": r}, r.clause, r.page)
                                  for r in requirements if r.status == "unknown")
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
    cases = _cases(rule, facts, requirement_set, missing)
    if len(cases) == 1:
        # one case left by the sizes the business says it is not ("not a small business"):
        # that case's amount, its size stated among the facts used
        case, _evaluation = cases[0]
        return evaluate(rule, dict(facts, **case), requirement_set)
    evaluation.cases = cases
    evaluation.outcome = CASES
    return evaluation


def _cases(rule: dict, facts: dict, requirement_set: dict | None, missing: list[str]) -> list:
    cases = []
    sizes = _sizes_that_differ(rule, requirement_set) if "size" in missing else [facts.get("size")]
    # (no case of a size the business says it is not: "not a small-scale business";
    # denying 中小企業 denies the 小規模事業者 it includes)
    denied = facts.get("not_sizes") or []
    sizes = [size for size in sizes if not any(size_matches(d, size) for d in denied)] or sizes
    tokku_values = [False, True] if "tokku" in missing else [facts.get("tokku")]
    for size in sizes:
        for tokku in tokku_values:
            case_facts = dict(facts, size=size, tokku=tokku)
            # the case: the values of the facts it assumes (worded by the renderer)
            case = {key: value for key, value in (("size", size), ("tokku", tokku)) if key in missing}
            cases.append((case, evaluate(rule, case_facts, requirement_set)))
    return cases
