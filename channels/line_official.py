"""What LINE official accounts show around an answer: the loading animation and read marks.

* **Loading animation** (``POST /v2/bot/chat/loading/start``): for a text message or a
  postback in a one-to-one chat, before the bot works on it. LINE shows it only in
  one-to-one chats, so groups and rooms get none. ``chatId`` is the user's id,
  ``loadingSeconds`` a multiple of 5 from 5 to 60 (``LINE_LOADING_SECONDS``, default 20);
  the animation ends by itself when the answer arrives.
* **Read marks** (``POST /v2/bot/chat/markAsRead``): with ``LINE_MARK_AS_READ=true`` the
  user's message is marked read with the ``markAsReadToken`` of its message event. This
  needs the account's chat feature turned on (LINE marks messages read by itself
  otherwise). Without the setting, or without a token, nothing is sent.

Both calls are courtesies: they wait at most ``COURTESY_TIMEOUT_SECONDS``, and a failure
is logged (path and status, no ids) and never stops the answer.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from typing import Any, Dict, Optional

import aiohttp

logger = logging.getLogger(__name__)

LOADING_PATH = "/v2/bot/chat/loading/start"
MARK_AS_READ_PATH = "/v2/bot/chat/markAsRead"
DEFAULT_LOADING_SECONDS = 20
COURTESY_TIMEOUT_SECONDS = 2.0
TRUE_WORDS = {"1", "true", "yes", "on"}


def loading_seconds(raw: Optional[str] = None) -> int:
    """``LINE_LOADING_SECONDS`` as LINE accepts it (5–60, a multiple of 5); the default
    for an unset or unusable value (said once in the log)."""
    return _loading_seconds(os.environ.get("LINE_LOADING_SECONDS") if raw is None else raw)


@functools.lru_cache(maxsize=8)
def _loading_seconds(raw: Optional[str]) -> int:
    if raw is None or not str(raw).strip():
        return DEFAULT_LOADING_SECONDS
    try:
        value: Optional[int] = int(str(raw).strip())
    except (TypeError, ValueError):
        value = None
    if value is not None and 5 <= value <= 60 and value % 5 == 0:
        return value
    logger.warning("LINE_LOADING_SECONDS must be 5-60 in steps of 5; using %d", DEFAULT_LOADING_SECONDS)
    return DEFAULT_LOADING_SECONDS


def mark_as_read_enabled(raw: Optional[str] = None) -> bool:
    """Whether ``LINE_MARK_AS_READ`` asks for read marks."""
    raw = os.environ.get("LINE_MARK_AS_READ", "") if raw is None else raw
    return str(raw).strip().lower() in TRUE_WORDS


def loading_request(event: Dict[str, Any], seconds: int = DEFAULT_LOADING_SECONDS) -> Optional[Dict[str, Any]]:
    """The loading animation's request body for an event the bot will work on, or None
    (another event, or a group or room chat, where LINE does not show it)."""
    source = event.get("source") if isinstance(event.get("source"), dict) else {}
    if source.get("type") != "user" or event.get("mode") == "standby":
        return None
    message = event.get("message") if isinstance(event.get("message"), dict) else None
    works = (event.get("type") == "message" and message is not None and message.get("type") == "text") \
        or event.get("type") == "postback"
    user_id = source.get("userId")
    if not works or not isinstance(user_id, str) or not user_id:
        return None
    return {"chatId": user_id, "loadingSeconds": seconds}


def mark_as_read_request(event: Dict[str, Any], enabled: bool) -> Optional[Dict[str, Any]]:
    """The read mark's request body for a message event, or None (not enabled, not a
    message, no token)."""
    if not enabled or event.get("type") != "message" or event.get("mode") == "standby":
        return None
    message = event.get("message") if isinstance(event.get("message"), dict) else {}
    token = message.get("markAsReadToken")
    if not isinstance(token, str) or not token.strip():
        return None
    return {"markAsReadToken": token}


async def courtesy_post(client: Any, path: str, body: Dict[str, Any]) -> bool:
    """POST ``body`` to ``path`` with the channel's client, waiting at most
    :data:`COURTESY_TIMEOUT_SECONDS`; True for a 2xx answer."""
    try:
        async with client._client().post(client.api_endpoint + path, json=body,
                                          timeout=aiohttp.ClientTimeout(total=COURTESY_TIMEOUT_SECONDS)) as answer:
            if 200 <= answer.status < 300:
                return True
            logger.info("LINE %s answered %d", path, answer.status)
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        logger.info("LINE %s failed: %s", path, type(error).__name__)
    return False


async def acknowledge(client: Any, event: Dict[str, Any]) -> None:
    """The read mark (when enabled) and the loading animation (one-to-one chats), in that
    order, before the bot works on ``event``."""
    read = mark_as_read_request(event, mark_as_read_enabled())
    if read is not None:
        await courtesy_post(client, MARK_AS_READ_PATH, read)
    loading = loading_request(event, loading_seconds())
    if loading is not None:
        await courtesy_post(client, LOADING_PATH, loading)
