"""One conversation, many messages at once: its turns run one at a time, in arrival order.

Rasa takes a ticket lock per conversation for every turn (``rasa.core.lock_store``): a
turn waits, polling once a second, behind the turns of the same conversation that came
before it, and a ticket expires after ``TICKET_LOCK_LIFETIME`` (60 s). Under a flood (a
busy LINE group, a double-clicking user, 100 REST requests at once) the later tickets
expired while waiting: the turn raised ``LockError`` in a background task nobody awaited,
and the message was lost.

:class:`Conversations` queues the turns of each conversation in this process instead
(FIFO, an ``asyncio.Lock`` per conversation, which wakes its waiters in order), so a turn
asks Rasa for its lock only when the turns before it in this process are done: within one
process Rasa's lock is never contended, and nothing waits on a ticket's lifetime. Across
replicas (the production profile's Redis lock store) Rasa's lock still orders the turns of
a conversation that reach different replicas; each replica then holds at most one waiting
ticket per conversation, never a queue of them.

A conversation holds at most ``BOT_MAX_QUEUED_TURNS`` (default 100) turns, the running one
included; a message beyond that is not taken (the caller is told so, see
:func:`channels.resilience.guarded`), so a flood cannot grow this process's memory
without bound. What a turn raises is retrieved and logged with the conversation's hash,
never the text.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import os
import time
from typing import Any, Awaitable, Callable, Dict, List, Optional

logger = logging.getLogger(__name__)

MAX_QUEUED_TURNS = int(os.environ.get("BOT_MAX_QUEUED_TURNS", "100"))


class Turn:
    """One queued turn: ``result`` is its task; ``waited`` whether another turn of the same
    conversation was queued or running when it arrived; ``started`` is set when it runs."""

    def __init__(self, result: "asyncio.Task", waited: bool, started: asyncio.Event):
        self.result, self.waited, self.started = result, waited, started


class Conversations:
    """Per-conversation FIFO queues of turns in this process."""

    def __init__(self, max_queued: int = MAX_QUEUED_TURNS):
        self.max_queued = max_queued
        self._queues: Dict[str, list] = {}   # conversation id → [asyncio.Lock, turns queued or running]

    def queued(self, conversation_id: str) -> int:
        entry = self._queues.get(conversation_id)
        return entry[1] if entry else 0

    def __len__(self) -> int:
        return len(self._queues)

    def submit(self, conversation_id: str, run: Callable[[], Awaitable[Any]],
               log_id: Callable[[str], str] = lambda s: s) -> Optional[Turn]:
        """Queue ``run()`` behind the conversation's earlier turns; None when the
        conversation already holds ``max_queued`` turns."""
        entry = self._queues.get(conversation_id)
        if entry is None:
            entry = self._queues[conversation_id] = [asyncio.Lock(), 0]
        if entry[1] >= self.max_queued:
            return None
        waited = entry[1] > 0
        entry[1] += 1
        started = asyncio.Event()

        async def in_turn():
            async with entry[0]:
                started.set()
                return await run()

        task = asyncio.ensure_future(in_turn())

        def finished(done: "asyncio.Task") -> None:
            entry[1] -= 1
            if entry[1] == 0 and self._queues.get(conversation_id) is entry:
                del self._queues[conversation_id]
            if done.cancelled():
                logger.warning("turn of %s cancelled", log_id(conversation_id))
            elif done.exception() is not None:   # retrieved here, so asyncio never reports it unretrieved
                error = done.exception()
                logger.error("turn of %s failed: %s", log_id(conversation_id), type(error).__name__)

        task.add_done_callback(finished)
        return Turn(task, waited, started)


class LateAnswers:
    """Answers that came after their REST caller was answered (with the busy reply): kept
    for the conversation's next REST request, which gets them first. REST cannot send them
    otherwise. Bounded: ``max_conversations`` (oldest dropped first), ``max_messages`` each,
    kept ``ttl`` seconds; per process, so with several replicas only the next request that
    reaches the same replica gets them."""

    def __init__(self, max_conversations: int = 10_000, max_messages: int = 50, ttl: float = 3600,
                 clock: Callable[[], float] = time.monotonic):
        self.max_conversations, self.max_messages, self.ttl, self.clock = max_conversations, max_messages, ttl, clock
        self._kept: "collections.OrderedDict[str, tuple]" = collections.OrderedDict()

    def __len__(self) -> int:
        return len(self._kept)

    def keep(self, conversation_id: str, messages: List[Dict[str, Any]]) -> None:
        if not messages:
            return
        kept = self._kept.pop(conversation_id, (0.0, []))[1]
        self._kept[conversation_id] = (self.clock(), (kept + list(messages))[-self.max_messages:])
        while len(self._kept) > self.max_conversations:
            self._kept.popitem(last=False)

    def take(self, conversation_id: str) -> List[Dict[str, Any]]:
        kept_at, messages = self._kept.pop(conversation_id, (0.0, []))
        return messages if messages and kept_at > self.clock() - self.ttl else []
