"""Conversations as turns, and what each turn came to.

A turn is one user message and what the bot did until the next one: its messages (each
with ``custom.answer``: the kind of answer, the programs, the template key — see
actions/turn.py), the actions run, and the slot events. 👍 / 👎 (actions/feedback.py)
are ``feedback`` slot events naming the rated answer's bot event by its timestamp; they
are joined to the turn holding that answer.

Outcomes (one per turn, the first that applies):

* ``rating``        – a 👍 / 👎 or the comment after one (not a question);
* ``fallback``      – not understood (「読み取れませんでした」, or the second in a row with the phone);
* ``not_stated``    – answered 「資料に記載がない」;
* ``handoff``       – handed to a division (a person asked for, a procedure the document lacks);
* ``asked_back``    – the bot asked which program or a fact of a calculation;
* ``fact``          – answered with what the document says;
* ``small_talk``    – greetings, thanks, out of scope;
* ``other``.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .privacy import hashed, mask

OUTCOMES = {"fact": "事実で回答", "asked_back": "聞き返し", "handoff": "担当課へ案内", "fallback": "理解できず",
            "not_stated": "「記載がない」", "small_talk": "あいさつ等", "rating": "評価・コメント", "other": "その他"}
FACT_KINDS = {"overview", "amount", "calculation", "eligibility", "budget", "contact", "procedure", "discovery",
              "new", "comparison", "period", "change", "definition", "example", "aim", "place", "operator",
              "target", "count"}
SMALL_TALK_KINDS = {"greet", "goodbye", "thank", "identity", "out_of_scope", "affirm", "deny", "stop"}
HANDOFF_KEYS = {"procedure.handoff", "fallback.handoff"}
FLAGS = {"not_understood": "理解できず", "handed_off": "担当課へ案内", "asked_back_twice": "2回続けて聞き返し",
         "thumbs_down": "低評価（違っていた）"}


@dataclass
class BotMessage:
    text: str
    kind: str | None = None
    programs: list[str] = field(default_factory=list)
    key: str | None = None
    timestamp: float | None = None


@dataclass
class Turn:
    conversation: str            # the hashed conversation id
    index: int
    timestamp: float
    channel: str
    text: str                    # masked
    intent: str | None
    payload: bool
    bot: list[BotMessage] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    rating: str | None = None    # 👍 / 👎 given to this turn's answer: up / down
    comment: str | None = None   # masked
    answers_rating: bool = False # the comment (or 「スキップ」) after a 👎
    outcome: str = "other"
    flags: list[str] = field(default_factory=list)

    @property
    def day(self) -> str:
        return datetime.fromtimestamp(self.timestamp, timezone.utc).strftime("%Y-%m-%d")

    @property
    def text_rating(self) -> str | None:
        """up / down when this turn is a 👍 / 👎 button."""
        if self.intent != "feedback":
            return None
        if '"up"' in self.text or "👍" in self.text:
            return "up"
        return "down" if '"down"' in self.text or "👎" in self.text else None

    @property
    def answer(self) -> str:
        return "\n".join(m.text for m in self.bot if m.text)

    @property
    def programs(self) -> list[str]:
        return list(dict.fromkeys(p for m in self.bot if m.kind != "handoff" for p in m.programs))

    @property
    def kind(self) -> str | None:
        return next((m.kind for m in self.bot if m.kind in FACT_KINDS), None)

    @property
    def is_question(self) -> bool:
        return self.outcome not in ("rating", "small_talk")


@dataclass
class Conversation:
    id: str                      # hashed
    channel: str
    turns: list[Turn] = field(default_factory=list)


@functools.lru_cache(maxsize=65536)
def normalized(text: str) -> str:
    """A question's text for grouping: NFKC, lower case, no spaces or punctuation."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(c for c in folded if not unicodedata.category(c).startswith(("P", "Z", "S", "C"))
                   or c in "［］")


def _answer_meta(event: dict) -> dict:
    custom = (event.get("data") or {}).get("custom")
    meta = custom.get("answer") if isinstance(custom, dict) else None
    return meta if isinstance(meta, dict) else {}


def _outcome(turn: Turn) -> str:
    keys = [m.key or "" for m in turn.bot]
    kinds = {m.kind for m in turn.bot}
    if turn.intent == "feedback" or turn.answers_rating:
        return "rating"
    if "unknown" in kinds or "ask.rephrase" in keys or "fallback.handoff" in keys:
        return "fallback"
    if any(k.startswith("not_stated.") or k == "contact.not_stated" for k in keys):
        return "not_stated"
    if set(keys) & HANDOFF_KEYS or turn.intent == "request_human":
        return "handoff"
    if "ask" in kinds or any(k.startswith("ask.") for k in keys) or any(a.startswith("action_ask_")
                                                                        for a in turn.actions):
        return "asked_back"
    if kinds & FACT_KINDS:
        return "fact"
    if kinds & SMALL_TALK_KINDS or turn.intent in SMALL_TALK_KINDS:
        return "small_talk"
    return "other"


def read_conversation(sender_id: str, events: list[dict], channel_filter: str | None = None) -> Conversation | None:
    """A stored conversation as turns (None when it has no message, or none on ``channel_filter``)."""
    conversation = Conversation(hashed(sender_id), "")
    turns: list[Turn] = []
    bot_turn: dict[float, Turn] = {}
    awaiting_comment = False
    for event in events:
        kind = event.get("event")
        if kind == "user":
            text = event.get("text") or ""
            parse = event.get("parse_data") or {}
            channel = event.get("input_channel") or "?"
            turns.append(Turn(conversation.id, len(turns) + 1, float(event.get("timestamp") or 0), channel,
                              mask(text), (parse.get("intent") or {}).get("name"), text.startswith("/")))
        elif not turns:
            continue
        elif kind == "bot":
            meta = _answer_meta(event)
            timestamp = event.get("timestamp")
            turns[-1].bot.append(BotMessage(event.get("text") or "", meta.get("kind"), list(meta.get("programs") or []),
                                            meta.get("key"), timestamp))
            if timestamp is not None:
                bot_turn[timestamp] = turns[-1]
        elif kind == "action":
            turns[-1].actions.append(event.get("name") or "")
        elif kind == "slot" and event.get("name") == "feedback" and isinstance(event.get("value"), dict):
            record = event["value"]
            rated = bot_turn.get(record.get("answer_at"))
            if rated is not None and record.get("rating") in ("up", "down"):
                rated.rating = record["rating"]
                if record.get("comment"):
                    rated.comment = mask(str(record["comment"]))
        elif kind == "slot" and event.get("name") == "feedback_comment_for":
            if event.get("value") is None and awaiting_comment and not any(m.kind for m in turns[-1].bot):
                turns[-1].answers_rating = True   # the comment or 「スキップ」, answered by thanks
            awaiting_comment = event.get("value") is not None
    if not turns:
        return None
    channels = [t.channel for t in turns]
    conversation.channel = max(set(channels), key=channels.count)
    if channel_filter and conversation.channel != channel_filter:
        return None
    previous = None
    for turn in turns:
        turn.outcome = _outcome(turn)
        if turn.outcome == "fallback":
            turn.flags.append("not_understood")
        if turn.outcome == "handoff" or any(m.key == "fallback.handoff" for m in turn.bot):
            turn.flags.append("handed_off")
        if turn.outcome == "asked_back" and previous is not None and previous.outcome == "asked_back":
            turn.flags.append("asked_back_twice")
        if turn.rating == "down":
            turn.flags.append("thumbs_down")
        if turn.outcome != "rating":
            previous = turn
    conversation.turns = turns
    return conversation
