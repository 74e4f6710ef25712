"""Every sentence the bot says, worded from templates: the one renderer.

:class:`Renderer` turns :class:`~knowledge.replies.Reply` objects into messages (text,
buttons, and metadata saying what the answer is about) from the templates of
``knowledge/templates/<language>.yml``. Answers, prompts, buttons, hand-offs and the
channels' apologies all come from there; no user-facing sentence is written in code.

Template syntax (Python's ``str.format`` plus two additions):

* ``{field}`` is a value of the reply, worded by its type: :class:`~knowledge.replies.Yen`
  as 500万円, a program as its name, a contact as its line, pages as the source line, a
  nested reply as its own template, a condition (``{"size": "小規模事業者"}``) as words;
* ``{field:SEP}`` joins a list with SEP (``{lines:\\n}``, ``{items:、}``; ``{groups:!}`` with nothing);
* ``[[field|text]]`` is ``text`` only when ``field`` is set (``[[!field|text]]``: unset).

The fiscal year, the document and its status come from the knowledge base's source
(``source.yml``), so next year's annex changes no template.
"""

from __future__ import annotations

import functools
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .evaluator import Evaluation, Step
from .kb import Contact, KnowledgeBase, Program
from .money import format_yen
from .replies import Button, Pages, Quote, Reply, Yen

TEMPLATES_DIR = Path(__file__).with_name("templates")
_OPTIONAL = re.compile(r"\[\[(!?)(\w+)\|((?:[^\[\]]|\[(?!\[)|\](?!\]))*)\]\]")
_WIDE = str.maketrans("０１２３４５６７８９，．／％", "0123456789,./%")


@functools.lru_cache(maxsize=None)
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


class _Formatter(string.Formatter):
    def __init__(self, renderer: "Renderer"):
        self.renderer = renderer

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, (list, tuple)):
            if format_spec == "!":
                separator = ""
            else:
                separator = format_spec.replace("\\n", "\n") if format_spec else self.renderer.text("join")
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

    # ── messages ────────────────────────────────────────────────────────
    def render(self, reply: Reply) -> Message:
        return Message(text=self.fill(reply.key, reply.values).strip(),
                       buttons=[self.button(b) for b in reply.buttons],
                       meta={**reply.meta(), "figure": self.word(reply.figure) if reply.figure else None})

    def button(self, button: Button) -> dict:
        if button.key == "program":
            title = self.word(button.values["program"])
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
            present = bool(values.get(name))
            return text if present != bool(negate) else ""
        while _OPTIONAL.search(template):
            template = _OPTIONAL.sub(optional, template)
        return self._formatter.vformat(template, (), _Values(values))

    def word(self, value: Any) -> str:
        """A value in words."""
        if value is None:
            return ""
        if isinstance(value, Reply):
            return self.fill(value.key, value.values)
        if isinstance(value, Yen):
            return self.yen(value.value)
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
        if isinstance(value, bool):
            return ""
        if isinstance(value, (list, tuple)):
            return self.text("join").join(self.word(v) for v in value)
        return str(value)

    def yen(self, amount: int) -> str:
        return self.fill("format.yen", {"yen": format_yen(amount), "value": amount})

    def program_name(self, program: Program) -> str:
        return self.fill("format.program", {"name": program.name, "english": getattr(program, "english", None)})

    def contact(self, contact: Contact) -> str:
        own_bureau = self.kb.source["publisher"].split()[-1] if self.kb else contact.bureau
        return self.fill("format.contact", {"name": contact.display_name, "head": contact.head,
                                            "phone": contact.phone, "bureau": contact.bureau,
                                            "other_bureau": contact.bureau != own_bureau,
                                            "english": getattr(contact, "english", None)})

    def citation(self, pages: Pages) -> str:
        refs = ", ".join(f"p.{p}" for p in dict.fromkeys(p for p in pages.refs if p))
        source = self.kb.source
        return self.fill("format.citation", {"publisher": source["publisher"], "title": source["title"],
                                             "pages": refs, "status": source["status_label"]})

    @staticmethod
    def quote(text: str) -> str:
        return re.sub(r"\s+", "", text.translate(_WIDE))

    def condition(self, when: dict) -> str:
        parts = []
        for key, value in when.items():
            if key == "tokku":
                parts.append(self.text("condition.tokku" if value else "condition.no_tokku"))
            else:
                parts.append(str(value))
        return self.text("condition.and").join(parts)

    def step(self, step: Step) -> str:
        return self.fill(f"step.{step.code}", step.values) if getattr(step, "code", None) else step.text

    # ── values that need more than a template ───────────────────────────
    def _calculation_eligible(self, values: dict) -> dict:
        evaluation: Evaluation = values["evaluation"]
        return {**values, "label": evaluation.label, "amount": Yen(evaluation.amount_yen),
                "steps": [Quote(s.text) for s in evaluation.steps],
                "unconfirmed": [Quote(r.text) for r in evaluation.requirements if r.status == "unconfirmed"]}

    def _calculation_alternatives(self, values: dict) -> dict:
        evaluation: Evaluation = values["evaluation"]
        return {**values, "label": evaluation.label,
                "options": [self.fill("calculation.option", {"label": label, "amount": Yen(yen)})
                            for label, yen in evaluation.alternatives],
                "reasons": [Quote(s.text) for s in evaluation.reasons]}

    def _calculation_cases(self, values: dict) -> dict:
        evaluation: Evaluation = values["evaluation"]
        cases = []
        for label, case in evaluation.cases:
            if case.outcome == "eligible":
                capped = any("を超えるため" in s.text for s in case.steps)
                working = next((Quote(s.text.split("（")[0]) for s in case.steps if " × " in s.text), None)
                cases.append(self.fill("calculation.case_amount", {"case": label, "amount": Yen(case.amount_yen),
                                                                   "capped": capped, "working": working}))
            else:
                reason = case.reasons[0].text if case.reasons else self.text("calculation.no_figure")
                cases.append(self.fill("calculation.case_reason", {"case": label, "reason": Quote(reason)}))
        from .evaluator import INPUT_LABELS
        return {**values, "label": evaluation.label, "cases": cases,
                "facts": "・".join(INPUT_LABELS[k] for k in evaluation.missing),
                "unconfirmed": [Quote(r.text) for _, c in evaluation.cases for r in c.requirements
                                if r.status == "unconfirmed"][:3]}

    def _calculation_not_eligible(self, values: dict) -> dict:
        evaluation: Evaluation = values["evaluation"]
        # the verdict with the one clause of the document that decides it
        return {**values, "label": evaluation.label, "reasons": [
            Reply("calculation.reason", {"text": Quote(s.text), "clause": Quote(s.clause) if s.clause else None})
            for s in evaluation.reasons]}

    _calculation_unknown = _calculation_not_eligible

    def _calculation_needs_input(self, values: dict) -> dict:
        from .evaluator import INPUT_LABELS
        evaluation: Evaluation = values["evaluation"]
        return {**values, "label": evaluation.label, "facts": "、".join(INPUT_LABELS.get(k, k) for k in evaluation.missing)}

    def _rule_rate(self, values: dict) -> dict:
        return {**values, "rate": values["rate"]}


class _Values(dict):
    """Template values; a field a template names but a reply lacks is empty."""

    def __missing__(self, key: str) -> str:
        return ""


def channel_text(key: str, language: str = "ja", **values: Any) -> str:
    """A channel's own message (the apology, 「メッセージが長すぎます」…) from the templates,
    without the knowledge base."""
    return Renderer(None, language).text(key, **values)
