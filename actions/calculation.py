"""The calculation form: asks one missing fact at a time, then gives the amount.

``action_answer`` starts the form when a calculation lacks facts, with the program in the
``facts_program`` slot (the program the user's figures are for: another question answered
in the middle of the calculation may change ``program``, never this). Which facts are asked is the program's rules' business
(:meth:`knowledge.replies.Replies.missing_facts`); facts come in any order or all in one
message (slot mappings fill them from any message). Prompts and their buttons are worded
by the renderer, the buttons made from the rule's own options.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from knowledge.evaluator import SIZES
from knowledge.replies import Button

from .knowledge_access import dialogue
from .payload_values import digits, is_figure
from .turn import FACT_SLOTS, MAX_FIGURE, facts_from, language_of, send

# What the form reads: facts, and answers to its questions. Anything else (another
# question) changes nothing, so that Rasa sets the form aside and a rule answers it.
FORM_INTENTS = {"inform", "calculate_amount", "affirm", "deny"}
# A leave in months, as the fact finder gives it (「2か月」)
# Evaluator facts as the form's slots (cost and investment are the one money slot)
SLOT_OF_FACT = {**FACT_SLOTS, "cost_yen": "amount_yen", "investment_yen": "amount_yen"}


def renderer_for(tracker: Tracker):
    """The renderer of the conversation's language (the last message's own, if it has one)."""
    bot = dialogue(tracker)
    text = tracker.latest_message.get("text") or ""
    # a button's payload (/feedback{"rating":"down"}) is no language of the user's
    return bot.renderer(bot.language("" if text.startswith("/") else text, language_of(tracker)))


def form_program(tracker: Tracker):
    program_id = tracker.get_slot("facts_program")
    if not isinstance(program_id, str):
        program_id = tracker.get_slot("program")
    return dialogue(tracker).kb.program(program_id) if isinstance(program_id, str) else None


def missing_slots(tracker: Tracker) -> list[str]:
    program = form_program(tracker)
    if program is None:
        return []
    replies = dialogue(tracker).replies
    facts = replies.evaluator_facts(program, facts_from(tracker))
    return list(dict.fromkeys(SLOT_OF_FACT[fact] for fact in replies.missing_facts(program, facts)))


class ValidateCalculationForm(FormValidationAction):
    def name(self) -> str:
        return "validate_calculation_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> list[str]:
        return missing_slots(tracker)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Validate what this message gave, then ask for the first fact still missing."""
        intent = tracker.latest_message.get("intent", {}).get("name")
        given = tracker.slots_to_validate()
        if intent not in FORM_INTENTS and not given:
            # another question: nothing validated, so Rasa sets the form aside and a rule
            # answers it; back in the form afterwards, the next fact the program's rules need
            # is asked (not the domain's first empty slot)
            return [SlotSet("requested_slot", next((s for s in missing_slots(tracker)
                                                     if tracker.slots.get(s) is None), None))]
        events: list[EventType] = []

        def set_slot(name: str, value: Any) -> None:
            # only real changes: a turn that changes nothing lets Rasa set the form aside
            if tracker.slots.get(name) != value:
                events.append(SlotSet(name, value))
                tracker.slots[name] = value

        for slot, value in given.items():
            validator = getattr(self, f"validate_{slot}", None)
            if validator:
                for name, checked in validator(value, dispatcher, tracker, domain).items():
                    set_slot(name, checked)
        numbers = [e.get("value") for e in tracker.latest_message.get("entities", []) if e.get("entity") == "number"]
        money = [e for e in tracker.latest_message.get("entities", []) if e.get("entity") == "money"]
        number = digits(numbers[0]) if numbers else None
        if number and "amount_yen" in given and not money:
            # 「600」 for an amount: 600円 or 600万円? Asked again rather than guessed (shown
            # back as digits only: nothing else the user typed is echoed)
            dispatcher.utter_message(text=renderer_for(tracker).text("ask.amount_needs_unit", number=number))
            set_slot("amount_yen", None)
        next_slot = next((slot for slot in missing_slots(tracker) if tracker.slots.get(slot) is None), None)
        events.append(SlotSet("requested_slot", next_slot))
        return events

    def validate_company_size(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return {"company_size": value if isinstance(value, str) and value in SIZES else None}

    def validate_amount_yen(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        amount = int(value) if is_figure(value) else -1
        if not 0 < amount < MAX_FIGURE:
            dispatcher.utter_message(text=renderer_for(tracker).text("ask.invalid_amount"))
            return {"amount_yen": None}
        return {"amount_yen": amount}

    def validate_employees(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return {"employees": int(value) if is_figure(value) else None}

    def validate_leave(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        if isinstance(value, list):
            value = value[-1] if value else None
        renderer = renderer_for(tracker)
        if isinstance(value, str):
            least = dialogue(tracker).replies.settled_days(form_program(tracker), value)
            if least is not None:
                # 1か月半 or more: above every day threshold (30日)
                dispatcher.utter_message(text=renderer.text("ask.leave_months_as_days", leave=value, days=least))
                return {"leave": least}
            # 「1か月」: 28–31 days, which may fall either side of the 30-day threshold
            dispatcher.utter_message(text=renderer.text("ask.leave_in_days", leave=value))
            return {"leave": None}
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 10_000:
            return {"leave": int(value)}
        return {"leave": None}

    def validate_course(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        program = form_program(tracker)
        kb = dialogue(tracker).kb
        known = {c["key"] for rule_id in (program.rule_ids if program else []) for c in kb.rule(rule_id).get("courses", [])}
        return {"course": value if isinstance(value, str) and (not known or value in known) else None}

    def validate_measures(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        values = value if isinstance(value, list) else [value]
        return {"measures": [v for v in values if isinstance(v, str)] or None}

    def validate_tokku(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return {"tokku": value if isinstance(value, bool) else None}


def asked_before(tracker: Tracker, slot: str) -> bool:
    """Whether this question was asked before the user's latest message (another question
    came between, or the answer did not do): then it is asked in other words."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif event.get("event") == "active_loop" and event.get("name") is None:
            return False
        elif seen_user and event.get("event") == "slot" and event.get("name") == "requested_slot":
            return event.get("value") == slot
    return False


def _inform(entity: str, value: Any) -> str:
    import json
    return "/inform" + json.dumps({entity: value}, ensure_ascii=False)


def ask_message(slot: str, tracker: Tracker) -> dict:
    """The form's question for one fact: worded by the renderer, with buttons made from the
    program's rule (its courses, its add-on measures) or the evaluator's values."""
    bot = dialogue(tracker)
    renderer = renderer_for(tracker)
    program = form_program(tracker)
    rules = [bot.kb.rule(rule_id) for rule_id in (program.rule_ids if program else [])]
    values: dict[str, Any] = {}
    buttons: list[Button] = []
    if slot == "amount_yen":
        values["label"] = next((r["base"]["label"] for r in rules if (r.get("base") or {}).get("label")), "金額")
    elif slot == "course":
        buttons = [Button("ask.option", _inform("course", c["key"]), {"option": c["course"]})
                   for r in rules for c in r.get("courses", [])]
    elif slot == "measures":
        addon = next((r for r in rules if r.get("addon")), None)
        if addon:
            values["base"] = "、".join(addon["base"].get("requirements") or [])
            buttons = [Button("ask.option", _inform("measure", m), {"option": m}) for m in addon["addon"]["any_of"]]
            buttons.append(Button("button.none_of_these", _inform("measure", "なし")))
    elif slot == "company_size":
        buttons = [Button("ask.option", _inform("company_size", size), {"option": size}) for size in SIZES]
    elif slot == "tokku":
        buttons = [Button("button.affirm", _inform("tokku", True)), Button("button.deny", _inform("tokku", False))]
    prompt = renderer.text(f"ask.{slot}", **values)
    if asked_before(tracker, slot):
        prompt = renderer.text("ask.again") + prompt   # never the same words twice in a row
    return {"text": prompt, "buttons": [renderer.button(b) for b in buttons] or None}


class AskFact(Action):
    """``action_ask_<slot>``: the form's question for one fact (:func:`ask_message`)."""

    slot = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    def run(self, dispatcher, tracker, domain):
        dispatcher.utter_message(**ask_message(self.slot, tracker))
        return []


def _ask_action(slot: str) -> type[AskFact]:
    return type(f"AskFact_{slot}", (AskFact,), {"slot": slot})


ASK_ACTIONS = [_ask_action(slot) for slot in ("amount_yen", "employees", "leave", "course", "measures",
                                              "company_size", "tokku")]


class ActionCalculate(Action):
    """The amount, once the form has every fact the program's rules need."""

    def name(self) -> str:
        return "action_calculate"

    def run(self, dispatcher, tracker, domain):
        bot = dialogue(tracker)
        program = form_program(tracker)
        if program is None:
            dispatcher.utter_message(text=renderer_for(tracker).text("ask.rephrase"))
            return []
        facts = bot.replies.evaluator_facts(program, facts_from(tracker))
        renderer = renderer_for(tracker)
        send(dispatcher, [renderer.render(reply) for reply in bot.replies.calculation(program, facts)], renderer)
        # amounts shown case by case (size, 特区): the buttons that settle the case
        for fact in bot.replies.case_facts(program, facts):
            dispatcher.utter_message(**ask_message(SLOT_OF_FACT[fact], tracker))
        return [SlotSet("pending_question", None), SlotSet("facts_program", program.id),
                SlotSet("fallback_streak", 0)]
