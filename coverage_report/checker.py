"""Checking one answer of the bot against the facts a right answer must show.

:func:`check` reads the bot's messages (texts and buttons) and returns a
:class:`Verdict`: pass or fail, each expected fact found or not, and every reason the
answer fails, worded for staff (「電話番号 045-210-5630 は産業振興課の番号です」).
An answer fails when it

* is missing (no reply, a server error or the channel's apology),
* names no program or another program than the one asked about, or asks back which one,
* lacks an expected fact,
* shows a figure or phone number that is not the program's own, even beside the right one
  (figures in an input example such as 「（例：600万円）」 are not stated facts),
* contains a text the question forbids.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from knowledge.kb import KnowledgeBase
from knowledge.money import format_yen

from .facts import PHONE, RATE, TEXT, YEN, Expectation, Fact, figures_in, fold, phones_in, rule_figures

# The resilient REST channel's apology when the bot fails or times out (channels/resilience.py).
APOLOGY_MARK = "システムの不具合"
EXAMPLE = re.compile(r"[（(]例[：:][^）)]*[）)]")
NAME_BRACKETS = re.compile(r"【([^】]+)】")
CHOICE_PAYLOAD = re.compile(r'^/choose_program(\{.*\})$')

# Reasons an answer fails, most serious first; the first one found is the verdict's main reason.
REASONS = {
    "error": "エラー・無応答",
    "asked_back": "事業を聞き返した",
    "no_program": "事業を特定できず",
    "wrong_program": "別の事業の回答",
    "wrong_phone": "誤った電話番号",
    "wrong_figure": "誤った金額",
    "forbidden": "含んではならない記載",
    "missing_fact": "必要な記載がない",
}


@dataclass
class Reason:
    code: str      # a key of REASONS
    message: str   # for staff, in Japanese

    def to_json(self) -> dict:
        return {"code": self.code, "label": REASONS[self.code], "message": self.message}


@dataclass
class Verdict:
    passed: bool
    reasons: list[Reason] = field(default_factory=list)
    found: list[tuple[Fact, bool]] = field(default_factory=list)
    named_programs: list[str] = field(default_factory=list)   # program ids the answer names in 【】
    candidates: list[str] = field(default_factory=list)       # program ids offered as buttons
    figures: list[int] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)

    @property
    def main_reason(self) -> str | None:
        codes = [r.code for r in self.reasons]
        return next((code for code in REASONS if code in codes), None)

    def to_json(self) -> dict:
        return {"passed": self.passed, "main_reason": self.main_reason,
                "reasons": [r.to_json() for r in self.reasons],
                "facts": [{**fact.to_json(), "found": ok} for fact, ok in self.found],
                "named_programs": self.named_programs, "candidates": self.candidates,
                "figures": self.figures, "phones": self.phones}


class Catalogue:
    """What the checker needs to know about the knowledge base: names, figures, phones.

    Built once per run; it explains wrong figures and phone numbers by saying whose they are.
    """

    def __init__(self, kb: KnowledgeBase):
        self.names: dict[str, str] = {}          # folded program name → program id
        self.display: dict[str, str] = {}        # program id → name
        self.yen_owners: dict[int, list[str]] = {}
        self.phone_owners: dict[str, str] = {}
        for program in kb.programs():
            self.names[fold(program.name)] = program.id
            self.display[program.id] = program.name
            for budget in program.budgets:
                self._own(budget.yen, f"{program.name}の予算額")
            for rule_id in program.rule_ids:
                rule = kb.rule(rule_id)
                for yen in rule_figures(rule):
                    self._own(yen, f"{program.name}の1事業者あたりの額")
        for topic in kb.topics():
            self._own(topic["total_yen"], f"「{topic['name']}」の予算合計")
        for contact in kb.contacts():
            self.phone_owners[fold(contact.phone)] = contact.display_name
        # longest names first, so 産業技術総合研究所交付金（生成ＡＩ活用促進事業） wins over its prefix
        self._by_length = sorted(self.names, key=len, reverse=True)

    def _own(self, yen: int, owner: str) -> None:
        owners = self.yen_owners.setdefault(yen, [])
        if owner not in owners:
            owners.append(owner)

    def programs_named(self, text: str) -> list[str]:
        """Program ids named in 【…】 in the answer, in order, longest name first within a bracket."""
        found: list[str] = []
        for bracket in NAME_BRACKETS.findall(text):
            rest = fold(bracket)
            for name in self._by_length:
                if name in rest:
                    rest = rest.replace(name, "\0")
                    if self.names[name] not in found:
                        found.append(self.names[name])
        return found

    def whose_figure(self, yen: int) -> str:
        owners = self.yen_owners.get(yen)
        return f"（{'、'.join(owners[:3])}）" if owners else "（知識ベースにない金額）"

    def whose_phone(self, phone: str) -> str:
        owner = self.phone_owners.get(phone)
        return f"（{owner}の番号）" if owner else "（知識ベースにない番号）"


def answer_text(messages: list[dict]) -> str:
    """The bot's messages as one text, one message a line."""
    return "\n".join(m.get("text", "") for m in messages if m.get("text"))


def button_programs(messages: list[dict]) -> list[str]:
    """Program ids offered as buttons (the bot asking which program is meant)."""
    ids = []
    for message in messages:
        for button in message.get("buttons") or []:
            match = CHOICE_PAYLOAD.match(button.get("payload", ""))
            if match:
                try:
                    program = json.loads(match.group(1)).get("program")
                except json.JSONDecodeError:
                    continue
                if isinstance(program, str) and program not in ids:
                    ids.append(program)
    return ids


def fact_found(fact: Fact, folded: str, figures: set[int], phones: set[str]) -> bool:
    if fact.kind == YEN:
        return any(option in figures for option in fact.options)
    if fact.kind == PHONE:
        return any(option in phones for option in fact.options)
    if fact.kind == RATE:
        return any(re.search(rf"(?<![\d./]){re.escape(option)}(?!\d)", folded) for option in fact.options)
    if fact.kind == TEXT:
        return any(option in folded for option in fact.options)
    raise ValueError(f"unknown kind of fact {fact.kind!r}")


def check(catalogue: Catalogue, expectation: Expectation, messages: list[dict] | None,
          program_id: str | None = None, also_right: tuple[str, ...] = (), error: str | None = None) -> Verdict:
    """Check the bot's messages for one question.

    ``program_id``: the program the question is about (None: do not check which program
    the answer names); ``also_right``: other programs whose naming is right too (the
    program whose amounts this one quotes). ``error``: what went wrong getting the answer.
    """
    messages = messages or []
    text = answer_text(messages)
    folded = fold(text)
    # figures in an input example (「（例：600万円、1億5千万円）」) are not facts the bot states
    stated = EXAMPLE.sub("", text)
    figures, phones = figures_in(stated), phones_in(stated)
    verdict = Verdict(passed=False, named_programs=catalogue.programs_named(text),
                      candidates=button_programs(messages), figures=sorted(figures), phones=sorted(phones))
    reasons = verdict.reasons
    if error or not (text or verdict.candidates):
        reasons.append(Reason("error", error or "回答がありません"))
    elif APOLOGY_MARK in text:
        reasons.append(Reason("error", "ボットが応答できず、お詫びの定型文を返しました"))
    if program_id and not reasons:
        wanted = {program_id, *also_right}
        named = verdict.named_programs
        if not named and verdict.candidates:
            listed = "、".join(catalogue.display.get(c, c) for c in verdict.candidates[:5])
            inside = "（候補に正しい事業あり）" if program_id in verdict.candidates else "（候補に正しい事業なし）"
            reasons.append(Reason("asked_back", f"どの事業か聞き返しました{inside}：{listed}"))
        elif not named:
            reasons.append(Reason("no_program", "回答に事業名がありません（聞き直し・案内のみ）"))
        elif not wanted & set(named):
            reasons.append(Reason("wrong_program", "別の事業について回答しました：" +
                                  "、".join(catalogue.display.get(n, n) for n in named)))
    if expectation.allowed_phones is not None:
        for phone in sorted(phones - expectation.allowed_phones):
            reasons.append(Reason("wrong_phone", f"電話番号 {phone} は正しくありません{catalogue.whose_phone(phone)}"))
    if expectation.allowed_yen is not None:
        for yen in sorted(figures - expectation.allowed_yen):
            reasons.append(Reason("wrong_figure", f"金額 {format_yen(yen)} はこの質問の答えではありません"
                                                  f"{catalogue.whose_figure(yen)}"))
    for fact in expectation.forbidden:
        if fact_found(fact, folded, figures, phones):
            reasons.append(Reason("forbidden", f"含んではならない記載があります：{fact.label}"))
    for fact in expectation.facts:
        ok = fact_found(fact, folded, figures, phones)
        verdict.found.append((fact, ok))
        if not ok:
            reasons.append(Reason("missing_fact", f"記載がありません：{fact.label}"))
    verdict.passed = not reasons
    return verdict
