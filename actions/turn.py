"""``action_answer``: every question and small-talk turn, through :mod:`knowledge.dialogue`.

The rules (data/rules.yml) route every intent but the calculation form's here. This
action only translates between Rasa and the Rasa-free dialogue: it reads the
conversation's state from the slots, asks :class:`knowledge.dialogue.Dialogue` for the
turn, sends the rendered messages (each with its metadata as ``custom.answer``: what
the answer is about, for cards, the review and the tests) and writes the state back.
What is asked, which program and how it is worded are decided in ``knowledge``.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from knowledge.dialogue import Turn
from knowledge.render import Message
from knowledge.resolver import State

from .feedback import answers_as_question, comment_turn, with_feedback
from .knowledge_access import dialogue, year_of
from .payload_values import checked_entities, is_figure, is_name, name_or_none, names

# Evaluator facts and the slots that keep them between turns. One money slot serves
# 対象経費, 投資額 and 事業費: a program's rule uses only one of them.
FACT_SLOTS = {
    "size": "company_size",
    "money": "amount_yen",
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
    "topic": "topic",
}
# Facts about one project or situation: they belong to the program they were given for.
PER_PROGRAM_SLOTS = ("amount_yen", "leave", "measures", "course", "tokku")
MAX_FIGURE = 10**12   # 1兆円: no figure of the source comes near it


def state_from(tracker: Tracker) -> State:
    program = tracker.get_slot("program")
    return State(program=program if isinstance(program, str) else None,
                 candidates=[p for p in program if isinstance(p, str)] if isinstance(program, list) else [],
                 last_list=names(tracker.get_slot("last_list")))


def streak_of(tracker: Tracker) -> int:
    """How many messages in a row the bot did not understand (slot ``fallback_streak``)."""
    value = tracker.get_slot("fallback_streak")
    return int(value) if is_figure(value) and value < 1000 else 0


def facts_from(tracker: Tracker) -> dict:
    """What earlier turns said about the business, from the slots (figures only when sane)."""
    facts = {}
    for fact, slot in FACT_SLOTS.items():
        value = tracker.get_slot(slot)
        if value is None:
            continue
        if fact in ("money", "employees", "days"):
            if isinstance(value, (str, bool)) or not isinstance(value, (int, float)) or not 0 <= value < MAX_FIGURE:
                continue
            value = int(value)
            if value == 0 and fact == "money":
                continue
        if fact == "measures":
            value = [m for m in value if isinstance(m, str)] if isinstance(value, list) else None
            if value is None:
                continue
        facts[fact] = value
    return facts


def language_of(tracker: Tracker) -> str | None:
    """The conversation's language: chosen in the channel (the widget's 日本語 / English
    switch, LINE's profile language, sent as the message's metadata), else the language of
    the last answer (slot ``language``); a message's own language wins over both."""
    metadata = tracker.latest_message.get("metadata") or {}
    chosen = metadata.get("language") if isinstance(metadata, dict) else None
    if isinstance(chosen, str) and chosen[:2].lower() in ("ja", "en"):
        return chosen[:2].lower()
    slot = tracker.get_slot("language")
    return slot if slot in ("ja", "en") else None


def pending_of(tracker: Tracker) -> list[str]:
    """The kinds of question waiting for a program to be chosen (a conversation stored by
    the first version keeps an intent name there: read as its kind)."""
    pending = tracker.get_slot("pending_question")
    values = [pending] if is_name(pending) else names(pending)
    intent_kinds = dialogue().analyser.intent_kinds
    return [intent_kinds.get(value, value) for value in values]


def send(dispatcher: CollectingDispatcher, messages: list[Message], renderer=None) -> None:
    """Each message with its metadata as ``custom.answer`` and, for an answer about one
    program, its card's parts as ``custom.card`` (a list of programs: ``custom.cards``;
    LINE shows cards, other channels the text, which says the same); with ``renderer``, a
    factual answer offers 👍 / 👎 (actions/feedback.py)."""
    if renderer is not None:
        messages = with_feedback(messages, renderer)
    for message in messages:
        custom: dict[str, Any] = {"answer": message.meta}
        if message.card:
            custom["card"] = message.card
        if message.cards:
            custom["cards"] = message.cards
        dispatcher.utter_message(text=message.text, buttons=message.buttons or None, json_message=custom)


def state_events(tracker: Tracker, turn: Turn) -> list[EventType]:
    """The slots that keep what this turn established."""
    outcome = turn.outcome
    state = outcome.state
    program_value: Any = state.program or (state.candidates or None)
    events: list[EventType] = []
    if tracker.get_slot("program") != program_value:
        events.append(SlotSet("program", program_value))
    if names(tracker.get_slot("last_list")) != state.last_list:
        events.append(SlotSet("last_list", state.last_list or None))
    pending = outcome.pending or None
    if pending_of(tracker) != (pending or []):
        events.append(SlotSet("pending_question", pending))
    if names(tracker.get_slot("last_asked")) != outcome.answered:
        events.append(SlotSet("last_asked", list(outcome.answered) or None))
    in_form = bool((tracker.active_loop or {}).get("name"))
    if state.program and tracker.get_slot("facts_program") not in (None, state.program) and not in_form:
        # figures given for another program do not carry over to this one
        given_now = {e.get("entity") for e in tracker.latest_message.get("entities", [])}
        entity_of = {"amount_yen": "money", "leave": "duration", "measures": "measure", "course": "course",
                     "tokku": "tokku"}
        events += [SlotSet(slot, None) for slot in PER_PROGRAM_SLOTS
                   if tracker.get_slot(slot) is not None and entity_of[slot] not in given_now]
    if state.program and turn.analysis.has_figures and not in_form:
        events.append(SlotSet("facts_program", state.program))
    understood = bool(outcome.answered or outcome.pending or outcome.calculate)
    streak = 0 if understood else streak_of(tracker) + 1
    if streak != (tracker.get_slot("fallback_streak") or 0):
        events.append(SlotSet("fallback_streak", streak))
    return events


class ActionAnswer(Action):
    """Answers the latest message (see the module docstring)."""

    def name(self) -> str:
        return "action_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        comment, comment_events = comment_turn(dispatcher, tracker)   # the comment after a 👎
        if comment == "skip":
            return comment_events
        text = tracker.latest_message.get("text") or ""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        bot = dialogue()
        payload_entities = None
        if not text.strip() or text.startswith("/"):
            # a button's payload (/ask_amount, /inform{"company_size":…}): its intent and
            # facts, no words
            if text.startswith("/"):
                text = ""
                payload_entities = [e for e in checked_entities(tracker.latest_message.get("entities"))
                                    if e.get("entity") != "program"]
            if not text and intent in (None, "nlu_fallback"):
                dispatcher.utter_message(text=bot.renderer(language_of(tracker) or "ja").text("empty_message"))
                return comment_events
        facts = facts_from(tracker)
        if intent == "choose_program":
            chosen = [e.get("value") for e in tracker.latest_message.get("entities", [])
                      if e.get("entity") == "program" and isinstance(e.get("value"), str)]
            state = State(program=chosen[0], last_list=state_from(tracker).last_list) if chosen \
                else state_from(tracker)
        else:
            state = state_from(tracker)
        turn = bot.turn(text, intent, state, facts, pending_of(tracker),
                        streak_of(tracker), language=language_of(tracker),
                        facts_for=name_or_none(tracker.get_slot("facts_program")), entities=payload_entities,
                        year=year_of(tracker), asked_year=year_of(tracker, "fiscal_year_asked"),
                        last_asked=names(tracker.get_slot("last_asked")))
        if comment == "comment" and not answers_as_question(turn):
            return comment_events   # thanked; the comment asks nothing
        send(dispatcher, turn.messages, bot.renderer(turn.language))
        events = comment_events + state_events(tracker, turn)
        if tracker.get_slot("language") != turn.language:
            events.append(SlotSet("language", turn.language))
        if turn.year is not None and year_of(tracker) != turn.year:
            events.append(SlotSet("fiscal_year", turn.year))
        if year_of(tracker, "fiscal_year_asked") != turn.asked_year:
            events.append(SlotSet("fiscal_year_asked", turn.asked_year))
        if turn.outcome.calculate:
            if tracker.get_slot("program") != turn.outcome.calculate:
                events.append(SlotSet("program", turn.outcome.calculate))
            events += [SlotSet("facts_program", turn.outcome.calculate), FollowupAction("calculation_form")]
        return events


class ActionCancelCalculation(Action):
    """「キャンセル」 during a calculation: the form is set aside (data/rules.yml)."""

    def name(self) -> str:
        return "action_cancel_calculation"

    def run(self, dispatcher, tracker, domain):
        dispatcher.utter_message(text=dialogue().renderer(language_of(tracker) or "ja").text("cancelled"))
        return []


class ActionRestart(Action):
    """``/restart``: Rasa's own restart (the conversation starts again), answered in words
    rather than silence (Rasa's default says nothing, and the channel then apologises)."""

    def name(self) -> str:
        return "action_restart"

    def run(self, dispatcher, tracker, domain):
        dispatcher.utter_message(text=dialogue().renderer(language_of(tracker) or "ja").text("restarted"))
        return [Restarted()]
