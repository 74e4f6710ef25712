"""The state of a conversation as the actions see it: which program, which facts.

The program under discussion comes, in this order, from a program named in the latest
message (the entity), from the ``program`` slot (carried over from earlier turns), and,
for the questions that allow it, from a search of the message text. A name that fits
several programs makes the bot ask which one, with buttons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from knowledge.kb import KnowledgeBase, Program
from knowledge.text import fold, search_terms
from knowledge.present import citation, contact_line
from nlu.finder import NO_MEASURES

from .knowledge_access import entity_finder, knowledge_base

# Evaluator facts and the slots that hold them. One money slot serves 対象経費, 投資額 and
# 事業費: a program's rule uses only one of them.
FACT_SLOTS = {
    "size": "company_size",
    "cost_yen": "amount_yen",
    "investment_yen": "amount_yen",
    "employees": "employees",
    "tokku": "tokku",
    "course": "course",
    "days": "leave",
    "measures": "measures",
    "industry": "industry",
    "business_type": "business_type",
    "region": "region",
    "manufacturing_field": "manufacturing_field",
    "facility": "facility",
    "variant": "variant",
}
MAX_BUTTONS = 8
MAX_FIGURE = 10**12   # 1兆円: no figure of the source comes near it


@dataclass
class ProgramContext:
    """``one`` (program set), ``ambiguous`` (candidates set) or ``none``."""

    status: str
    program: Program | None = None
    candidates: list[Program] = field(default_factory=list)
    named_now: bool = False  # named in the latest message (not carried over)
    by_name: bool = False    # found by a name or alias (not by searching the text)


def latest_entities(tracker: Tracker, entity: str) -> list:
    return [e.get("value") for e in tracker.latest_message.get("entities", []) if e.get("entity") == entity]


def latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def _from_value(kb: KnowledgeBase, value, named_now: bool) -> ProgramContext | None:
    if isinstance(value, str):
        program = kb.program(value)
        if program:
            return ProgramContext("one", program, named_now=named_now)
    elif isinstance(value, list) and value:
        candidates = [p for p in (kb.program(v) for v in value if isinstance(v, str)) if p]
        if len(candidates) == 1:
            return ProgramContext("one", candidates[0], named_now=named_now)
        if candidates:
            return ProgramContext("ambiguous", candidates=candidates, named_now=named_now)
    return None


# Words that tell which kind of program an ambiguous name means (セレクト神奈川ＮＥＸＴ …).
KIND_WORDS = {
    "融資・信用保証": ("融資", "借入", "借り", "据置", "返済", "保証料"),
    "補助金": ("補助", "投資額", "特区"),
    "奨励金": ("奨励金",),
}


def narrow(candidates: list[Program], text: str, useful=None) -> list[Program]:
    """Fewer candidates, using the kind of program the message speaks of, then (``useful``)
    whether a candidate holds the facts the question needs (a rule for an amount)."""
    folded = fold(text)
    # words of the message found in only one candidate's name (「産総研の生成AIの事業」)
    words = set(search_terms(text)) - entity_finder().question_forms
    named = [c for c in candidates if words & set(search_terms(c.name))]
    if len(named) == 1 and len(candidates) > 1:
        return named
    for category, words in KIND_WORDS.items():
        if any(word in folded for word in words):
            kept = [c for c in candidates if c.category == category]
            if kept:
                candidates = kept
                break
    if len(candidates) > 1 and any(c.category != "融資・信用保証" for c in candidates):
        # a bare scheme name (セレクト神奈川ＮＥＸＴ) means its subsidy unless a loan is spoken of
        candidates = [c for c in candidates if c.category != "融資・信用保証"]
    if useful:
        kept = [c for c in candidates if useful(c)]
        if kept:
            candidates = kept
    return candidates


def program_context(tracker: Tracker, search_text: bool = False, useful=None,
                    search_lead: float = 1.5) -> ProgramContext:
    """The program the user means now (see the module docstring for the order).

    ``useful``: for questions that need particular facts (an amount rule), a test that
    narrows a name fitting several programs to those that have them.
    ``search_lead``: how far a search result must lead the next to be taken as meant;
    questions answered with a phone number ask for more (a wrong number is the worst answer).
    """
    kb = knowledge_base()
    text = latest_text(tracker)
    context = None
    named = []
    for value in latest_entities(tracker, "program"):
        named += value if isinstance(value, list) else [value]
    if named:
        # several programs named (「さがみロボット産業特区を活用して…第２ステージ補助金」): candidates
        context = _from_value(kb, list(dict.fromkeys(named)), named_now=True)
        if context:
            context.by_name = True
    in_context = tracker.get_slot("program") is not None
    if context is None:
        implied = program_from_message_facts(tracker, in_context)
        if implied:
            context = ProgramContext("one", implied, named_now=True)
    if context is None and search_text and entity_finder().describes_a_program(text_without_facts(tracker)):
        # with a program under discussion, only words of names, aliases and needs may
        # switch to another (「従業員は50人」 must not, through some description's 従業員)
        resolution = kb.resolve(text_without_facts(tracker), ignore=entity_finder().question_forms,
                                lead=search_lead, names_only=in_context)
        if resolution.status != "none":
            context = ProgramContext(resolution.status, resolution.program, resolution.programs
                                     if resolution.status == "ambiguous" else [], named_now=True)
    if context is None:
        context = _from_value(kb, tracker.get_slot("program"), named_now=False)
        if context:
            context.by_name = True
    if context and context.status == "ambiguous":
        candidates = narrow(context.candidates, text_outside_names(tracker), useful)
        if len(candidates) == 1:
            return ProgramContext("one", candidates[0], named_now=context.named_now, by_name=context.by_name)
        context.candidates = candidates
    return context or ProgramContext("none")


# Facts that only one program's rules or requirements use: 「男性の育休」 (a course) or
# 「一時帰国休暇」 (an add-on) names the program as surely as its name. Industries, business
# types, regions… name セレクト神奈川ＮＥＸＴ's requirements, but 「製造業です」 in the middle of
# another program's calculation does not mean it: those count only with no program in context.
NAMING_FACTS = ("course", "measure", "variant")
CONTEXT_FREE_NAMING_FACTS = ("industry", "business_type", "region", "manufacturing_field", "facility")


def program_from_message_facts(tracker: Tracker, in_context: bool) -> Program | None:
    """The one program whose rules use every such fact of the latest message, if any."""
    kinds = NAMING_FACTS if in_context or latest_entities(tracker, "need") else \
        NAMING_FACTS + CONTEXT_FREE_NAMING_FACTS
    values = [value for kind in kinds for value in latest_entities(tracker, kind)
              if isinstance(value, str) and value != NO_MEASURES]
    if not values:
        return None
    kb = knowledge_base()
    programs = set.intersection(*({p.id for p in kb.programs_using(value)} for value in values))
    return kb.program(programs.pop()) if len(programs) == 1 else None


def text_outside_names(tracker: Tracker) -> str:
    """The message without the program names in it: what else it says narrows a name."""
    text = latest_text(tracker)
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == "program" and entity.get("start") is not None:
            text = text[:entity["start"]] + " " * (entity["end"] - entity["start"]) + text[entity["end"]:]
    return text


def text_without_facts(tracker: Tracker) -> str:
    """The message with the facts it states (sizes, amounts, days…) blanked out, so that
    「小規模事業者なんだけど」 is not taken for 小規模事業者デジタル化支援事業費補助."""
    text = latest_text(tracker)
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") not in ("program", "need") and entity.get("start") is not None:
            start, end = entity["start"], entity["end"]
            text = text[:start] + " " * (end - start) + text[end:]
    return text


def related_for_amounts(program: Program) -> Program | None:
    """The program whose per-business amounts answer for this one (programs.yml related.amounts)."""
    related = program.related or {}
    if related.get("amounts"):
        other = knowledge_base().program_by_name(related["program"])
        if other and other.rule_ids:
            return other
    return None


def shared_contact(programs: list[Program]):
    """The one contact all these programs share, or None."""
    contacts = {p.contact.id if p.contact else None for p in programs}
    if len(contacts) == 1 and None not in contacts:
        return programs[0].contact
    return None


def program_buttons(programs: list[Program]) -> list[dict]:
    return [{"title": p.name, "payload": f'/choose_program{{"program":"{p.id}"}}'}
            for p in programs[:MAX_BUTTONS]]


def ask_which_program(dispatcher: CollectingDispatcher, candidates: list[Program], question: str,
                      prompt: str = "どの事業についてのご質問ですか？") -> list[EventType]:
    """Offer the candidates as buttons and remember the question to answer after the choice."""
    if candidates:
        dispatcher.utter_message(text=prompt, buttons=program_buttons(candidates))
    else:
        dispatcher.utter_message(
            text=prompt + "事業名（例：「生産性向上の補助金」「セレクト神奈川ＮＥＸＴ」）やお困りごと"
                          "（例：「人手不足」「創業」）を入れてお送りください。")
    return [SlotSet("pending_question", question),
            SlotSet("program", [p.id for p in candidates] if candidates else None)]


def likely_programs(tracker: Tracker, limit: int = 5) -> list[Program]:
    """Programs a message without a clear program name most likely means: those meeting
    a need it names, else those its words match, else the programs with per-business
    amounts (what business owners ask about most)."""
    kb = knowledge_base()
    text = latest_text(tracker)
    needs = latest_entities(tracker, "need") or kb.needs_in(text)
    if needs:
        return kb.programs_for_need(needs[0])[:limit]
    if entity_finder().describes_a_program(text):
        found = [p for p, _ in kb.search(text, limit=limit, ignore=entity_finder().question_forms)]
        if found:
            return found
    return programs_with_rules()[:MAX_BUTTONS]


def programs_with_rules() -> list[Program]:
    return [p for p in knowledge_base().programs() if p.rule_ids]


def program_from_facts(tracker: Tracker) -> Program | None:
    """The one program whose rule the facts given can only belong to: a course of the
    work–life incentive, or an add-on measure of the foreign-worker incentive."""
    kb = knowledge_base()
    wanted = []
    if tracker.get_slot("course"):
        wanted.append("courses")
    if tracker.get_slot("measures"):
        wanted.append("addon")
    if not wanted:
        return None
    matches = [p for p in programs_with_rules()
               if any(key in kb.rule(rule_id) for rule_id in p.rule_ids for key in wanted)]
    return matches[0] if len(matches) == 1 else None


def facts_from_slots(tracker: Tracker) -> dict:
    """The facts the evaluator reads, from the slots (days only as a whole number)."""
    facts = {}
    for fact, slot in FACT_SLOTS.items():
        value = tracker.get_slot(slot)
        if value is None:
            continue
        if fact in ("cost_yen", "investment_yen", "employees", "days"):
            # a month (「1か月」) or an impossible figure is not a fact yet: it is asked again
            if isinstance(value, (str, bool)) or not 0 <= value < MAX_FIGURE:
                continue
            value = int(value)
            if value == 0 and fact in ("cost_yen", "investment_yen"):
                continue
        elif fact == "measures":
            value = [m for m in value if m != NO_MEASURES]
        facts[fact] = value
    return facts


def source_line(program: Program) -> str:
    return citation(knowledge_base(), program.page_refs)


def contact_text(program: Program) -> str:
    contact = program.contact
    if contact is None:
        return contact_line(None)
    line = contact_line(contact)
    if contact.bureau != "産業労働局":
        line += f"\n（この事業は{contact.bureau}の担当です）"
    return line
