"""👍 / 👎 on the bot's answers: ``action_feedback`` and the comment after a 👎.

* A factual answer (a figure, a rule, a budget, a contact: :data:`FEEDBACK_KINDS`) ends
  with two buttons, ``/feedback{"rating":"up"}`` and ``/feedback{"rating":"down"}``; the
  channels show them as quick replies like any other button.
* ``action_feedback`` (data/rules.yml) records the rating as an ordinary event of the
  conversation in Rasa's tracker store: ``SlotSet("feedback", {...})`` naming the rated
  answer by its bot event's timestamp (``answer_at``), what it was about (``kind``,
  ``programs``) and the rating. ``make review`` (:mod:`review`) reads these events back.
  No other store.
* After 👎 the division's phone is offered and, outside a form, the bot asks once what was
  wrong (``feedback_comment_for`` holds the rated answer until the next message). The next
  typed message is the comment (``SlotSet("feedback", {..., "comment": text})``), thanked;
  when it is also a new question naming a program, it is answered too (nothing is lost);
  a button's payload (「スキップ」 is ``/deny``) skips it and is answered as usual.
* A rating keeps everything else: the program under discussion, the figures, the form (a
  rule runs the form again after the rating, which asks its question again). A rating
  with nothing to rate gets a short thanks and no event.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from knowledge.render import Message, Renderer

from .knowledge_access import dialogue

# What an answer is about (Reply.kind) when it states a fact of the document worth rating.
FEEDBACK_KINDS = frozenset({"amount", "calculation", "eligibility", "budget", "contact", "comparison"})
PAYLOADS = {"up": '/feedback{"rating":"up"}', "down": '/feedback{"rating":"down"}'}
SKIP_PAYLOAD = "/deny"
EMOJI = {"👍": "up", "👎": "down"}


def feedback_buttons(renderer: Renderer) -> list[dict]:
    return [{"title": renderer.text("button.feedback_up"), "payload": PAYLOADS["up"]},
            {"title": renderer.text("button.feedback_down"), "payload": PAYLOADS["down"]}]


def with_feedback(messages: list[Message], renderer: Renderer) -> list[Message]:
    """The messages of one turn, the last one with 👍 / 👎 when the turn states a fact."""
    if not messages or not any((m.meta or {}).get("kind") in FEEDBACK_KINDS for m in messages):
        return messages
    last = messages[-1]
    buttons = [b for b in last.buttons if b.get("payload") not in PAYLOADS.values()]
    return messages[:-1] + [replace(last, buttons=buttons + feedback_buttons(renderer))]   # its card kept


def offers_feedback(event: dict) -> bool:
    buttons = ((event.get("data") or {}).get("buttons") or []) if event.get("event") == "bot" else []
    return any(isinstance(b, dict) and b.get("payload") in PAYLOADS.values() for b in buttons)


def rated_answer(tracker: Tracker) -> dict | None:
    """The latest answer of this session that offered 👍 / 👎 (None at the start)."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "session_started":
            return None
        if offers_feedback(event):
            return event
    return None


def about(tracker: Tracker, answer: dict) -> dict:
    """What the rated turn's factual message is about (the buttons sit on the turn's last
    message, which may be a hand-off footer)."""
    events = list(tracker.events or [])
    index = next((i for i, e in enumerate(events) if e is answer), len(events))
    found = ((answer.get("data") or {}).get("custom") or {}).get("answer") or {}
    for event in reversed(events[:index + 1]):
        if event.get("event") == "user":
            break
        meta = ((event.get("data") or {}).get("custom") or {}).get("answer") if event.get("event") == "bot" else None
        if isinstance(meta, dict) and meta.get("kind") in FEEDBACK_KINDS:
            found = meta
    return found


def rating_of(tracker: Tracker) -> str | None:
    """``up`` / ``down``: the payload's entity, or a typed 👍 / 👎."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "rating" and entity.get("value") in PAYLOADS:
            return entity["value"]
    text = tracker.latest_message.get("text") or ""
    found = {rating for emoji, rating in EMOJI.items() if emoji in text}
    return found.pop() if len(found) == 1 else None


def rated_before(tracker: Tracker, answer_at: float, rating: str) -> bool:
    return any(e.get("event") == "slot" and e.get("name") == "feedback" and isinstance(e.get("value"), dict)
               and e["value"].get("answer_at") == answer_at and e["value"].get("rating") == rating
               for e in tracker.events or [])


def renderer_of(tracker: Tracker) -> Renderer:
    from .turn import language_of  # turn imports this module
    return dialogue(tracker).renderer(language_of(tracker) or "ja")


def contact_line(renderer: Renderer, programs: list) -> str:
    """The division of the rated answer's program, else the general one (source.yml)."""
    kb = renderer.kb or dialogue().kb   # the rated answer's fiscal year's
    for program_id in programs or []:
        program = kb.program(program_id) if isinstance(program_id, str) else None
        if program is not None and program.contact is not None:
            return renderer.contact(program.contact)
    return renderer.contact(kb.general_contact())


class ActionFeedback(Action):
    """Records a 👍 / 👎 (see the module docstring)."""

    def name(self) -> str:
        return "action_feedback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        renderer = renderer_of(tracker)
        rating = rating_of(tracker)
        answer = rated_answer(tracker)
        if rating is None or answer is None:
            dispatcher.utter_message(text=renderer.text("feedback.nothing_to_rate"))
            return []
        meta = about(tracker, answer)
        record = {"rating": rating, "answer_at": answer.get("timestamp"), "kind": meta.get("kind"),
                  "programs": list(meta.get("programs") or [])}
        asked_before = rated_before(tracker, record["answer_at"], "down")
        events: list[EventType] = [SlotSet("feedback", record)]
        if rating == "up":
            dispatcher.utter_message(text=renderer.text("feedback.up"))
            return events + [SlotSet("feedback_comment_for", None)]
        in_form = bool((tracker.active_loop or {}).get("name"))
        ask = not in_form and not asked_before
        dispatcher.utter_message(
            text=renderer.text("feedback.down", contact=contact_line(renderer, record["programs"]), ask=ask),
            buttons=[{"title": renderer.text("button.skip"), "payload": SKIP_PAYLOAD}] if ask else None)
        return events + [SlotSet("feedback_comment_for", record["answer_at"] if ask else None)]


def comment_turn(dispatcher: CollectingDispatcher, tracker: Tracker) -> tuple[str | None, list[EventType]]:
    """The message after 「どこが違っていましたか」: (what it is, events). Typed text is the
    comment, recorded and thanked (``"comment"``: the caller also answers it when it is a
    new question naming a program); 「スキップ」 is thanked (``"skip"``); any other payload
    is answered as usual (``"other"``), with the question closed. None: no question open."""
    answer_at = tracker.get_slot("feedback_comment_for")
    if answer_at is None:
        return None, []
    events: list[EventType] = [SlotSet("feedback_comment_for", None)]
    text = (tracker.latest_message.get("text") or "").strip()
    renderer = renderer_of(tracker)
    if text and not text.startswith("/"):
        record = tracker.get_slot("feedback")
        record = dict(record) if isinstance(record, dict) and record.get("answer_at") == answer_at \
            else {"rating": "down", "answer_at": answer_at}
        events.append(SlotSet("feedback", {**record, "comment": text}))
        dispatcher.utter_message(text=renderer.text("feedback.comment_thanks"))
        return "comment", events
    if text == SKIP_PAYLOAD:
        dispatcher.utter_message(text=renderer.text("feedback.skipped"))
        return "skip", events
    return "other", events


def answers_as_question(turn) -> bool:
    """A comment that is also a new question: it names a program and gets a fact."""
    return bool(turn.outcome.answered and turn.analysis.mentions)
