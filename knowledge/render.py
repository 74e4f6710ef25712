"""Every sentence the bot says, worded from templates: the one renderer.

:class:`Renderer` turns :class:`~knowledge.replies.Reply` objects into messages (text,
buttons, and metadata saying what the answer is about) from the templates of
``knowledge/templates/<language>.yml``. Answers, prompts, buttons, hand-offs and the
channels' apologies all come from there; no user-facing sentence is written in code.

Template syntax (Python's ``str.format`` plus two additions):

* ``{field}`` is a value of the reply, worded by its type: :class:`~knowledge.replies.Yen`
  as 500万円, a program as its name, a contact as its line, pages as the source line, a
  nested reply as its own template, a condition (``{"size": "小規模事業者"}``) as words;
* ``{field!y}`` is an int of yen worded as an amount (the evaluator's values);
* ``{field:SEP}`` joins a list with SEP (``{lines:\\n}``, ``{items:、}``; ``{groups:!}`` with nothing);
* ``[[field|text]]`` is ``text`` only when ``field`` is set (``[[!field|text]]``: unset).

The fiscal year, the document and its status come from the knowledge base's source
(``source.yml``), so next year's annex changes no template.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .evaluator import Evaluation, RequirementResult, Step
from .kb import Contact, KnowledgeBase, Program
from .money import format_yen, format_yen_english
from .replies import Button, Pages, Quote, Reply, Yen, program_button
from .text import fold

logger = logging.getLogger(__name__)
TEMPLATES_DIR = Path(__file__).with_name("templates")
CARD_KINDS = ("amount", "calculation", "budget", "contact")   # answers about one program, shown as cards
LIST_KINDS = ("discovery", "new")                              # lists of programs, shown as a row of cards
MAX_LIST_CARDS = 12                                            # LINE's carousel holds at most 12
_OPTIONAL = re.compile(r"\[\[(!?)(\w+)\|((?:[^\[\]]|\[(?!\[)|\](?!\]))*)\]\]")
# an item's label: ア, a bullet, or a heading's number before the document's 新 mark (１ ○新…)
_ITEM_LABEL = re.compile(r"^(?:[アイウエオカキクケコ][\s　]+|[・･]|[0-9０-９]+[\s　]*(?=○新))")
_WIDE = str.maketrans("０１２３４５６７８９，．／％", "0123456789,./%")


@functools.cache
def load_templates(language: str = "ja") -> dict:
    """The templates of one language, flattened to dotted keys (``amount.cap_first``)."""
    with (TEMPLATES_DIR / f"{language}.yml").open(encoding="utf-8") as handle:
        tree = yaml.safe_load(handle)
    flat: dict[str, Any] = {}

    def walk(prefix: str, node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}.{key}" if prefix else str(key), value)
        else:
            flat[prefix] = node
    walk("", tree)
    return flat


@dataclass
class Message:
    """What a channel sends: the text, buttons as (title, payload), and what it is about."""

    text: str
    buttons: list[dict] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    card: dict | None = None     # the same answer as a card's parts (Renderer.card), for channels with cards
    cards: dict | None = None    # a list of programs as a row of cards (Renderer.list_cards)


class _Formatter(string.Formatter):
    def __init__(self, renderer: "Renderer"):
        self.renderer = renderer

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "y":   # {field!y}: an int of yen, worded as an amount
            return Yen(value) if isinstance(value, int) else value
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, (list, tuple)):
            if format_spec == "!":
                separator = ""
            else:
                separator = format_spec.replace("\\n", "\n") if format_spec else self.renderer.template("join")
            return separator.join(self.renderer.word(v) for v in value)
        return self.renderer.word(value)


class Renderer:
    """Words replies in one language (see the module docstring)."""

    def __init__(self, kb: KnowledgeBase | None, language: str = "ja"):
        """``kb`` None: only texts that name no program or page (the channels' messages
        when the knowledge base cannot be read)."""
        self.kb = kb
        self.language = language
        self.templates = load_templates(language)
        self._formatter = _Formatter(self)
        # the fiscal year's own words, from source.yml: every template may use them
        self.source_values: dict[str, Any] = {}
        self.source_terms: dict[str, str] = {}
        if kb is not None:
            source = kb.source
            # the source's own words (its year, status, budget labels) in English: source.yml
            # english_terms, so that a new year's annex needs no template change
            if language != "ja":
                self.source_terms = json.loads(source.get("english_terms") or "{}")
            labels = json.loads(source.get("budget_labels") or "{}")
            self.source_values = {"fiscal_year_label": self.term(source["fiscal_year_label"]),
                                  "status": self.term(source["status_label"]),
                                  **{f"{k}_label": self.term(v) for k, v in labels.items()}}

    # ── messages ────────────────────────────────────────────────────────
    def render(self, reply: Reply) -> Message:
        text = self.fill(reply.key, reply.values).strip()
        return Message(text=text,
                       buttons=[self.button(b) for b in reply.buttons],
                       meta={**reply.meta(), "figure": self.word(reply.figure) if reply.figure else None},
                       card=self.safe_card(self.card, reply, text), cards=self.safe_card(self.list_cards, reply, text))

    @staticmethod
    def safe_card(build, reply: Reply, text: str) -> dict | None:
        """``build(reply, text)``, or None if it fails: the text answer goes out whatever
        happens to a card."""
        try:
            return build(reply, text)
        except Exception as error:  # noqa: BLE001 - a card is an extra; the text must never be lost
            logger.warning("card for a %s answer not built: %s", reply.kind, type(error).__name__)
            return None

    def list_cards(self, reply: Reply, text: str) -> dict | None:
        """A list of programs (for a need, the new ones) as a row of cards' parts:
        ``heading`` (the list's first line), ``page`` (the source line), ``alt``, and per
        program (at most 12) its ``program`` name, ``summary``, the ``payload`` that
        chooses it with its ``choose_label``, and its division's ``phone`` and
        ``division`` with the ``call_label``. None for one program or another answer."""
        if reply.kind not in LIST_KINDS:
            return None
        programs = [item.values.get("program") for item in reply.values.get("items") or []
                    if isinstance(item, Reply)]
        programs = list({p.id: p for p in programs if isinstance(p, Program)}.values())
        lines = [line for line in text.splitlines() if line.strip()]
        if len(programs) < 2 or not lines:
            return None
        pages = reply.values.get("pages")
        items = []
        for program in programs[:MAX_LIST_CARDS]:
            english = program.english or {}
            summary = (english.get("summary") if self.language != "ja" else None) or program.summary or ""
            contact = program.contact
            items.append({
                "program": self.fill("format.program_button", {"name": program.name,
                                                               "english": english.get("name")}).strip(),
                "summary": summary.strip(), "payload": program_button(program).payload,
                "choose_label": self.text("card.choose"),
                "phone": contact.phone if contact else None,
                "division": self.text("card.division", name=contact.display_name, english=contact.english)
                if contact else None,
                "call_label": self.text("card.call")})
        return {"heading": lines[0], "page": self.word(pages) if isinstance(pages, Pages) else None,
                "alt": lines[0], "items": items}

    def card(self, reply: Reply, text: str) -> dict | None:
        """An answer about one program (an amount, a calculation, a budget, a contact) or
        one division as a card's parts, all worded here: ``program`` (the title),
        ``figure`` and ``figure_label`` (the amount, or the phone of a contact answer),
        ``working`` (the answer's lines without the source line), ``page`` (the source
        line), ``division``, ``phone`` (the division's, for a call button), ``call_label``
        and ``alt`` (the answer in one line). None for other answers: lists, prompts,
        small talk. A channel without cards ignores it; the text says the same."""
        if reply.kind not in CARD_KINDS or len(reply.programs) > 1:
            return None
        program = reply.values.get("program")
        program = program if isinstance(program, Program) else None
        contact = reply.values.get("contact")
        contact = contact if isinstance(contact, Contact) else (program.contact if program else None)
        if contact is None or not contact.phone or (program is None and reply.kind != "contact"):
            return None
        pages = reply.values.get("pages")
        page = self.word(pages) if isinstance(pages, Pages) else None
        working = [line for line in text.splitlines() if line.strip() and line.strip() != page]
        if not working:
            return None
        figure = self.word(reply.figure) if reply.figure else (contact.phone if reply.kind == "contact" else None)
        title = (self.fill("format.program_button", {"name": program.name,
                                                       "english": (program.english or {}).get("name")})
                 if program else self.fill("format.program_button", {"name": contact.display_name,
                                                                      "english": contact.english}))
        return {"program": title.strip(), "figure": figure,
                "figure_label": self.text(f"card.figure_{reply.kind}") if figure else None,
                "working": working, "page": page,
                "division": self.text("card.division", name=contact.display_name, english=contact.english),
                "phone": contact.phone, "call_label": self.text("card.call"), "alt": " ".join(working)}

    def button(self, button: Button) -> dict:
        if button.key == "program":
            title = self.fill("format.program_button", {"name": button.values["program"].name})
        else:
            title = self.fill(button.key, button.values)
        return {"title": title, "payload": button.payload}

    def text(self, key: str, **values: Any) -> str:
        """One template filled with ``values`` (for prompts, apologies, buttons)."""
        return self.fill(key, values).strip()

    # ── templates ───────────────────────────────────────────────────────
    def template(self, key: str) -> str:
        try:
            template = self.templates[key]
        except KeyError:
            raise KeyError(f"no template {key!r} in knowledge/templates/{self.language}.yml") from None
        return template

    def fill(self, key: str, values: dict) -> str:
        template = self.template(key)
        special = getattr(self, "_" + key.replace(".", "_"), None)
        if special:
            values = special(values)

        def optional(match: re.Match) -> str:
            negate, name, text = match.groups()
            present = bool(values.get(name, self.source_values.get(name)))
            return text if present != bool(negate) else ""
        while _OPTIONAL.search(template):
            template = _OPTIONAL.sub(optional, template)
        return self._formatter.vformat(template, (), _Values({**self.source_values, **values}))

    def word(self, value: Any) -> str:
        """A value in words."""
        if value is None:
            return ""
        if isinstance(value, Reply):
            return self.fill(value.key, value.values).strip()   # a part of a message: no blank ends
        if isinstance(value, Yen):
            return self.yen(value.value, value.printed)
        if isinstance(value, Program):
            return self.program_name(value)
        if isinstance(value, Contact):
            return self.contact(value)
        if isinstance(value, Pages):
            return self.citation(value)
        if isinstance(value, Quote):
            return self.quote(value.text)
        if isinstance(value, dict):
            return self.condition(value)
        if isinstance(value, Step):
            return self.step(value)
        if isinstance(value, RequirementResult):
            values = value.values
            if values.get("money") and isinstance(values.get("minimum"), int):
                # the threshold as the document prints it (５千万円)
                values = {**values, "minimum": Yen.as_printed(values["minimum"], value.clause)}
            return self.fill(f"requirement.{value.code}", values)
        if isinstance(value, bool):
            return ""
        if isinstance(value, (list, tuple)):
            return self.template("join").join(self.word(v) for v in value)
        return self.term(str(value))

    def term(self, text: str) -> str:
        """A word of the knowledge base (小規模事業者, 補助金額) as this language's templates
        word it (``terms`` of en.yml); as it is otherwise."""
        return self.templates.get(f"terms.{text}", self.source_terms.get(text, text))

    def yen(self, amount: int, printed: str | None = None) -> str:
        """An amount in this language's words; ``printed``: as the document prints it (５千万円),
        which the Japanese form follows."""
        standard = format_yen(amount)
        printed = fold(printed).replace(" ", "") if printed else None
        return self.fill("format.yen", {"yen": printed or standard, "english": format_yen_english(amount),
                                        "value": amount, "standard": standard if printed not in (None, standard) else None})

    def program_name(self, program: Program) -> str:
        return self.fill("format.program", {"name": program.name, "english": (program.english or {}).get("name")})

    def contact(self, contact: Contact) -> str:
        own_bureau = self.kb.source["publisher"].split()[-1] if self.kb else contact.bureau
        return self.fill("format.contact", {"name": contact.display_name, "head": contact.head,
                                            "phone": contact.phone, "bureau": contact.bureau,
                                            "other_bureau": contact.bureau != own_bureau,
                                            "english": contact.english})

    def citation(self, pages: Pages) -> str:
        refs = ", ".join(f"p.{p}" for p in dict.fromkeys(p for p in pages.refs if p))
        source = self.kb.source
        return self.fill("format.citation", {"publisher": source["publisher"], "title": source["title"],
                                             "pages": refs, "status": source["status_label"]})

    @staticmethod
    def quote(text: str) -> str:
        """Words of the document as people read them: half-width digits, no line breaks, no
        item label (「エ 補助上限：…」 → 「補助上限：…」)."""
        return re.sub(r"\s+", "", _ITEM_LABEL.sub("", text.strip()).translate(_WIDE))

    def condition(self, when: dict) -> str:
        parts = []
        for key, value in when.items():
            if key == "tokku":
                parts.append(self.text("condition.tokku" if value else "condition.no_tokku"))
            else:
                parts.append(str(value))
        return self.template("condition.and").join(parts)

    def step(self, step: Step) -> str:
        return self.fill(f"step.{step.code}", step.values)

    def case(self, case: dict) -> str:
        """The case of a side-by-side calculation: 「中小企業・特区制度活用などの場合」."""
        parts = [self.text("case.tokku" if value else "case.no_tokku") if key == "tokku" else str(value)
                 for key, value in case.items()]
        negative = list(case)[-1:] == ["tokku"] and not case["tokku"]
        return self.text("case.negative" if negative else "case.positive", when=self.template("condition.and").join(parts))

    def fact_names(self, facts: list[str]) -> str:
        return self.template("condition.and").join(self.text(f"fact.{fact}") for fact in facts)

    # ── values that need more than a template ───────────────────────────
    @staticmethod
    def _english_summary(values: dict) -> dict:
        program = values.get("program")
        return {**values, "english_summary": (program.english or {}).get("summary") if program else None}

    _overview_program = _english_summary
    _discovery_item = _english_summary
    _comparison_row = _english_summary
    _not_stated_amount = _english_summary
    # (statements are quoted in Japanese: in English, what the program is, in English, beside them)
    _statement_period = _statement_change = _statement_definition = _statement_example = _english_summary
    _statement_aim = _statement_place = _statement_operator = _statement_target = _statement_count = _english_summary

    def _calculation_eligible(self, values: dict) -> dict:
        evaluation: Evaluation = values["evaluation"]
        return {**values, "label": evaluation.label, "amount": Yen(evaluation.amount_yen), "steps": evaluation.steps,
                "checked": self._checked(evaluation.requirements),
                "unconfirmed": [r for r in evaluation.requirements if r.status == "unconfirmed"]}

    def _checked(self, requirements: list[RequirementResult]) -> list[str]:
        """The requirements checked against the user's figures, each with its verdict."""
        return [self.fill("calculation.checked", {"result": r}) for r in requirements if r.status in ("met", "not_met")]

    @staticmethod
    def _common(results: list[list[RequirementResult]], status: tuple[str, ...]) -> list[RequirementResult]:
        """Requirement results of one status, once each across the cases of a calculation."""
        found: dict[tuple, RequirementResult] = {}
        for requirements in results:
            for r in requirements:
                if r.status in status:
                    found.setdefault((r.item, r.code, tuple(sorted(map(str, r.values.items())))), r)
        return list(found.values())

    def _calculation_alternatives(self, values: dict) -> dict:
        evaluation: Evaluation = values["evaluation"]
        return {**values, "label": evaluation.label,
                "options": [self.fill("calculation.option", {"rate": rate, "amount": Yen(yen)})
                            for rate, yen in evaluation.alternatives],
                "reasons": evaluation.reasons}

    def _calculation_cases(self, values: dict) -> dict:
        evaluation: Evaluation = values["evaluation"]
        per_case = [c.requirements for _, c in evaluation.cases]
        checked = [r for r in self._common(per_case, ("met", "not_met"))
                   if all(any(r.code == o.code and r.item == o.item for o in reqs) for reqs in per_case)]
        cases = []
        for case_facts, case in evaluation.cases:
            label = self.case(case_facts)
            if case.outcome == "eligible":
                capped = any(s.code == "over_cap" for s in case.steps)
                working = next((Reply("calculation.working", s.values) for s in case.steps if s.code == "times"), None)
                # (the requirements this case alone meets: an SME's 5千万円 and 10人)
                met = [r for r in case.requirements if r.status == "met" and not any(
                    r.item == c.item and r.code == c.code and r.values == c.values for c in checked)]
                cases.append(self.fill("calculation.case_amount", {"case": label, "amount": Yen(case.amount_yen),
                                                                   "capped": capped, "working": working,
                                                                   "met": met}))
            else:
                reason = case.reasons[0] if case.reasons else self.text("calculation.no_figure")
                cases.append(self.fill("calculation.case_reason", {"case": label, "reason": reason}))
        return {**values, "label": evaluation.label, "cases": cases, "facts": self.fact_names(evaluation.missing),
                "checked": self._checked(checked),
                "unconfirmed": self._common(per_case, ("unconfirmed",))[:3]}

    def _calculation_not_eligible(self, values: dict) -> dict:
        evaluation: Evaluation = values["evaluation"]
        # the verdict with the one clause of the document that decides it
        return {**values, "label": evaluation.label, "reasons": [
            Reply("calculation.reason", {"text": s, "clause": Quote(s.clause) if s.clause else None})
            for s in evaluation.reasons]}

    _calculation_unknown = _calculation_not_eligible

    def _calculation_needs_input(self, values: dict) -> dict:
        evaluation: Evaluation = values["evaluation"]
        # (the requirements the user's figures already settle: "15 staff" meets 10人 or more)
        return {**values, "label": evaluation.label, "facts": self.fact_names(evaluation.missing),
                "checked": self._checked(evaluation.requirements)}


class _Values(dict):
    """Template values; a field a template names but a reply lacks is empty."""

    def __missing__(self, key: str) -> str:
        return ""


def channel_text(key: str, language: str = "ja", **values: Any) -> str:
    """A channel's own message (the apology, 「メッセージが長すぎます」…) from the templates,
    without the knowledge base."""
    return Renderer(None, language).text(key, **values)
