"""Limits before work, for every route of the Rasa server (issue 15).

* **Body size:** ``BOT_MAX_BODY_BYTES`` (default 64 KiB) for every route; a route may
  raise it for itself with :func:`max_body` (the LINE webhook: 1 MiB, as LINE's own
  limit). Sanic compares a request's ``Content-Length`` with the limit before it reads the
  body, and a chunked body as it arrives: a bigger request gets 413 and is never read,
  parsed or stored. Sanic's own default is 100 MB (Rasa 3.6 does not change it).
  Websocket frames and socket.io packets have the same limit (``WEBSOCKET_MAX_SIZE``,
  engine.io's ``max_http_buffer_size``).
* **Body read timeout:** a body must arrive within ``BOT_BODY_TIMEOUT_SECONDS`` (default
  10 s) of its headers, else 408 and the connection is closed. Sanic's own timeouts
  restart with every byte received, so a body sent one byte every few seconds held a
  connection for ever.
* **JSON:** :func:`load_json` refuses nesting deeper than ``MAX_JSON_DEPTH`` (32) as bad
  input (``BadJson``: the channel answers 400), including the ``RecursionError`` the
  parser raises for very deep input.
* **Metadata:** :func:`user_metadata` keeps of a REST or socket.io message's metadata only
  what the bot reads (``language``: a short language tag); everything else is dropped and
  never reaches the tracker store.

:func:`attach` installs the server-wide parts (size, timeout) from a channel's blueprint,
because Rasa builds its Sanic app itself (``rasa.core.run.configure_app``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
from typing import Any, Callable, Dict, Optional

from sanic import Blueprint
from sanic.exceptions import RequestTimeout
from sanic.http import Stage

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = int(os.environ.get("BOT_MAX_BODY_BYTES", str(64 * 1024)))
BODY_TIMEOUT_SECONDS = float(os.environ.get("BOT_BODY_TIMEOUT_SECONDS", "10"))
HEADER_TIMEOUT_SECONDS = 10
MAX_JSON_DEPTH = 32
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$")
MAX_LANGUAGE_TAG = 35

_attached_apps: set = set()


class BadJson(ValueError):
    """A body that is not JSON, or JSON nested deeper than allowed."""


def depth(value: Any) -> int:
    """How deeply lists and objects nest in ``value`` (iteratively: no recursion limit)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item if isinstance(child, (dict, list)))
    return deepest


def load_json(body: bytes | str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``body`` parsed, or :class:`BadJson` for malformed or too deeply nested JSON."""
    try:
        value = json.loads(body)
    except RecursionError:
        raise BadJson(f"JSON nested deeper than {max_depth} levels") from None
    except ValueError:
        raise BadJson("the body is not JSON") from None
    return nested_within_limit(value, max_depth)


def nested_within_limit(value: Any, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``value``, or :class:`BadJson` if it is nested deeper than ``max_depth``."""
    if depth(value) > max_depth:
        raise BadJson(f"JSON nested deeper than {max_depth} levels")
    return value


def user_metadata(metadata: Any) -> Optional[Dict[str, str]]:
    """Of the metadata a REST or socket.io client sent, what the bot uses: ``language``
    (a language tag such as ``ja`` or ``en-US``). Anything else is dropped."""
    if not isinstance(metadata, dict):
        return None
    language = metadata.get("language")
    kept = {}
    if isinstance(language, str) and len(language) <= MAX_LANGUAGE_TAG and LANGUAGE_TAG.match(language):
        kept["language"] = language
    if len(metadata) > len(kept):
        logger.debug("metadata: %d keys dropped", len(metadata) - len(kept))
    return kept or None


def max_body(limit: int) -> Callable:
    """Decorator for a route handler whose requests may be bigger than the default."""

    def mark(handler: Callable) -> Callable:
        handler.max_body_bytes = limit
        return handler

    return mark


def _expire_body(stream, request) -> None:
    """Close a connection whose request body has not fully arrived in time (408)."""
    if stream.request is not request or not stream.request_body or stream.stage is not Stage.HANDLER:
        return
    logger.info("request body not received in %.0f s: connection closed", BODY_TIMEOUT_SECONDS)
    stream.exception = RequestTimeout("Request body not received in time")
    stream.keep_alive = False
    stream.request_body = None   # Sanic would otherwise read the rest of the body before closing
    protocol = stream.protocol
    task = getattr(protocol, "_task", None)
    if task is not None:
        task.cancel()   # as Sanic's own timeouts do: the 408 is written, then the connection closed
    # and closed for sure, whatever the handler does with the cancellation
    asyncio.get_running_loop().call_later(2, protocol.close)


async def _before_body(request, route=None, kwargs=None, handler=None, **_: Any) -> None:
    """Sanic's ``http.routing.after`` signal: after routing, before the body is read."""
    stream = request.stream
    if stream is None or not stream.request_body:
        return
    stream.request_max_size = getattr(handler, "max_body_bytes", None) or \
        getattr(getattr(route, "handler", None), "max_body_bytes", None) or MAX_BODY_BYTES
    asyncio.get_running_loop().call_later(BODY_TIMEOUT_SECONDS, _expire_body, stream, request)


def attach(blueprint: Blueprint) -> None:
    """Install the limits on the app ``blueprint`` is registered with (once per app)."""

    @blueprint.listener("before_server_start")
    async def configure(app, loop):
        if id(app) in _attached_apps:
            return
        _attached_apps.add(id(app))
        app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
        app.config.REQUEST_TIMEOUT = HEADER_TIMEOUT_SECONDS
        app.config.WEBSOCKET_MAX_SIZE = MAX_BODY_BYTES

    # a handler of its own per blueprint (Sanic keeps a signal's conditions on its handler)
    @blueprint.signal("http.routing.after")
    async def limit_body(**context: Any) -> None:
        await _signal_once(**context)


async def _signal_once(request, route=None, kwargs=None, handler=None, **rest: Any) -> None:
    # several channels attach the same handler; it acts once per request
    if getattr(request.ctx, "body_limits", False):
        return
    request.ctx.body_limits = True
    await _before_body(request, route, kwargs, handler)
