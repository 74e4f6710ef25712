"""What every channel does before and after the bot: bounds, clean input, no silence.

* A message is cleaned (control and zero-width characters removed) and bounded
  (``BOT_MAX_MESSAGE_CHARS``, default 2,000): an empty or overlong message gets a clear
  answer without reaching the NLU pipeline.
* The bot has ``BOT_REPLY_TIMEOUT_SECONDS`` (default 8) to answer. If it fails, times out
  (the action server is down or slow) or says nothing, the user gets an apology with a
  division's phone number from the knowledge base — never silence. A slow turn keeps
  running in the background (shielded), so the conversation's tracker stays whole and
  continues once the action server is back.
* The turns of one conversation run one at a time, in arrival order (:mod:`channels.serial`).
  A caller that waited behind earlier turns and is not answered in time gets the busy reply
  (「前のご質問にお答えしています…」) instead of the apology; its answer follows where the
  channel can send it later (LINE push, socket.io emit; REST: first in the sender's next
  response).
* Limits before work (:mod:`channels.limits`): request body size and read time, JSON
  nesting, metadata; a message's length is checked raw, cleaned and after NFKC.

:class:`ResilientRestInput` (``channels.resilience.ResilientRestInput`` in
credentials.yml, same URL as Rasa's ``rest``) also validates the request itself:
malformed JSON, a wrong content type, a missing or odd sender id get a 4xx.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import os
import re
import unicodedata
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request

from channels import limits
from channels.serial import Conversations, LateAnswers
from knowledge.analysis import language_of
from knowledge.render import Renderer, channel_text

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = int(os.environ.get("BOT_MAX_MESSAGE_CHARS", "2000"))
REPLY_TIMEOUT_SECONDS = float(os.environ.get("BOT_REPLY_TIMEOUT_SECONDS", "8"))
MAX_SENDER_CHARS = 128
# Rasa's conversation ids of LINE users, groups and rooms begin with this (channels/line.py);
# REST and socket.io refuse it, so nobody can continue a LINE user's conversation.
LINE_SENDER_PREFIX = "line:"
# matched in full (fullmatch: no trailing newline) and ASCII only (no K U+212A, ı or ſ for k, i, s)
SENDER_PATTERN = re.compile(rf"(?!{LINE_SENDER_PREFIX})[A-Za-z0-9_.:@+\-]{{1,{MAX_SENDER_CHARS}}}",
                            re.IGNORECASE | re.ASCII)
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")

EMPTY_REPLY = channel_text("empty_message")


def language(message: UserMessage, text: str) -> str:
    """The language to answer a message the bot itself cannot answer in: the channel's
    choice (metadata), else the message's own, else Japanese."""
    chosen = (message.metadata or {}).get("language") if isinstance(message.metadata, dict) else None
    if isinstance(chosen, str) and chosen[:2].lower() in ("ja", "en"):
        return chosen[:2].lower()
    return language_of(text) or "ja"


def too_long_reply(language: str = "ja") -> str:
    return channel_text("too_long", language, limit=f"{MAX_MESSAGE_CHARS:,}")


@functools.lru_cache(maxsize=4)
def apology(language: str = "ja") -> str:
    """The answer when the bot cannot answer: an apology and a division to call."""
    try:
        from knowledge.kb import KnowledgeBase

        kb = KnowledgeBase()
        return Renderer(kb, language).text("apology", contact=kb.general_contact())
    except Exception:  # noqa: BLE001 - the apology must be sent even if the knowledge base is unreadable
        logger.exception("no general contact for the apology")
        return channel_text("apology", language)


def clean(text: Any) -> str:
    """The message without control and zero-width characters (line breaks kept)."""
    if not isinstance(text, str):
        return ""
    text = _INVISIBLE.sub("", text)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C").strip()


def log_id(sender_id: str) -> str:
    """A short hash standing for a sender in logs (logs hold no user text or ids)."""
    return hashlib.sha256(sender_id.encode("utf-8", "replace")).hexdigest()[:12]


def is_json_media_type(content_type: Optional[str]) -> bool:
    """Whether a Content-Type header names exactly the JSON media type (parameters such as
    ``charset`` allowed): ``text/plain; x=application/json`` is not JSON."""
    return (content_type or "").split(";", 1)[0].strip().lower() == "application/json"


class CountingOutputChannel(OutputChannel):
    """Passes messages through to another channel, counting them."""

    def __init__(self, inner: OutputChannel):
        self.inner = inner
        self.sent = 0

    @classmethod
    def name(cls) -> Text:
        return "counting"

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        self.sent += 1
        await self.inner.send_text_message(recipient_id, text, **kwargs)


def guarded(on_new_message: Callable[[UserMessage], Awaitable[Any]],
            timeout: float | None = None) -> Callable[[UserMessage], Awaitable[None]]:
    """``on_new_message`` with the bounds, cleaning and no-silence rule of this module, the
    turns of each conversation queued one at a time (:mod:`channels.serial`)."""

    async def handle(message: UserMessage) -> None:
        output = message.output_channel
        raw = message.text if isinstance(message.text, str) else ""
        if too_long(raw):
            logger.info("message from %s refused: %d characters", log_id(message.sender_id), len(raw))
            await output.send_text_message(message.sender_id, too_long_reply(language(message, raw[:500])))
            return
        text = clean(message.text)
        if not text:
            await output.send_text_message(message.sender_id, channel_text("empty_message", language(message, text)))
            return
        message.text = text
        counting = CountingOutputChannel(output)
        message.output_channel = counting
        turn = CONVERSATIONS.submit(message.sender_id, functools.partial(on_new_message, message), log_id)
        if turn is None:
            logger.warning("message from %s refused: %d turns queued", log_id(message.sender_id),
                           CONVERSATIONS.queued(message.sender_id))
            await output.send_text_message(message.sender_id, channel_text("too_many", language(message, text)))
            return
        limit = timeout or REPLY_TIMEOUT_SECONDS
        timed_out = False
        try:
            # shielded: a slow turn finishes in the background and its events are kept
            await asyncio.wait_for(asyncio.shield(turn.result), limit)
        except asyncio.TimeoutError:
            timed_out = True
            # waiting behind the conversation's earlier turns is no fault; a turn of its own this slow is
            logger.log(logging.INFO if turn.waited else logging.ERROR, "turn of %s not answered in %.0f s (%s)",
                       log_id(message.sender_id), limit, "waiting behind earlier turns" if turn.waited else "running")
        except Exception:  # noqa: BLE001 - any failure becomes the apology, logged (channels.serial)
            pass
        promised = False
        if counting.sent == 0:
            if timed_out and (turn.waited or not turn.started.is_set()):
                promised = True   # the answer follows where the channel can send it later
                await output.send_text_message(message.sender_id, channel_text("busy", language(message, text)))
            else:
                await output.send_text_message(message.sender_id, apology(language(message, text)))
        if timed_out:
            late = asyncio.ensure_future(deliver_late(message, output, counting, turn, promised))
            _LATE.add(late)
            late.add_done_callback(_LATE.discard)

    return handle


# ── one conversation, many messages (issue 15) ───────────────────────────────

CONVERSATIONS = Conversations()
_LATE: set = set()   # references to the late deliveries, so none is collected before it ends
# Beyond this many characters a message is refused before any per-character work.
MAX_RAW_CHARS = 4 * MAX_MESSAGE_CHARS


def too_long(raw: str) -> bool:
    """Whether a message is over the limit: its raw length first (no per-character work on
    a huge text), then its length cleaned and after NFKC (U+FDFA alone becomes 18 characters)."""
    if len(raw) > MAX_RAW_CHARS:
        return True
    text = clean(raw)
    return len(text) > MAX_MESSAGE_CHARS or len(unicodedata.normalize("NFKC", text)) > MAX_MESSAGE_CHARS


async def deliver_late(message: UserMessage, output: OutputChannel, counting: "CountingOutputChannel",
                       turn, promised: bool) -> None:
    """After a turn that ended after its caller was answered (busy reply or apology): the
    apology if the busy reply promised an answer and none came, then the channel's own late
    delivery (``output.late_answer()``: LINE pushes; socket.io has emitted as it went)."""
    sent_before = counting.sent
    try:
        await asyncio.wait({turn.result})
        failed = turn.result.cancelled() or turn.result.exception() is not None
        if promised and counting.sent == sent_before == 0:
            logger.info("late turn of %s %s without an answer: apology sent", log_id(message.sender_id),
                        "failed" if failed else "ended")
            await output.send_text_message(message.sender_id, apology(language(message, message.text or "")))
        late_answer = getattr(output, "late_answer", None)
        if late_answer is not None:
            await late_answer()
        elif counting.sent > sent_before:
            logger.info("late answer to %s: %d messages after its caller was answered", log_id(message.sender_id),
                        counting.sent - sent_before)
    except Exception:  # noqa: BLE001 - logged without user text
        logger.error("late delivery to %s failed", log_id(message.sender_id))


LATE_REST_ANSWERS = LateAnswers()


class RestCollectingOutputChannel(CollectingOutputChannel):
    """Rasa's REST collector; what the bot says after the caller was answered (a turn that
    waited behind others: the caller got the busy reply) is kept for the sender's next
    request (:class:`channels.serial.LateAnswers`)."""

    def __init__(self, sender_id: str):
        super().__init__()
        self.sender_id = sender_id
        self.answered: Optional[int] = None

    async def late_answer(self) -> None:
        if self.answered is not None:
            LATE_REST_ANSWERS.keep(self.sender_id, self.messages[self.answered:])
            self.answered = len(self.messages)


class ResilientRestInput(InputChannel):
    """Rasa's REST channel (same URL, same answer format) with request validation."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "ResilientRestInput":
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)
        handle = guarded(on_new_message)
        limits.attach(webhook)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request):
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request):
            if not is_json_media_type(request.headers.get("content-type")):
                return response.json({"error": "Content-Type must be application/json"}, status=415)
            try:
                body = limits.load_json(request.body or b"")
            except limits.BadJson as error:
                return response.json({"error": str(error)}, status=400)
            if not isinstance(body, dict):
                return response.json({"error": "the body must be a JSON object"}, status=400)
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not SENDER_PATTERN.fullmatch(sender):
                return response.json({"error": "'sender' must be 1–128 characters of A–Z a–z 0–9 _ . : @ + -, "
                                      f"not starting with '{LINE_SENDER_PREFIX}'"},
                                     status=400)
            if text is not None and not isinstance(text, str):
                return response.json({"error": "'message' must be a string"}, status=400)
            metadata = limits.user_metadata(body.get("metadata"))
            collector = RestCollectingOutputChannel(sender)
            await handle(UserMessage(text or "", collector, sender, input_channel=self.name(), metadata=metadata))
            collector.answered = len(collector.messages)
            # answers that came late for this sender's earlier messages first (issue 15)
            return response.json(LATE_REST_ANSWERS.take(sender) + collector.messages)

        return webhook


def allowed_origins() -> list[str]:
    """Origins allowed to open the socket.io channel: ``BOT_CORS_ORIGINS`` (comma-separated)."""
    configured = os.environ.get("BOT_CORS_ORIGINS", "http://localhost:8000,http://127.0.0.1:8000")
    return [origin.strip() for origin in configured.split(",") if origin.strip()]


class SocketIOOutputWithCustom(SocketIOOutput):
    """Rasa's socket.io output, with custom JSON (each answer's ``custom.answer`` metadata)
    sent as a message's data. Rasa 3.6.21 passes the JSON's keys to ``AsyncServer.emit`` as
    arguments, so any custom message fails the whole turn (TypeError) and it is not stored."""

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class ResilientSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel with the same bounds and no-silence rule, and the origins
    that may connect limited to ``BOT_CORS_ORIGINS`` (Rasa's own allows every origin).

    With ``session_persistence: true`` (credentials.yml) a browser keeps its conversation
    across reloads and reconnections: on every connection it asks for its session id again,
    its socket joins that session's room, and the bot's answers are sent to the room. Rasa
    3.6.21 does not await python-socketio 5.x's ``enter_room`` coroutine, so the socket
    never joins and every answer is lost (RasaHQ/rasa#13027); the session request is
    handled here instead. A session id must look like a REST sender id (else a new one is
    given), a socket is in one session at a time, and a message counts only for the
    session its socket joined.
    """

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        handle = guarded(on_new_message)
        blueprint = super().blueprint(handle)
        sio = blueprint.ctx.sio
        sio.eio.cors_allowed_origins = allowed_origins()
        sio.eio.max_http_buffer_size = limits.MAX_BODY_BYTES
        limits.attach(blueprint)
        if not self.session_persistence:
            return blueprint

        async def session_request(sid: Text, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            valid = isinstance(requested, str) and SENDER_PATTERN.fullmatch(requested)
            session_id = requested if valid else uuid.uuid4().hex
            for room in sio.rooms(sid, namespace=self.namespace):
                if room != sid:
                    await sio.leave_room(sid, room, namespace=self.namespace)
            await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        async def user_uttered(sid: Text, data: Any) -> None:
            session_id = data.get("session_id") if isinstance(data, dict) else None
            if (not isinstance(session_id, str) or session_id == sid
                    or session_id not in sio.rooms(sid, namespace=self.namespace)):
                logger.info("socket.io message refused: no session_request for its session_id")
                return
            message = UserMessage(data.get("message") or "", SocketIOOutputWithCustom(sio, self.bot_message_evt),
                                  session_id, input_channel=self.name(),
                                  metadata=limits.user_metadata(data.get(self.metadata_key)))
            await handle(message)

        sio.on("session_request", session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, user_uttered, namespace=self.namespace)
        return blueprint
