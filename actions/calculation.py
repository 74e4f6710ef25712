"""The calculation form: asks one missing fact at a time, then shows the working.

Which facts are asked depends on the program's rules: the knowledge base's evaluator
says what it is missing (``Evaluation.missing``), in the order to ask. Facts can come
in any order or all in one message (slot mappings fill them from any message), and
figures given for one program are not reused for another.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from knowledge.evaluator import CASE_FACTS, CASES, NOT_ELIGIBLE, SIZES, UNKNOWN
from knowledge.present import citation, evaluation_lines, page_refs

from .conversation import (FACT_SLOTS, MAX_FIGURE, ProgramContext, contact_text, facts_from_slots,
                           latest_entities, latest_text, program_buttons, program_context, program_from_facts,
                           related_for_amounts)
from .answers import show_rules
from .knowledge_access import entity_finder, knowledge_base

# What the form reads: facts, the program chosen, and the questions data/rules.yml answers
# in the middle of a calculation before returning to it.
FORM_INTENTS = {"inform", "calculate_amount", "choose_program", "affirm", "deny", "ask_amount", "ask_contact",
                "request_human", "ask_procedure", "nlu_fallback"}
# A leave in months, as nlu/finder.py gives it (「2か月」)
MONTHS = re.compile(r"(\d+)か月")
# Facts about one project or situation: they belong to the program they were given for.
PER_PROGRAM_SLOTS = ("amount_yen", "leave", "measures", "course", "tokku")


def slots_missing_for(tracker: Tracker, program) -> list[str]:
    """Slots the program's rules still need, in the order to ask them.

    The company size and 特区 are not asked: once the rest is known, the answer shows
    the amount for each of their values side by side (evaluator CASES), with buttons to
    settle it.
    """
    kb = knowledge_base()
    facts = facts_from_slots(tracker)
    missing: list[str] = []
    for rule_id in program.rule_ids:
        if kb.evaluate(rule_id, facts, cases=True).outcome == CASES:
            continue   # settled case by case (or not eligible in every case) with what is known
        for fact in kb.evaluate(rule_id, facts).missing:
            slot = FACT_SLOTS[fact]
            if fact not in CASE_FACTS and slot not in missing:
                missing.append(slot)
    return missing


def rules_just_shown(tracker: Tracker) -> bool:
    """Whether the bot's last turn already recited the rules (action_amount)."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return False
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") not in ("action_listen", None):
            return event.get("name") == "action_amount"
    return False


def has_rules(program) -> bool:
    return bool(program.rule_ids)


class ValidateCalculationForm(FormValidationAction):
    def name(self) -> str:
        return "validate_calculation_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Validate what this message gave, then ask for the first fact still missing.

        Written out rather than left to FormValidationAction, whose validation skips
        slots no longer required, because here the required slots depend on the values.
        """
        events: list[EventType] = []
        intent = tracker.latest_message.get("intent", {}).get("name")
        if intent not in FORM_INTENTS and not tracker.slots_to_validate():
            # another question (「創業したい」): no change, so that Rasa sets the form aside
            # and the question's own rule answers it
            return []

        def set_slot(name: str, value: Any) -> None:
            # only real changes: a turn that changes nothing lets Rasa reject the form, so
            # that 「キャンセル」 or another question is handled by the rules
            if tracker.slots.get(name) != value:
                events.append(SlotSet(name, value))
                tracker.slots[name] = value

        given_now = tracker.slots_to_validate()
        context = program_context(tracker, search_text=True, useful=has_rules)
        related = related_for_amounts(context.program) if context.status == "one" else None
        if related and not context.program.rule_ids:
            dispatcher.utter_message(response="utter_using_related", program=context.program.name,
                                     related=related.name, why=context.program.related["why"])
            context = ProgramContext("one", related, named_now=True)
            set_slot("program", related.id)
        if context.status == "one" and tracker.get_slot("program") != context.program.id:
            set_slot("program", context.program.id)   # narrowed from several candidates
        elif isinstance(tracker.get_slot("program"), list):
            set_slot("program", None)   # candidates: the form asks again, with buttons
        if context.status == "one":
            if tracker.get_slot("facts_program") not in (None, context.program.id):
                for slot in PER_PROGRAM_SLOTS:
                    if slot not in given_now and tracker.get_slot(slot) is not None:
                        set_slot(slot, None)
            set_slot("facts_program", context.program.id)
        if tracker.get_slot("course") is None:
            # 「男性育休の奨励金」 names the program and, inside its name, the course
            courses = entity_finder().values_in(latest_text(tracker), "course")
            if courses:
                set_slot("course", courses[0])
        for slot, value in given_now.items():
            if slot == "program":
                continue   # settled above (candidates, related program)
            validator = getattr(self, f"validate_{slot}", None)
            if validator:
                for name, checked in validator(value, dispatcher, tracker, domain).items():
                    set_slot(name, checked)
        numbers = latest_entities(tracker, "number")
        if numbers and "amount_yen" in given_now and not latest_entities(tracker, "money"):
            # 「600」 for an amount: 600円 or 600万円? Asked again rather than guessed
            dispatcher.utter_message(response="utter_amount_needs_unit", number=numbers[0])
            del given_now["amount_yen"]
            set_slot("amount_yen", None)
        if context.status == "none" and program_from_facts(tracker):
            set_slot("program", program_from_facts(tracker).id)   # chosen from the facts given
        required = await self.required_slots([], dispatcher, tracker, domain)
        starting = tracker.get_slot("requested_slot") is None
        next_slot = next((slot for slot in required if tracker.slots.get(slot) is None), None)
        if starting and next_slot and next_slot != "program" and context.status == "one" \
                and not rules_just_shown(tracker):
            # a question about the amount, asked before all facts are in: say the rule first
            show_rules(dispatcher, context.program)
        events.append(SlotSet("requested_slot", next_slot))
        return events

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> list[str]:
        context = program_context(tracker, useful=has_rules)
        if context.status == "one" and not context.program.rule_ids and related_for_amounts(context.program):
            context = ProgramContext("one", related_for_amounts(context.program))
        if context.status == "none":
            program = program_from_facts(tracker)
            if program:
                return slots_missing_for(tracker, program)
        if context.status != "one":
            return ["program"]
        if not context.program.rule_ids:
            return []
        return slots_missing_for(tracker, context.program)

    def validate_company_size(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return {"company_size": value if value in SIZES else None}

    def validate_amount_yen(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        try:
            amount = int(value)
        except (TypeError, ValueError):
            amount = -1
        if not 0 < amount < MAX_FIGURE:
            dispatcher.utter_message(response="utter_invalid_amount")
            return {"amount_yen": None}
        return {"amount_yen": amount}

    def validate_employees(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        try:
            return {"employees": int(value) if int(value) >= 0 else None}
        except (TypeError, ValueError):
            return {"employees": None}

    def validate_leave(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        if isinstance(value, list):
            value = value[-1] if value else None
        if isinstance(value, str):
            months = MONTHS.fullmatch(value)
            months = int(months.group(1)) if months else 0
            if months >= 2:
                # 2か月 or more is at least 28 days a month: above every day threshold (30日)
                dispatcher.utter_message(response="utter_leave_months_as_days", leave=value, days=28 * months)
                return {"leave": 28 * months}
            # 「1か月」: 28–31 days, which may fall either side of the 30-day threshold
            dispatcher.utter_message(response="utter_leave_in_days", leave=value)
            return {"leave": None}
        if isinstance(value, (int, float)) and value >= 0:
            return {"leave": int(value)}
        return {"leave": None}

    def validate_course(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        known = {course["key"] for rule_id in self._rule_ids(tracker)
                 for course in knowledge_base().rule(rule_id).get("courses", [])}
        return {"course": value if not known or value in known else None}

    def validate_measures(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        values = value if isinstance(value, list) else [value]
        return {"measures": [v for v in values if isinstance(v, str)] or None}

    @staticmethod
    def _rule_ids(tracker: Tracker) -> list[str]:
        context = program_context(tracker)
        return context.program.rule_ids if context.status == "one" else []


class ActionAskProgram(Action):
    def name(self) -> str:
        return "action_ask_program"

    def run(self, dispatcher, tracker, domain):
        kb = knowledge_base()
        candidates = tracker.get_slot("program")
        programs = [kb.program(i) for i in candidates] if isinstance(candidates, list) else []
        if not programs:
            for event in tracker.events[::-1]:
                # the list the user was last asked to choose from, if any
                if event.get("event") == "slot" and event.get("name") == "program" and \
                        isinstance(event.get("value"), list):
                    programs = [kb.program(i) for i in event["value"]]
                    break
        programs = [p for p in programs if p] or [p for p in kb.programs() if p.rule_ids]
        dispatcher.utter_message(response="utter_ask_program", buttons=program_buttons(programs))
        return []


class ActionAskAmountYen(Action):
    def name(self) -> str:
        return "action_ask_amount_yen"

    def run(self, dispatcher, tracker, domain):
        context = program_context(tracker)
        label = "金額"
        if context.status == "one" and context.program.rule_ids:
            label = knowledge_base().rule(context.program.rule_ids[0])["base"]["label"]
        dispatcher.utter_message(response="utter_ask_amount_yen", label=label)
        return []


class ActionCalculate(Action):
    def name(self) -> str:
        return "action_calculate"

    def run(self, dispatcher, tracker, domain):
        kb = knowledge_base()
        # the form has settled the program (maybe the related one): the slot, not the message
        program = kb.program(tracker.get_slot("program")) if isinstance(tracker.get_slot("program"), str) else None
        context = ProgramContext("one", program) if program else program_context(tracker, useful=has_rules)
        if context.status != "one":
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        program = context.program
        if not program.rule_ids:
            dispatcher.utter_message(response="utter_amount_not_stated", program=program.name,
                                     contact=contact_text(program),
                                     citation=citation(kb, program.page_refs))
            return [SlotSet("pending_question", None)]
        facts = facts_from_slots(tracker)
        to_settle = []
        for rule_id in program.rule_ids:
            evaluation = kb.evaluate(rule_id, facts, cases=True)
            if evaluation.outcome == CASES:
                to_settle += [fact for fact in evaluation.missing if fact not in to_settle]
            follow_up = ""
            if evaluation.outcome in (NOT_ELIGIBLE, UNKNOWN):
                follow_up = f"詳しくは担当課へお問い合わせください：{contact_text(program)}"
            dispatcher.utter_message(response="utter_calculation", program=program.name, label=evaluation.label,
                                     lines="\n".join(evaluation_lines(evaluation)), follow_up=follow_up,
                                     citation=citation(kb, page_refs(evaluation.page)))
        for fact in to_settle:
            # buttons that settle the case (they come back as inform and recalculate)
            dispatcher.utter_message(response=f"utter_ask_{FACT_SLOTS[fact]}")
        return [SlotSet("pending_question", None), SlotSet("facts_program", program.id),
                SlotSet("fallback_streak", 0)]

