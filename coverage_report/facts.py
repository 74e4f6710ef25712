"""What a right answer must contain, derived from the knowledge base (never hard-coded).

A :class:`Fact` is one thing the answer must show: a text (a name, part of a summary,
an eligibility clause), an amount of yen (compared by value, so ``５００万円`` and
``500万円`` are the same and ``120万円`` is not ``20万円``), a rate as printed (``2/3``,
``12%``) or a phone number. A fact may offer alternatives: any one of them will do.

An :class:`Expectation` adds what a right answer must *not* contain: figures other than
the program's own (for budget and amount questions) and phone numbers other than the
program's division's.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from knowledge.kb import KnowledgeBase, Program
from knowledge.money import MoneyFormatError, find_amounts, format_yen, parse_yen

TEXT, YEN, RATE, PHONE = "text", "yen", "rate", "phone"
PHONE_PATTERN = re.compile(r"0\d{1,4}-\d{1,4}-\d{4}")
RATE_PATTERN = re.compile(r"\d+(?:\.\d+)?/\d+|\d+(?:\.\d+)?%")
# An amount of yen as the bot prints it, after folding: 500万円, 42億5,062万円, 66万6,666円.
YEN_PATTERN = re.compile(r"\d[\d,]*(?:\.\d+)?(?:[兆億万](?:\d[\d,]*)?)*円")
SUMMARY_PART_CHARS = 24


@dataclass(frozen=True)
class Kind:
    """A kind of question: its key, its label for staff and the intent that asks it."""

    key: str
    label: str
    intent: str


KINDS: dict[str, Kind] = {k.key: k for k in (
    Kind("what", "事業の内容", "ask_program_info"),
    Kind("budget", "県の予算額", "ask_budget"),
    Kind("amount", "1事業者あたりの金額", "ask_amount"),
    Kind("eligibility", "対象・要件", "ask_eligibility"),
    Kind("contact", "問い合わせ先", "ask_contact"),
    # what else the document states (statements.yml), one question per statement
    Kind("period", "期間・時期", "ask_program_info"),
    Kind("change", "前年度からの変更", "ask_program_info"),
    Kind("definition", "用語の説明", "ask_program_info"),
    Kind("example", "事例・内容", "ask_program_info"),
    Kind("aim", "目的・効果", "ask_program_info"),
    Kind("place", "場所", "ask_program_info"),
    Kind("operator", "実施主体", "ask_program_info"),
    Kind("target", "誰のための事業か", "ask_eligibility"),
    Kind("net_figure", "重複を除いた予算", "ask_budget"),
    Kind("sentence", "詳細ページの各文", "ask_program_info"),   # every other sentence of the detail pages
    Kind("other", "その他", ""),          # staff questions with their own expected facts only
)}
# The kinds of statement the document makes beyond names, budgets and amounts.
STATEMENT_KINDS = ("period", "change", "definition", "example", "aim", "place", "operator", "target", "net_figure")
# How much of a quoted statement an answer must show (its start, folded).
QUOTE_PART_CHARS = 14
# How far into a sentence a quoted part starts: past a clause label (目的, 事業内容…).
QUOTE_LABEL_CHARS = 6
# The kinds the knowledge base answers, asked of every program they apply to.
PROGRAM_KINDS = ("what", "budget", "amount", "eligibility", "contact")
# Japanese labels staff may write in their files instead of the keys.
KIND_ALIASES = {**{k.label: k.key for k in KINDS.values()},
                "内容": "what", "概要": "what", "予算": "budget", "金額": "amount", "上限": "amount",
                "対象": "eligibility", "要件": "eligibility", "問合せ先": "contact", "電話": "contact",
                "その他": "other"}


def fold(text: str) -> str:
    """NFKC and no whitespace: how answers and facts are compared (the bot quotes some
    clauses in full-width digits, ５００万円 → 500万円, and with spaces, 上限 10 億円)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class Fact:
    """One thing an answer must show; any one of ``options`` satisfies it.

    ``options`` are folded texts, rates or phone numbers, or ints (yen) for ``kind == YEN``.
    """

    label: str
    kind: str
    options: tuple

    def to_json(self) -> dict:
        return {"label": self.label, "kind": self.kind, "options": list(self.options)}


def text_fact(label: str, *texts: str) -> Fact:
    options = tuple(dict.fromkeys(fold(t) for t in texts if t and fold(t)))
    return Fact(label, TEXT, options)


def yen_fact(label: str, yen: int) -> Fact:
    return Fact(label, YEN, (int(yen),))


def rate_fact(label: str, rate: str) -> Fact:
    return Fact(label, RATE, (fold(rate),))


def phone_fact(label: str, phone: str) -> Fact:
    return Fact(label, PHONE, (fold(phone),))


def fact_from_text(text: str | list) -> Fact:
    """A fact written by staff: a phone number, an amount, a rate or else a text.

    A list is a set of alternatives (any one will do), all of the kind of the first.
    """
    options = [str(t) for t in text] if isinstance(text, list) else [str(text)]
    first = fold(options[0])
    label = " / ".join(options)
    if PHONE_PATTERN.fullmatch(first):
        return Fact(label, PHONE, tuple(fold(o) for o in options))
    if RATE_PATTERN.fullmatch(first):
        return Fact(label, RATE, tuple(fold(o) for o in options))
    if YEN_PATTERN.fullmatch(first) or re.fullmatch(r"\d[\d,.]*[兆億万]", first):
        try:
            return Fact(label, YEN, tuple(parse_yen(o) for o in options))
        except MoneyFormatError:
            pass
    return text_fact(label, *options)


@dataclass
class Expectation:
    """What the answer to one question must and must not contain.

    ``allowed_yen``: when set, every amount of yen in the answer must be one of these
    (a wrong figure fails even beside the right one). ``allowed_phones``: when set, every
    phone number in the answer must be one of these.
    """

    facts: list[Fact] = field(default_factory=list)
    forbidden: list[Fact] = field(default_factory=list)
    allowed_yen: frozenset[int] | None = None
    allowed_phones: frozenset[str] | None = None

    def to_json(self) -> dict:
        return {"facts": [f.to_json() for f in self.facts],
                "forbidden": [f.to_json() for f in self.forbidden],
                "allowed_yen": sorted(self.allowed_yen) if self.allowed_yen is not None else None,
                "allowed_phones": sorted(self.allowed_phones) if self.allowed_phones is not None else None}


# ── which kinds apply to a program ──────────────────────────────────────────
def amount_program(kb: KnowledgeBase, program: Program) -> Program | None:
    """The program whose rules give this one's per-business amounts: itself if it has
    rules, else the related program whose amounts it quotes (programs.yml related.amounts)."""
    if program.rule_ids:
        return program
    related = program.related or {}
    if related.get("amounts"):
        other = kb.program_by_name(related["program"])
        if other and other.rule_ids:
            return other
    return None


def applies(kb: KnowledgeBase, program: Program, kind: str) -> bool:
    """Whether the knowledge base holds what a question of this kind needs for this program."""
    if kind == "what":
        return True
    if kind == "budget":
        return bool(program.budgets)
    if kind == "amount":
        return bool(program.rule_ids)
    if kind == "eligibility":
        return bool(program.rule_ids or program.eligibility or kb.requirement_sets_for(program.id))
    if kind == "contact":
        return program.contact is not None
    if kind == "other":
        return False
    raise ValueError(f"unknown kind of question {kind!r}; one of {sorted(KINDS)}")


def kinds_for(kb: KnowledgeBase, program: Program) -> list[str]:
    return [kind for kind in PROGRAM_KINDS if applies(kb, program, kind)]


# ── expected facts per kind ─────────────────────────────────────────────────
def _summary_part(text: str) -> str:
    """The start of a summary, up to its first sentence break or SUMMARY_PART_CHARS."""
    folded = fold(text)
    cut = min([i for i in (folded.find(c) for c in "。、") if i >= 8] + [SUMMARY_PART_CHARS])
    return folded[:cut]


def _rule_facts(rule: dict, course: str | None = None) -> list[Fact]:
    """The key figures of one amount rule: rates, caps, floor, loan limits, course amounts
    (only the course asked about, when the question names one: 「男性育休の奨励金」)."""
    facts: list[Fact] = []
    kind = rule["kind"]
    if kind == "rate_of_base":
        for rate in dict.fromkeys(r["rate"] for r in rule.get("rates") or []):
            facts.append(rate_fact(f"補助率 {rate}", rate))
        for cap in rule.get("caps") or []:
            facts.append(yen_fact(f"上限 {format_yen(cap['yen'])}", cap["yen"]))
        if rule.get("floor"):
            facts.append(yen_fact(f"下限 {format_yen(rule['floor']['yen'])}", rule["floor"]["yen"]))
    elif kind == "loan_limit":
        facts.append(yen_fact(f"融資限度 {format_yen(rule['max']['yen'])}", rule["max"]["yen"]))
        facts.append(rate_fact(f"事業費の {rule['share']['rate']}", rule["share"]["rate"]))
        facts.append(text_fact(f"融資期間 {rule['term']['years']}年", f"{rule['term']['years']}年"))
    elif kind == "fixed_by_course":
        courses = [c for c in rule["courses"] if c["key"] == course] or rule["courses"]
        for entry in courses:
            for tier in entry.get("tiers") or [entry]:
                facts.append(yen_fact(f"{entry['course']} {format_yen(tier['yen'])}", tier["yen"]))
    elif kind == "base_plus_addon":
        facts.append(yen_fact(f"基本 {format_yen(rule['base']['yen'])}", rule["base"]["yen"]))
        facts.append(yen_fact(f"加算 {format_yen(rule['addon']['yen'])}", rule["addon"]["yen"]))
    return facts


def _distinct(facts: list[Fact]) -> list[Fact]:
    """Facts without repeats (two rules or courses often share a rate or an amount)."""
    unique: dict[tuple, Fact] = {}
    for fact in facts:
        unique.setdefault((fact.kind, fact.options), fact)
    return list(unique.values())


def rule_figures(value) -> set[int]:
    """Every amount of yen in a rule (its ``yen`` fields and the figures its clauses print)."""
    found: set[int] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "yen" and isinstance(item, int):
                found.add(item)
            else:
                found |= rule_figures(item)
    elif isinstance(value, list):
        for item in value:
            found |= rule_figures(item)
    elif isinstance(value, str):
        found |= figures_in(value)
    return found


def figures_in(text: str) -> set[int]:
    """Amounts of yen printed in a text (compared by value)."""
    amounts = set()
    for match in YEN_PATTERN.finditer(fold(text)):
        try:
            amounts.add(parse_yen(match.group()))
        except MoneyFormatError:
            continue
    return amounts


def phones_in(text: str) -> set[str]:
    return set(PHONE_PATTERN.findall(fold(text)))


def _eligibility_fact(kb: KnowledgeBase, program: Program) -> Fact:
    """The eligibility text, or any requirement the rules name (an item's name, a course's
    or the base's conditions, an add-on measure): one of them must be in the answer."""
    options = [program.eligibility] if program.eligibility else []
    for requirement_set in kb.requirement_sets_for(program.id):
        options.extend(item["item"] for item in requirement_set.get("items", []))
    for rule_id in program.rule_ids:
        rule = kb.rule(rule_id)
        for course in rule.get("courses", []):
            options.extend(course.get("requirements") or [])
        options.extend((rule.get("base") or {}).get("requirements") or [])
        options.extend((rule.get("addon") or {}).get("any_of") or [])
    if not options and program.audience:
        options.append(program.audience)
    label = "対象・要件：" + (program.eligibility or (options[0] if options else "")) + \
        (f"（ほか {len(options) - 1} 件のいずれか）" if len(options) > 1 else "")
    return text_fact(label, *options)


def statement_expectation(kb: KnowledgeBase, statement: dict) -> Expectation:
    """What an answer to a question about one statement shows: that statement (the start of
    its quote), or, for a net figure, the amount; and no phone number but the program's
    division's. A question names what the statement is about, so that it can reach it."""
    if statement["kind"] == "net_figure":
        amounts = figures_in(statement.get("value") or statement["text"])
        return Expectation(facts=[yen_fact(f"{statement['subsection']} {format_yen(y)}", y) for y in sorted(amounts)])
    program = kb.program(statement["program_id"])
    options = [fold(statement["text"])[:QUOTE_PART_CHARS]]
    phones = frozenset([fold(program.contact.phone)]) if program.contact else frozenset()
    return Expectation(facts=[Fact(f"資料の記載：{fold(statement['text'])[:QUOTE_PART_CHARS]}…", TEXT, tuple(options))],
                       allowed_phones=phones)


def sentence_expectation(kb: KnowledgeBase, program: Program, text: str) -> Expectation:
    """What an answer to a question about one sentence of a detail page shows: part of
    that sentence (past its clause label, which the bot may leave out or reword), and no
    phone number but the program's division's."""
    folded = fold(re.sub(r"^[\W\d０-９アイウエオカキクケコ]+", "", text))
    start = min(QUOTE_LABEL_CHARS, max(0, len(folded) - QUOTE_PART_CHARS))
    part = folded[start:start + QUOTE_PART_CHARS]
    phones = frozenset([fold(program.contact.phone)]) if program.contact else frozenset()
    return Expectation(facts=[Fact(f"資料の記載：…{part}…", TEXT, (part,))], allowed_phones=phones)


def expected(kb: KnowledgeBase, program: Program, kind: str, course: str | None = None) -> Expectation:
    """The facts a right answer to a ``kind`` question about ``program`` shows, from the knowledge base.

    * what: the program's name and the start of its summary (or purpose); for a line
      that only sums several programs, the name and the budget figure;
    * budget: every budget figure of the program, and no other figure but what the detail
      page adds to it (債務負担行為);
    * amount: the rule's rates, caps, floor, loan limit or course amounts (``course``: the
      one course the question names), and no figure that is not the rule's (the program's
      budget is not a per-business amount);
    * eligibility: the eligibility text or one of the requirement clauses;
    * contact: the division and its phone number.

    Every kind: no phone number but the program's division's.
    """
    if kind not in PROGRAM_KINDS:
        raise ValueError(f"no facts are derived for questions of kind {kind!r}; one of {PROGRAM_KINDS}")
    if kind != "amount" and not applies(kb, program, kind):
        raise ValueError(f"the knowledge base holds no {KINDS[kind].label} for {program.name} [{program.id}]")
    phones = frozenset([fold(program.contact.phone)]) if program.contact else frozenset()
    name = text_fact(f"事業名：{program.name}", program.name)
    budget_yen = list(dict.fromkeys(b.yen for b in program.budgets))
    result = Expectation(allowed_phones=phones)
    if kind == "what":
        result.facts.append(name)
        if program.aggregate:
            result.facts.extend(yen_fact(f"予算 {format_yen(y)}", y) for y in budget_yen)
        elif program.summary or program.purpose:
            part = _summary_part(program.summary or program.purpose)
            result.facts.append(text_fact(f"概要：{part}…", part))
    elif kind == "budget":
        result.facts.append(name)
        result.facts.extend(yen_fact(f"予算 {format_yen(y)}", y) for y in budget_yen)
        # what the detail page adds to the budget (債務負担行為 限度額 206億円) may be quoted too
        extra_yen = {m.yen for value in program.extra.values() for m in find_amounts(str(value))}
        result.allowed_yen = frozenset(budget_yen) | frozenset(extra_yen)
    elif kind == "amount":
        source = amount_program(kb, program)
        if source is None:
            raise ValueError(f"the knowledge base holds no per-business amount for {program.name} [{program.id}]")
        result.facts.append(text_fact(f"事業名：{source.name}", source.name))
        allowed: set[int] = set()
        for rule_id in source.rule_ids:
            rule = kb.rule(rule_id)
            result.facts.extend(_rule_facts(rule, course))
            allowed |= rule_figures(rule)
        result.facts = _distinct(result.facts)
        result.allowed_yen = frozenset(allowed)
    elif kind == "eligibility":
        result.facts.append(name)
        result.facts.append(_eligibility_fact(kb, program))
    elif kind == "contact":
        contact = program.contact
        result.facts.append(text_fact(f"担当：{contact.display_name}", contact.display_name))
        result.facts.append(phone_fact(f"電話 {contact.phone}", contact.phone))
    return result
