"""The action server's error answers, without the request echoed back.

rasa_sdk 3.6.2 answers any exception in an action with a 500 whose body holds the
exception's message and the whole request (``request_body``: the conversation's tracker,
every message of the user), and Rasa then logs that body. Here the action server answers
``{"error": "action failed", "action_name": …}`` instead, and the log keeps the exception's
type and traceback only (:mod:`ops.log_privacy`). The handler is attached through
rasa_sdk's own plugin hook (``attach_sanic_app_extensions``), which the action server
calls after loading this package; :func:`install` registers it.
"""

from __future__ import annotations

import logging

import pluggy
from sanic import Sanic, response

logger = logging.getLogger(__name__)
hookimpl = pluggy.HookimplMarker("rasa_sdk")


async def answer_error(request, exception: Exception):
    """500 without the request's body or the exception's message."""
    status = getattr(exception, "status_code", 500)
    status = status if isinstance(status, int) and 400 <= status < 600 else 500
    action_name = None
    if status >= 500:
        try:
            body = request.json
            action_name = body.get("next_action") if isinstance(body, dict) else None
        except Exception:  # noqa: BLE001 - the body may be no JSON at all
            action_name = None
        logger.error("action %s failed: %s", action_name if isinstance(action_name, str) else "?",
                     type(exception).__name__, exc_info=exception)
    error = "action failed" if status >= 500 else "bad request"
    body = {"error": error}
    if isinstance(action_name, str) and len(action_name) <= 100:
        body["action_name"] = action_name
    return response.json(body, status=status)


class ErrorAnswers:
    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        app.error_handler.add(Exception, answer_error)


def install() -> None:
    from rasa_sdk.plugin import plugin_manager

    manager = plugin_manager()
    if not any(isinstance(plugin, ErrorAnswers) for plugin in manager.get_plugins()):
        manager.register(ErrorAnswers())
