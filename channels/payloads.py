"""Rasa's ``/intent{json}`` shortcut only for the payloads the bot itself offered.

Rasa reads any message that starts with ``/`` as an intent with entities and skips the
NLU pipeline (``RegexMessageHandler``), so a user could type
``/ask_amount{"program":{"x":1}}`` and hand the actions values of any type. Here a message
starting with ``/`` is read as an intent only when

* it is the payload of a button the bot offered in this conversation (the ``buttons`` of
  the bot's messages since the conversation last restarted, from the conversation's own
  tracker, read under Rasa's lock for that conversation), or
* it is one of :data:`SAFE_PAYLOADS`: a greeting (LINE's follow event sends ``/greet``),
  ``/restart``, and the 👍/👎 feedback ``/feedback{"rating":"up"|"down"}``.

Otherwise the leading slashes are removed and the rest goes to the NLU pipeline as
ordinary text (what the user typed is kept, minus the slashes, and understood, or not,
like any message). :func:`install` wraps ``MessageProcessor.parse_message``, where Rasa
parses a message with the conversation's tracker at hand; importing the ``channels``
package installs it, so it applies to every channel (REST, socket.io, LINE).
"""

from __future__ import annotations

import functools
import json
import logging
import re
import unicodedata
from typing import Any, Iterable, Optional

from rasa.core.processor import MessageProcessor

logger = logging.getLogger(__name__)

PREFIX = "/"
# intent → the entity sets that may come with it ({} = none)
SAFE_PAYLOADS: dict[str, list[dict]] = {
    "greet": [{}],
    "restart": [{}],
    "feedback": [{"rating": "up"}, {"rating": "down"}],
}
_PAYLOAD = re.compile(r"/(?P<intent>[A-Za-z_][A-Za-z0-9_]*)(?P<entities>\{.*\})?", re.ASCII | re.DOTALL)
# how far back in a conversation offered buttons are looked for
MAX_EVENTS_SCANNED = 2000


def payload_key(text: str) -> Optional[tuple]:
    """A payload as (intent, entities as canonical JSON), so that the same payload written
    with other spacing or key order is recognised; None if it is not a plain payload."""
    found = _PAYLOAD.fullmatch(unicodedata.normalize("NFKC", text.strip()))
    if not found:
        return None
    entities: Any = {}
    if found.group("entities"):
        try:
            entities = json.loads(found.group("entities"))
        except ValueError:
            return None
        if not isinstance(entities, dict):
            return None
    return found.group("intent"), json.dumps(entities, sort_keys=True, ensure_ascii=False)


@functools.lru_cache(maxsize=1)
def safe_keys() -> frozenset:
    return frozenset((intent, json.dumps(entities, sort_keys=True, ensure_ascii=False))
                     for intent, allowed in SAFE_PAYLOADS.items() for entities in allowed)


def offered_payloads(events: Iterable[Any]) -> set:
    """The keys of the button payloads of the bot's messages, newest first, back to the
    conversation's last restart (events as Rasa's Event objects or their dicts)."""
    keys: set = set()
    for count, event in enumerate(reversed(list(events))):
        if count >= MAX_EVENTS_SCANNED:
            break
        data = event.as_dict() if hasattr(event, "as_dict") else event
        if not isinstance(data, dict):
            continue
        if data.get("event") == "restart":
            break
        if data.get("event") != "bot":
            continue
        message = data.get("data") or {}
        cards = ((message.get("custom") or {}).get("cards") or {}) if isinstance(message.get("custom"), dict) else {}
        # a LINE carousel's 詳しく見る postbacks are offered too (custom.cards, channels/line_flex.py)
        carousel = [{"payload": item.get("payload")} for item in (cards.get("items") or [])
                    if isinstance(cards, dict) and isinstance(item, dict)]
        for button in (message.get("buttons") or []) + carousel:
            payload = button.get("payload") if isinstance(button, dict) else None
            if isinstance(payload, str) and payload.startswith(PREFIX):
                key = payload_key(payload)
                if key:
                    keys.add(key)
    return keys


def is_allowed(text: str, events: Iterable[Any] = ()) -> bool:
    """Whether a message starting with ``/`` may be read as Rasa's intent shortcut."""
    key = payload_key(text)
    if key is None:
        return False
    return key in safe_keys() or key in offered_payloads(events)


def as_text(text: str) -> str:
    """A message read as text: without its leading slashes."""
    return text.lstrip().lstrip("/／").strip()


def gate(text: Any, events: Iterable[Any] = ()) -> Any:
    """The message text as Rasa should parse it (unchanged unless it is a slash command
    the bot did not offer)."""
    if not isinstance(text, str) or not text.lstrip().startswith(PREFIX):
        return text
    if is_allowed(text, events):
        return text
    logger.info("payload not offered in this conversation: read as text (%d characters)", len(text))
    return as_text(text)


def install() -> None:
    original = MessageProcessor.parse_message
    if getattr(original, "_payload_gate", False):
        return

    @functools.wraps(original)
    async def parse_message(self, message, tracker=None, only_output_properties=True):
        message.text = gate(message.text, tracker.events if tracker is not None else ())
        return await original(self, message, tracker, only_output_properties)

    parse_message._payload_gate = True
    MessageProcessor.parse_message = parse_message
