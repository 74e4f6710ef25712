"""LINE channel: LINE users talk to the bot through the LINE Messaging API.

The protocol is followed directly with aiohttp (LINE's line-bot-sdk v3 needs pydantic 2,
which Rasa 3.6 cannot share). In credentials.yml::

    channels.line.LineInput:
      channel_secret: "${LINE_CHANNEL_SECRET}"
      access_token: "${LINE_CHANNEL_ACCESS_TOKEN}"
      api_endpoint: "${LINE_API_ENDPOINT}"

The values are quoted on purpose: Rasa expands only *unquoted* ``${VAR}`` values and then
refuses to start when a variable is unset. Quoted, they reach this channel as written and
the channel expands them itself, so a bot without LINE settings still starts; its LINE
webhook then answers 503 and sends nothing. A key left out is read from the environment
variable of the same meaning; ``api_endpoint`` defaults to https://api.line.me.

Webhook (``POST /webhooks/line/webhook``):

* ``X-Line-Signature`` must be the base64 HMAC-SHA256 of the raw body under the channel
  secret (compared in constant time): otherwise 401 and nothing is processed. Then a JSON
  body (415 for another content type, 400 for malformed JSON or no ``events`` list).
* The answer is 200 at once; the events are handled in a background task, one request's
  events in order. A ``webhookEventId`` seen in the last 24 hours is skipped, so a
  redelivery is answered once: in Redis, shared by every replica, where ``REDIS_HOST``
  is set (the production profile), else in this process's memory (newest 20,000 ids).
* Text messages and postbacks (``data`` is a Rasa payload such as
  ``/choose_program{"program":"x"}``) go to the bot; follow sends ``/greet`` (the
  domain's greeting with starter buttons); stickers, images and other non-text messages
  get a polite text reply; every other event is ignored. Events in ``standby`` mode are
  not answered. The conversation id is the group's or room's id in a group or room,
  otherwise the user's id; logs show a hash of it and text lengths, never the text.

Before the bot works on an event, channels/line_official.py marks the message read (with
``LINE_MARK_AS_READ=true`` and a ``markAsReadToken``) and, in a one-to-one chat, starts
LINE's loading animation.

Language: for a user's event the user's LINE profile is asked (GET /v2/bot/profile, once
a day per user, at most 1.5 s); its ``language`` goes to the bot as the message's metadata,
which answers in it when the message itself shows no language (a name, a figure, a button).

Replies: all the bot's messages for one event are collected and sent with the reply token
(at most 5 message objects, each text at most 5,000 characters, split at line breaks where
possible); the rest, or everything when the reply call fails (any non-2xx, as with an
expired token), goes by push. Bot buttons become one quick reply on the last message (at
most 13 items, labels at most 20 characters shortened with "…"; a payload starting with
"/" is a postback action, any other a message action that sends the payload as text).
"""

from __future__ import annotations

import asyncio
import base64
import collections
import functools
import hashlib
import hmac
import json
import logging
import os
import time
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Text

import aiohttp
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from channels import limits
from channels.line_flex import card_messages
from channels.line_official import acknowledge
from channels.resilience import LINE_SENDER_PREFIX, guarded, log_id
from knowledge.render import channel_text

logger = logging.getLogger(__name__)

DEFAULT_API_ENDPOINT = "https://api.line.me"
REPLY_PATH = "/v2/bot/message/reply"
PUSH_PATH = "/v2/bot/message/push"
PROFILE_PATH = "/v2/bot/profile"
# The profile is asked once a day per user, and waited for at most this long.
PROFILE_TTL_SECONDS = 24 * 3600
PROFILE_TIMEOUT_SECONDS = 1.5
MAX_REMEMBERED_LANGUAGES = 50_000

# Limits from the Messaging API reference.
MAX_MESSAGES_PER_REQUEST = 5
MAX_TEXT_LENGTH = 5000
MAX_QUICK_REPLY_ITEMS = 13
MAX_LABEL_LENGTH = 20
MAX_ACTION_TEXT_LENGTH = 300  # postback data and displayText, message-action text

MAX_BODY_BYTES = 1024 * 1024
API_TIMEOUT_SECONDS = 10
GREETING_PAYLOAD = "/greet"
NON_TEXT_REPLY = channel_text("non_text")


# ── pure helpers ──────────────────────────────────────────────────────────────

def signature(channel_secret: str, body: bytes) -> str:
    """The ``X-Line-Signature`` LINE computes: base64 of HMAC-SHA256(body, channel secret)."""
    digest = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def valid_signature(channel_secret: str, body: bytes, header: Optional[str]) -> bool:
    """Whether ``header`` is the signature of ``body`` (constant-time comparison)."""
    if not header:
        return False
    return hmac.compare_digest(signature(channel_secret, body).encode("ascii"),
                               header.strip().encode("utf-8", "replace"))


def line_length(text: str) -> int:
    """Length in UTF-16 code units: never less than the characters LINE counts."""
    return len(text.encode("utf-16-le")) // 2


def prefix_within(text: str, limit: int) -> str:
    """The longest prefix of ``text`` whose :func:`line_length` is at most ``limit``."""
    length = 0
    for index, char in enumerate(text):
        length += 2 if ord(char) > 0xFFFF else 1
        if length > limit:
            return text[:index]
    return text


def split_text(text: str, limit: int = MAX_TEXT_LENGTH) -> List[str]:
    """``text`` in pieces of at most ``limit``, cut at the last line break that fits.

    A single line longer than ``limit`` is cut after its last 「。」 that fits, or else at
    the limit. Line breaks at the cuts are dropped, and so are empty pieces.
    """
    pieces: List[str] = []
    rest = text.strip("\n")
    while line_length(rest) > limit:
        head = prefix_within(rest, limit)
        if rest[len(head)] == "\n":
            cut = len(head)
        elif head.rfind("\n") > 0:
            cut = head.rfind("\n")
        elif head.rfind("。") > 0:
            cut = head.rfind("。") + 1
        else:
            cut = max(len(head), 1)
        pieces.append(rest[:cut].rstrip("\n"))
        rest = rest[cut:].lstrip("\n")
    pieces.append(rest)
    return [piece for piece in pieces if piece.strip()]


def shorten(text: str, limit: int = MAX_LABEL_LENGTH) -> str:
    """``text`` if it fits in ``limit``, else its beginning followed by "…"."""
    if line_length(text) <= limit:
        return text
    return prefix_within(text, limit - 1) + "…"


def quick_reply(buttons: Iterable[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """Rasa buttons as a LINE quick reply (None when there is none to show).

    A payload starting with "/" (an intent) becomes a postback action whose data is the
    payload, shown in the chat as the button's full title; any other payload a message
    action that sends the payload as the user's text. The first 13 distinct payloads are
    kept; a payload longer than LINE allows (300 characters) is left out and logged.
    """
    items: List[Dict[str, Any]] = []
    seen = set()
    for button in buttons:
        title = str(button.get("title") or "").strip()
        payload = str(button.get("payload") or title).strip()
        if not payload or payload in seen:
            continue
        if line_length(payload) > MAX_ACTION_TEXT_LENGTH:
            logger.warning("quick reply button left out: payload of %d characters", len(payload))
            continue
        label = shorten(title or payload)
        if payload.startswith("/"):
            action = {"type": "postback", "label": label, "data": payload,
                      "displayText": shorten(title or label, MAX_ACTION_TEXT_LENGTH)}
        else:
            action = {"type": "message", "label": label, "text": payload}
        items.append({"type": "action", "action": action})
        seen.add(payload)
        if len(items) == MAX_QUICK_REPLY_ITEMS:
            break
    return {"items": items} if items else None


def pack(messages: List[Dict[str, Any]], limit: int = MAX_TEXT_LENGTH,
         count: int = MAX_MESSAGES_PER_REQUEST) -> List[Dict[str, Any]]:
    """Fewer messages when there are more than ``count``: neighbouring texts joined with a
    blank line as long as the joined text fits in ``limit`` (pushes are counted by LINE,
    replies are not)."""
    if len(messages) <= count:
        return messages
    packed: List[Dict[str, Any]] = []
    for message in messages:
        last = packed[-1] if packed else None
        if (last is not None and last["type"] == message["type"] == "text"
                and line_length(last["text"]) + 2 + line_length(message["text"]) <= limit):
            packed[-1] = {"type": "text", "text": f"{last['text']}\n\n{message['text']}"}
        else:
            packed.append(dict(message))
    return packed


def to_line_messages(bot_messages: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The bot's messages of one turn as LINE message objects, buttons as one quick reply
    on the last message (LINE shows a quick reply only on the latest message)."""
    messages: List[Dict[str, Any]] = []
    buttons: List[Dict[str, Any]] = []
    for bot_message in bot_messages:
        text = bot_message.get("text")
        cards = card_messages(text, bot_message.get("custom"))
        if cards:  # an answer about one program, a list of programs: cards (channels/line_flex.py)
            messages.extend(cards)
        elif isinstance(text, str):
            messages.extend({"type": "text", "text": piece} for piece in split_text(text))
        image = bot_message.get("image")
        if isinstance(image, str) and image.startswith("https://"):
            messages.append({"type": "image", "originalContentUrl": image, "previewImageUrl": image})
        elif isinstance(image, str) and image:
            messages.append({"type": "text", "text": prefix_within(image, MAX_TEXT_LENGTH)})
        buttons.extend(b for b in bot_message.get("buttons") or [] if isinstance(b, dict))
    messages = pack(messages)
    reply_buttons = quick_reply(buttons)
    if reply_buttons:
        if not messages:
            messages.append({"type": "text", "text": channel_text("choose_prompt")})
        messages[-1]["quickReply"] = reply_buttons
    return messages


def conversation_id(source: Any) -> Optional[str]:
    """The conversation an event belongs to: the group or room, else the user."""
    if not isinstance(source, dict):
        return None
    kind = source.get("type")
    key = {"group": "groupId", "room": "roomId"}.get(kind, "userId")
    value = source.get(key)
    return value if isinstance(value, str) and value else None


def setting(credentials: Dict[str, Any], key: str, variable: str) -> Optional[str]:
    """A credentials value with ``${VAR}`` expanded (or, when the key is absent, the
    environment variable ``variable``); None when it is empty or names an unset variable."""
    raw = credentials.get(key)
    value = os.environ.get(variable, "") if raw is None else os.path.expandvars(str(raw))
    value = value.strip()
    if not value or "${" in value or value.startswith("$"):
        return None
    return value


class RecentIds:
    """Webhook event ids seen lately: at most ``size`` ids, each forgotten after ``ttl``
    seconds. In memory, so per process: replicas do not share it."""

    def __init__(self, size: int = 20_000, ttl: float = 24 * 3600,
                 clock: Callable[[], float] = time.monotonic):
        self.size, self.ttl, self.clock = size, ttl, clock
        self._seen: "collections.OrderedDict[str, float]" = collections.OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    def seen_before(self, event_id: Any) -> bool:
        """True for an id already seen (and still remembered); else remembers it."""
        if not isinstance(event_id, str) or not event_id:
            return False
        now = self.clock()
        while self._seen and next(iter(self._seen.values())) <= now - self.ttl:
            self._seen.popitem(last=False)
        if event_id in self._seen:
            return True
        self._seen[event_id] = now
        while len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return False


class SharedRecentIds:
    """Webhook event ids seen lately by any replica, in Redis (the production profile's
    lock store): ``SET key NX EX ttl`` remembers an id and tells whether it was new, in one
    step, so two replicas given the same redelivery answer it once. If Redis cannot be
    reached, this process's own memory decides (an event may then be answered twice, never
    lost)."""

    PREFIX = "kanagawa-sanro:line-event:"

    def __init__(self, client, ttl: int = 24 * 3600, local: Optional[RecentIds] = None):
        self.client, self.ttl = client, ttl
        self.local = local or RecentIds(ttl=ttl)

    @classmethod
    def from_environment(cls, local: Optional[RecentIds] = None) -> Optional["SharedRecentIds"]:
        """From REDIS_HOST, REDIS_PORT, REDIS_PASSWORD, REDIS_DB (endpoints.production.yml's);
        None when REDIS_HOST is unset or empty (the embedded profile)."""
        host = (os.environ.get("REDIS_HOST") or "").strip()
        if not host:
            return None
        import redis.asyncio

        client = redis.asyncio.Redis(host=host, port=int(os.environ.get("REDIS_PORT") or 6379),
                                     password=os.environ.get("REDIS_PASSWORD") or None,
                                     db=int(os.environ.get("REDIS_DB") or 0),
                                     socket_timeout=0.5, socket_connect_timeout=0.5)
        return cls(client, local=local)

    async def seen_before(self, event_id: Any) -> bool:
        if not isinstance(event_id, str) or not event_id:
            return False
        try:
            stored = await self.client.set(self.PREFIX + event_id, b"1", nx=True, ex=self.ttl)
        except Exception as error:  # noqa: BLE001 - Redis down: de-duplicate in this process
            logger.warning("LINE de-duplication without Redis (%s)", type(error).__name__)
            return self.local.seen_before(event_id)
        self.local.seen_before(event_id)
        return not stored

    async def close(self) -> None:
        await self.client.close()


# ── sending ───────────────────────────────────────────────────────────────────

class LineCollectingOutputChannel(CollectingOutputChannel):
    """Collects the bot's messages of one turn, each text whole (Rasa's collector cuts
    texts at blank lines, which would make one LINE speech bubble per paragraph)."""

    @classmethod
    def name(cls) -> Text:
        return "line"

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._persist_message(self._message(recipient_id, text=text))

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        """A text sent with card parts (``custom.card`` or ``custom.cards``, see
        channels/line_flex.py) is kept as one message with them, so the cards replace that
        text; the rest as Rasa does."""
        custom = message.get("custom")
        if isinstance(message.get("text"), str) and isinstance(custom, dict) and (custom.get("card")
                                                                                  or custom.get("cards")):
            await self._persist_message(self._message(recipient_id, text=message["text"],
                                                      buttons=message.get("buttons"), custom=custom))
            return
        await super().send_response(recipient_id, message)

    # A turn that ends after its event was answered (the busy reply: channels.resilience.guarded)
    # has its answer pushed: ``deliver`` is set by the channel, ``answered`` once the first
    # messages have gone out, ``delivered`` counts the messages sent so far.
    deliver: Optional[Callable[[List[Dict[str, Any]]], Awaitable[Any]]] = None
    delivered = 0
    answered: Optional[asyncio.Event] = None

    async def late_answer(self) -> None:
        if self.answered is not None:
            try:   # the reply first (bounded: the API's timeout, twice)
                await asyncio.wait_for(self.answered.wait(), 2 * API_TIMEOUT_SECONDS)
            except asyncio.TimeoutError:
                logger.warning("LINE late answer sent without waiting for its reply")
        late = self.messages[self.delivered:]
        self.delivered = len(self.messages)
        if late and self.deliver is not None:
            await self.deliver(to_line_messages(late))


class LineClient:
    """Sends message objects through the Messaging API: with the reply token first, by
    push for what does not fit in the reply or when the reply fails."""

    def __init__(self, access_token: Optional[str], api_endpoint: str = DEFAULT_API_ENDPOINT,
                 timeout: float = API_TIMEOUT_SECONDS):
        self.access_token = access_token or ""
        self.api_endpoint = api_endpoint.rstrip("/")
        self.timeout = timeout
        self._session: Optional[aiohttp.ClientSession] = None
        self._session_loop: Optional[asyncio.AbstractEventLoop] = None
        self._languages: Dict[str, tuple] = {}   # user id → (profile language, until)

    def _client(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._session_loop is not loop:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                headers={"Authorization": f"Bearer {self.access_token}"})
            self._session_loop = loop
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def post(self, path: str, body: Dict[str, Any]) -> bool:
        """POST ``body`` to the Messaging API; True for a 2xx answer."""
        try:
            async with self._client().post(self.api_endpoint + path, json=body) as answer:
                if 200 <= answer.status < 300:
                    return True
                detail = (await answer.text())[:200]
                logger.warning("LINE %s answered %d: %s", path, answer.status, detail)
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.warning("LINE %s failed: %s", path, type(error).__name__)
        return False

    async def profile_language(self, user_id: str) -> Optional[str]:
        """The user's language from their LINE profile (a BCP 47 tag, given only when they
        have agreed to LINE's privacy policy), remembered for a day; None when not given or
        the API does not answer in time (the message's own language decides then)."""
        cached = self._languages.get(user_id)
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        language = None
        try:
            async with self._client().get(f"{self.api_endpoint}{PROFILE_PATH}/{user_id}",
                                          timeout=aiohttp.ClientTimeout(total=PROFILE_TIMEOUT_SECONDS)) as answer:
                if answer.status == 200:
                    body = await answer.json(content_type=None)
                    tag = body.get("language") if isinstance(body, dict) else None
                    language = tag if isinstance(tag, str) and tag else None
                else:
                    logger.info("LINE profile of %s: %d", log_id(user_id), answer.status)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            logger.info("LINE profile of %s failed: %s", log_id(user_id), type(error).__name__)
        if len(self._languages) > MAX_REMEMBERED_LANGUAGES:
            self._languages.clear()
        self._languages[user_id] = (language, time.monotonic() + PROFILE_TTL_SECONDS)
        return language

    async def deliver(self, to: str, reply_token: Optional[str], messages: List[Dict[str, Any]]) -> bool:
        """Send ``messages`` to ``to``: the first 5 as the reply, the rest by push (all by
        push when there is no reply token or the reply fails). True if all were sent."""
        batches = [messages[i:i + MAX_MESSAGES_PER_REQUEST]
                   for i in range(0, len(messages), MAX_MESSAGES_PER_REQUEST)]
        if not batches:
            return True
        if reply_token and await self.post(REPLY_PATH, {"replyToken": reply_token, "messages": batches[0]}):
            batches = batches[1:]
        elif reply_token:
            logger.info("reply to %s failed; sending by push", log_id(to))
        delivered = True
        for batch in batches:
            if not await self.post(PUSH_PATH, {"to": to, "messages": batch}):
                logger.error("push of %d messages to %s failed", len(batch), log_id(to))
                delivered = False
        return delivered


# ── the input channel ─────────────────────────────────────────────────────────

class LineInput(InputChannel):
    """Rasa input channel for the LINE Messaging API at ``/webhooks/line/webhook``."""

    @classmethod
    def name(cls) -> Text:
        return "line"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "LineInput":
        credentials = credentials if isinstance(credentials, dict) else {}
        return cls(setting(credentials, "channel_secret", "LINE_CHANNEL_SECRET"),
                   setting(credentials, "access_token", "LINE_CHANNEL_ACCESS_TOKEN"),
                   setting(credentials, "api_endpoint", "LINE_API_ENDPOINT") or DEFAULT_API_ENDPOINT)

    def __init__(self, channel_secret: Optional[str], access_token: Optional[str],
                 api_endpoint: str = DEFAULT_API_ENDPOINT):
        self.channel_secret = channel_secret
        self.configured = bool(channel_secret and access_token)
        self.client = LineClient(access_token, api_endpoint)
        self.recent = RecentIds()
        # shared between replicas where Redis is configured (production profile); this
        # process's memory stays the fallback
        self.shared_recent = SharedRecentIds.from_environment(local=self.recent)
        self._tasks: set = set()
        if not self.configured:
            logger.warning("LINE channel not configured (LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN "
                           "are needed): /webhooks/line/webhook answers 503")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)
        handle = guarded(on_new_message)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request):
            return response.json({"status": "ok" if self.configured else "not configured"})

        limits.attach(webhook)

        @webhook.route("/webhook", methods=["POST"])
        @limits.max_body(MAX_BODY_BYTES)
        async def receive(request: Request):
            return await self.accept(request.body or b"", request.headers.get("x-line-signature"),
                                     request.headers.get("content-type") or "", handle)

        @webhook.listener("after_server_stop")
        async def close_client(app, loop):
            await self.client.close()
            if self.shared_recent is not None:
                await self.shared_recent.close()

        return webhook

    async def accept(self, body: bytes, signature_header: Optional[str], content_type: str,
               handle: Callable[[UserMessage], Awaitable[Any]]):
        """Check one webhook request and start handling its new events in the background."""
        if not self.configured:
            return response.json({"error": "the LINE channel is not configured"}, status=503)
        if len(body) > MAX_BODY_BYTES:
            return response.json({"error": "request body too large"}, status=413)
        if not valid_signature(self.channel_secret, body, signature_header):
            logger.warning("LINE webhook refused: %s signature", "wrong" if signature_header else "no")
            return response.json({"error": "invalid signature"}, status=401)
        if "application/json" not in content_type.lower():
            return response.json({"error": "Content-Type must be application/json"}, status=415)
        try:
            payload = limits.nested_within_limit(json.loads(body))
        except limits.BadJson as error:
            return response.json({"error": str(error)}, status=400)
        except (ValueError, RecursionError):   # RecursionError: nested too deep to parse
            return response.json({"error": "the body is not JSON"}, status=400)
        events = payload.get("events") if isinstance(payload, dict) else None
        if not isinstance(events, list):
            return response.json({"error": "the body must be an object with an 'events' list"}, status=400)
        new = [event for event in events if isinstance(event, dict) and not await self.seen_before(event)]
        if len(new) < len(events):
            logger.info("LINE webhook: %d of %d events skipped (seen before or malformed)",
                        len(events) - len(new), len(events))
        if new:
            task = asyncio.ensure_future(self.process(new, handle))
            self._tasks.add(task)  # a reference, so the task is not collected before it ends
            task.add_done_callback(self._tasks.discard)
        return response.json({"status": "ok"})

    async def seen_before(self, event: Dict[str, Any]) -> bool:
        event_id = event.get("webhookEventId")
        if self.shared_recent is not None:
            return await self.shared_recent.seen_before(event_id)
        return self.recent.seen_before(event_id)

    async def process(self, events: List[Dict[str, Any]], handle: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """Handle the events of one webhook request, in order; one failing does not stop the rest."""
        for event in events:
            try:
                await self.handle_event(event, handle)
            except Exception:  # noqa: BLE001 - logged; the next event still gets its answer
                logger.exception("LINE %s event failed", event.get("type"))

    async def handle_event(self, event: Dict[str, Any], handle: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """Answer one webhook event (see the module docstring for which and how)."""
        kind = event.get("type")
        recipient = conversation_id(event.get("source"))
        if recipient is None or event.get("mode") == "standby":
            logger.info("LINE %s event not answered (%s)", kind, "standby mode" if recipient else "no source")
            return
        await acknowledge(self.client, event)  # read mark, loading animation (channels/line_official.py)
        reply_token = event.get("replyToken") if isinstance(event.get("replyToken"), str) else None
        message = event.get("message") if isinstance(event.get("message"), dict) else {}
        postback = event.get("postback") if isinstance(event.get("postback"), dict) else {}
        if kind == "message" and message.get("type") != "text":
            logger.info("LINE %s message from %s: text-only notice", message.get("type"), log_id(recipient))
            await self.client.deliver(recipient, reply_token, [{"type": "text", "text": NON_TEXT_REPLY}])
            return
        inputs = {"message": message.get("text"), "postback": postback.get("data"), "follow": GREETING_PAYLOAD}
        if kind not in inputs:
            logger.info("LINE %s event ignored", kind)
            return
        text = inputs[kind] if isinstance(inputs[kind], str) else ""
        logger.info("LINE %s from %s: %d characters", kind, log_id(recipient), len(text))
        collector = LineCollectingOutputChannel()
        collector.answered = asyncio.Event()
        collector.deliver = functools.partial(self.client.deliver, recipient, None)
        metadata = {"line_event": kind, "line_source": event["source"].get("type")}
        if event["source"].get("type") == "user":
            # the answer's language where the message does not show one: the user's LINE setting
            language = await self.client.profile_language(recipient)
            if language:
                metadata["language"] = language
        await handle(UserMessage(text, collector, LINE_SENDER_PREFIX + recipient, input_channel=self.name(),
                                 metadata=metadata))
        collector.delivered = len(collector.messages)
        messages = to_line_messages(collector.messages)
        logger.info("LINE answer to %s: %d messages", log_id(recipient), len(messages))
        try:
            await self.client.deliver(recipient, reply_token, messages)
        finally:
            collector.answered.set()   # a late answer may follow (pushed)
