"""A local HTTP server standing in for the LINE Messaging API's reply and push endpoints.

It runs an aiohttp server in its own thread, records every request, and answers the way
the reference says LINE does: 401 without the right bearer token, 400 for a request
outside the documented limits (1–5 messages, texts of 1–5,000 characters, at most 13
quick-reply items, labels of at most 20 characters, action texts of at most 300), 400
"Invalid reply token" for a reply token used twice, or for every reply while
``fail_replies`` is set (as for an expired token).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, List, Optional

from aiohttp import web


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Recorded:
    path: str
    headers: dict
    body: Optional[dict]
    status: int = 200
    problems: List[str] = field(default_factory=list)

    @property
    def texts(self) -> List[str]:
        return [m.get("text", "") for m in (self.body or {}).get("messages", [])]


def problems_with(body: dict, path: str) -> List[str]:
    """What breaks the Messaging API's documented limits in a reply or push request."""
    found = []
    if path.endswith("/reply") and not body.get("replyToken"):
        found.append("replyToken missing")
    if path.endswith("/push") and not body.get("to"):
        found.append("to missing")
    messages = body.get("messages")
    if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
        return found + ["messages must be a list of 1-5 message objects"]
    for index, message in enumerate(messages):
        if message.get("type") == "text" and not 1 <= units(message.get("text") or "") <= 5000:
            found.append(f"messages[{index}].text length must be 1-5000")
        items = (message.get("quickReply") or {}).get("items")
        if items is None:
            continue
        if not 1 <= len(items) <= 13:
            found.append(f"messages[{index}].quickReply.items must be 1-13")
        for item in items:
            action = item.get("action") or {}
            if item.get("type") != "action" or action.get("type") not in {"postback", "message"}:
                found.append("quick reply item must be an action of type postback or message")
            if not 1 <= units(action.get("label") or "") <= 20:
                found.append("action label length must be 1-20")
            for key in ("data", "displayText", "text"):
                if key in action and not 1 <= units(action[key]) <= 300:
                    found.append(f"action {key} length must be 1-300")
            if action.get("type") == "postback" and "displayText" not in action:
                found.append("postback quick reply needs displayText")
    return found


class MessagingApiStandIn:
    """The stand-in server; ``url`` goes into LINE_API_ENDPOINT."""

    def __init__(self, port: int, access_token: str):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.access_token = access_token
        self.fail_replies = False
        self.languages: dict = {}     # user id → the language of their LINE profile
        self._requests: List[Recorded] = []
        self._used_tokens: set = set()
        self._lock = threading.Lock()
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None

    # ── server ────────────────────────────────────────────────────────────────
    async def _handle(self, request: web.Request) -> web.Response:
        raw = await request.read()
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        record = Recorded(request.path, dict(request.headers), body)
        if request.headers.get("Authorization") != f"Bearer {self.access_token}":
            record.status, message = 401, "Authentication failed"
        elif not isinstance(body, dict):
            record.status, message = 400, "The request body is not JSON"
        elif problems_with(body, request.path):
            record.status, message = 400, "The request body has errors"
            record.problems = problems_with(body, request.path)
        elif request.path.endswith("/reply") and (self.fail_replies or body["replyToken"] in self._used_tokens):
            record.status, message = 400, "Invalid reply token"
        else:
            message = ""
            if request.path.endswith("/reply"):
                self._used_tokens.add(body["replyToken"])
        with self._lock:
            self._requests.append(record)
        if record.status != 200:
            return web.json_response({"message": message, "details": record.problems}, status=record.status)
        return web.json_response({"sentMessages": [{"id": str(i)} for i, _ in enumerate(body["messages"])]})

    async def _profile(self, request: web.Request) -> web.Response:
        """GET /v2/bot/profile/{userId}: the profile, with ``language`` only when set."""
        user_id = request.match_info["user_id"]
        record = Recorded(request.path, dict(request.headers), None)
        if request.headers.get("Authorization") != f"Bearer {self.access_token}":
            record.status = 401
        with self._lock:
            self._requests.append(record)
        if record.status != 200:
            return web.json_response({"message": "Authentication failed"}, status=401)
        profile = {"displayName": "テストユーザー", "userId": user_id}
        if user_id in self.languages:
            profile["language"] = self.languages[user_id]
        return web.json_response(profile)

    def start(self) -> "MessagingApiStandIn":
        ready = threading.Event()
        app = web.Application()
        app.router.add_post("/v2/bot/message/reply", self._handle)
        app.router.add_post("/v2/bot/message/push", self._handle)
        app.router.add_get("/v2/bot/profile/{user_id}", self._profile)

        def serve():
            self._loop = asyncio.new_event_loop()
            runner = web.AppRunner(app)
            self._loop.run_until_complete(runner.setup())
            self._loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
            ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(runner.cleanup())
            self._loop.close()

        self._thread = threading.Thread(target=serve, name="line-stand-in", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError(f"the Messaging API stand-in did not start on port {self.port}")
        return self

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    # ── what the tests read ───────────────────────────────────────────────────
    def requests(self, match: Callable[[Recorded], bool] = lambda r: True) -> List[Recorded]:
        with self._lock:
            return [r for r in self._requests if match(r)]

    def wait_for(self, match: Callable[[Recorded], bool], count: int = 1, timeout: float = 60) -> List[Recorded]:
        """The matching requests once there are ``count`` of them (or fail after ``timeout``)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = self.requests(match)
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"expected {count} matching request(s) at the stand-in, got "
                             f"{len(self.requests(match))}; all: {[(r.path, r.status) for r in self.requests()]}")
