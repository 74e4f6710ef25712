"""Trackers and dispatchers for running the custom actions without servers.

Entities are produced by the same EntityFinder the NLU pipeline uses, so a test's
message text is understood exactly as the bot would understand it.
"""

import asyncio
import inspect
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from knowledge.dialogue import dialogue_for
from nlu.entities import facts_of

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def knowledge_db(kb_path, monkeypatch):
    monkeypatch.setenv("KNOWLEDGE_DB", str(kb_path))


def make_tracker(text="", intent="inform", slots=None, entities=None, events=None, active_loop=None):
    """A tracker whose latest message is ``text`` understood as ``intent``."""
    if entities is None:
        import os
        entities = facts_of(dialogue_for(os.environ["KNOWLEDGE_DB"]).analyser, text)
    all_slots = {name: None for name in DOMAIN["slots"]}
    all_slots["fallback_streak"] = 0
    all_slots.update(slots or {})
    return Tracker(
        sender_id="test",
        slots=all_slots,
        latest_message={"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities},
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop=active_loop or {},
        latest_action_name="action_listen",
    )


def run_action(action, tracker):
    """Run an action (sync or async); returns (messages, events)."""
    dispatcher = CollectingDispatcher()
    result = action.run(dispatcher, tracker, DOMAIN)
    if inspect.isawaitable(result):
        result = asyncio.run(result)
    return dispatcher.messages, result


def texts(messages) -> str:
    """The dispatched messages as the user reads them."""
    return "\n".join(m.get("text") or "" for m in messages)


def slot_events(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
