"""Hand-off to the right division, fallbacks, and resuming a question after a choice.

Whatever the document does not say (deadlines, forms, office hours), a request for a
person, and a second misunderstanding in a row all end the same way: the division, its
phone number and its bureau for the program in context — never a made-up answer.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from .answers import (FIGURE_ENTITIES, PHONE_SEARCH_LEAD, ActionAmount, ActionBudget, ActionContact,
                      ActionEligibility, ActionProgramInfo, ProgramAnswer)
from .conversation import (ask_which_program, contact_text, latest_entities, likely_programs, program_context,
                           shared_contact, source_line)

HANDOFF_RESPONSES = {
    "ask_procedure": "utter_handoff_procedure",
    "request_human": "utter_handoff_human",
    "nlu_fallback": "utter_handoff_fallback",
}


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[EventType]:
        reason = tracker.get_slot("pending_question") if tracker.latest_message.get("intent", {}).get(
            "name") == "choose_program" else tracker.latest_message.get("intent", {}).get("name")
        return handoff(dispatcher, tracker, reason if reason in HANDOFF_RESPONSES else "request_human")


def handoff(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> list[EventType]:
    context = program_context(tracker, search_text=True, search_lead=PHONE_SEARCH_LEAD)
    if context.status == "ambiguous" and shared_contact(context.candidates):
        # several programs fit, but one division answers for all of them
        dispatcher.utter_message(response=HANDOFF_RESPONSES[reason],
                                 program="、".join(p.name for p in context.candidates),
                                 contact=contact_text(context.candidates[0]),
                                 citation=source_line(context.candidates[0]))
        return [SlotSet("pending_question", None), SlotSet("fallback_streak", 0)]
    if context.status != "one":
        candidates = context.candidates or likely_programs(tracker)
        return ask_which_program(dispatcher, candidates, reason,
                                 prompt="担当課をご案内します。どの事業についてですか？") + \
            [SlotSet("fallback_streak", 0)]
    program = context.program
    dispatcher.utter_message(response=HANDOFF_RESPONSES[reason], program=program.name,
                             contact=contact_text(program), citation=source_line(program))
    return [SlotSet("program", program.id), SlotSet("pending_question", None), SlotSet("fallback_streak", 0)]


class ActionFallback(Action):
    """A question not understood. About a named program: what it is (or its calculation).
    Otherwise the first time: ask to rephrase; the second in a row: hand off."""

    def name(self) -> str:
        return "action_fallback"

    def run(self, dispatcher, tracker, domain):
        streak = int(tracker.get_slot("fallback_streak") or 0)
        if not (tracker.latest_message.get("text") or "").strip():
            dispatcher.utter_message(response="utter_empty_message")
            return []
        if latest_entities(tracker, "program"):
            # a program is named, only the question is unclear: calculate when the message
            # gives figures for its rule, else say what it is, with buttons for the rest
            context = program_context(tracker)
            if context.status == "one" and context.program.rule_ids and \
                    any(latest_entities(tracker, e) for e in FIGURE_ENTITIES):
                return [SlotSet("program", context.program.id), FollowupAction("calculation_form")]
            return ActionProgramInfo().run(dispatcher, tracker, domain)
        if streak >= 1:
            return handoff(dispatcher, tracker, "nlu_fallback")
        dispatcher.utter_message(response="utter_ask_rephrase")
        return [SlotSet("fallback_streak", streak + 1)]


class ActionResume(Action):
    """After the user picks a program from buttons, answer the question that was waiting."""

    answers: dict[str, type[ProgramAnswer]] = {
        "ask_program_info": ActionProgramInfo,
        "ask_amount": ActionAmount,
        "ask_eligibility": ActionEligibility,
        "ask_budget": ActionBudget,
        "ask_contact": ActionContact,
    }

    def name(self) -> str:
        return "action_resume"

    def run(self, dispatcher, tracker, domain):
        if not latest_entities(tracker, "program"):
            # typed text the classifier took for a choice: not a choice at all
            return ActionFallback().run(dispatcher, tracker, domain)
        question = tracker.get_slot("pending_question") or "ask_program_info"
        if question == "calculate_amount":
            context = program_context(tracker)
            events = [SlotSet("program", context.program.id)] if context.status == "one" else []
            return events + [SlotSet("pending_question", None), FollowupAction("calculation_form")]
        if question in HANDOFF_RESPONSES:
            return handoff(dispatcher, tracker, question)
        answer = self.answers.get(question, ActionProgramInfo)()
        return answer.run(dispatcher, tracker, domain)
