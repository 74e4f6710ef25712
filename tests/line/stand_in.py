"""A local HTTP server standing in for the LINE Messaging API's reply and push endpoints.

It runs an aiohttp server in its own thread, records every request, and answers the way
the reference says LINE does: 401 without the right bearer token, 400 for a request
outside the documented limits (1–5 messages, texts of 1–5,000 characters, at most 13
quick-reply items, labels of at most 20 characters, action texts of at most 300), 400
"Invalid reply token" for a reply token used twice, or for every reply while
``fail_replies`` is set (as for an expired token). Flex messages are checked against the
documented limits too (tests/line/flex_schema.py).

It also stands in for what official accounts use (each recorded, in arrival order):
the loading animation (``/v2/bot/chat/loading/start``: 400 for a ``chatId`` that is not a
user's or ``loadingSeconds`` outside 5–60 in steps of 5), read marks
(``/v2/bot/chat/markAsRead``: 400 without ``markAsReadToken``), and rich menus — create
(400 for a menu LINE would refuse), upload the image (the data endpoint's path: 400
unless PNG or JPEG of exactly the menu's size, at most 1 MB), set the default, get the
default, delete.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, List, Optional

from aiohttp import web

from tests.line.flex_schema import flex_problems, flex_text


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Recorded:
    path: str
    headers: dict
    body: Optional[dict]
    status: int = 200
    problems: List[str] = field(default_factory=list)
    raw: bytes = b""
    method: str = "POST"

    @property
    def texts(self) -> List[str]:
        """What each message shows: a text's text, a card's texts (header, body, footer, a
        button's label) one per line."""
        return [flex_text(m.get("contents")) if m.get("type") == "flex" else m.get("text", "")
                for m in (self.body or {}).get("messages", [])]

    @property
    def flex(self) -> List[dict]:
        return [m for m in (self.body or {}).get("messages", []) if m.get("type") == "flex"]


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
        if message.get("type") == "flex":
            found += [f"messages[{index}]: {problem}" for problem in flex_problems(message)]
        elif message.get("type") not in ("text", "image"):
            found.append(f"messages[{index}].type {message.get('type')!r} not used by the bot")
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


RICH_MENU_SIZES = {(2500, 1686), (2500, 843)}
RICH_MENU_ACTIONS = {"message": "text", "postback": "data", "uri": "uri"}


def rich_menu_problems(menu: Optional[dict]) -> List[str]:
    """What LINE would refuse in a rich menu object (the reference's limits)."""
    if not isinstance(menu, dict):
        return ["body must be a rich menu object"]
    found = []
    size = menu.get("size") or {}
    width, height = size.get("width"), size.get("height")
    if (width, height) not in RICH_MENU_SIZES:
        found.append("size must be 2500x1686 or 2500x843")
    if not isinstance(menu.get("selected"), bool):
        found.append("selected must be true or false")
    if not (isinstance(menu.get("name"), str) and 1 <= units(menu["name"]) <= 300):
        found.append("name must be 1-300 characters")
    if not (isinstance(menu.get("chatBarText"), str) and 1 <= units(menu["chatBarText"]) <= 14):
        found.append("chatBarText must be 1-14 characters")
    areas = menu.get("areas")
    if not isinstance(areas, list) or not 1 <= len(areas) <= 20:
        return found + ["areas must be a list of 1-20 areas"]
    for index, area in enumerate(areas):
        bounds = (area or {}).get("bounds") or {}
        x, y, w, h = (bounds.get(k) for k in ("x", "y", "width", "height"))
        if not all(isinstance(v, int) for v in (x, y, w, h)) or x < 0 or y < 0 or w < 1 or h < 1 \
                or (isinstance(width, int) and x + w > width) or (isinstance(height, int) and y + h > height):
            found.append(f"areas[{index}].bounds must lie within the menu")
        action = (area or {}).get("action") or {}
        key = RICH_MENU_ACTIONS.get(action.get("type"))
        if key is None or not (isinstance(action.get(key), str) and 1 <= units(action[key]) <= 300):
            found.append(f"areas[{index}].action must be message, postback or uri with its {key or 'value'}")
        if "label" in action and not (isinstance(action["label"], str) and 1 <= units(action["label"]) <= 20):
            found.append(f"areas[{index}].action.label must be 1-20 characters")
    return found


def image_problems(content_type: str, raw: bytes, size: dict) -> List[str]:
    """What LINE would refuse in a rich menu image: PNG or JPEG, at most 1 MB, the menu's size."""
    import io

    from PIL import Image

    if content_type not in ("image/png", "image/jpeg"):
        return ["Content-Type must be image/png or image/jpeg"]
    if len(raw) > 1024 * 1024:
        return ["the image is larger than 1 MB"]
    try:
        image = Image.open(io.BytesIO(raw))
    except Exception:  # noqa: BLE001 - anything Pillow cannot read is not an image
        return ["the body is not an image"]
    found = []
    if {"image/png": "PNG", "image/jpeg": "JPEG"}[content_type] != image.format:
        found.append("the image's format does not match its Content-Type")
    if image.size != (size.get("width"), size.get("height")):
        found.append(f"the image is {image.size[0]}x{image.size[1]}, the menu {size.get('width')}x{size.get('height')}")
    return found


class MessagingApiStandIn:
    """The stand-in server; ``url`` goes into LINE_API_ENDPOINT."""

    def __init__(self, port: int, access_token: str):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.access_token = access_token
        self.fail_replies = False
        self.languages: dict = {}     # user id → the language of their LINE profile
        self.rich_menus: dict = {}    # rich menu id → {"menu": object, "image": bytes or None}
        self.default_rich_menu: Optional[str] = None
        self.fail_rich_menu_uploads = False   # every image upload answered 400 while set
        self._menus_made = 0
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

    # ── what official accounts use ────────────────────────────────────────────
    async def _record(self, request: web.Request, check: Callable[[Optional[dict]], List[str]]) -> Recorded:
        """Record a request; status 401 without the token, 400 with the problems ``check`` finds."""
        raw = await request.read()
        try:
            body = json.loads(raw) if raw and request.content_type == "application/json" else None
        except ValueError:
            body = None
        record = Recorded(request.path, dict(request.headers), body, raw=raw, method=request.method)
        if request.headers.get("Authorization") != f"Bearer {self.access_token}":
            record.status = 401
        else:
            record.problems = check(body)
            record.status = 400 if record.problems else 200
        with self._lock:
            self._requests.append(record)
        return record

    @staticmethod
    def _answer(record: Recorded, body: Optional[dict] = None, status: int = 200) -> web.Response:
        if record.status == 401:
            return web.json_response({"message": "Authentication failed"}, status=401)
        if record.status == 400:
            return web.json_response({"message": "The request body has errors", "details": record.problems},
                                     status=400)
        return web.json_response(body or {}, status=status)

    async def _loading(self, request: web.Request) -> web.Response:
        def check(body):
            if not isinstance(body, dict):
                return ["body must be JSON"]
            found = []
            if not (isinstance(body.get("chatId"), str) and body["chatId"].startswith("U")):
                found.append("chatId must be a user id (one-to-one chats only)")
            seconds = body.get("loadingSeconds", 20)
            if not (isinstance(seconds, int) and 5 <= seconds <= 60 and seconds % 5 == 0):
                found.append("loadingSeconds must be 5-60 in steps of 5")
            return found
        record = await self._record(request, check)
        return self._answer(record, status=202)

    async def _mark_as_read(self, request: web.Request) -> web.Response:
        record = await self._record(request, lambda body: [] if isinstance(body, dict) and isinstance(
            body.get("markAsReadToken"), str) and body["markAsReadToken"] else ["markAsReadToken is required"])
        return self._answer(record)

    async def _create_rich_menu(self, request: web.Request) -> web.Response:
        record = await self._record(request, rich_menu_problems)
        if record.status != 200:
            return self._answer(record)
        self._menus_made += 1
        menu_id = f"richmenu-{self._menus_made:032x}"
        self.rich_menus[menu_id] = {"menu": record.body, "image": None}
        return self._answer(record, {"richMenuId": menu_id})

    async def _rich_menu_image(self, request: web.Request) -> web.Response:
        menu = self.rich_menus.get(request.match_info["menu_id"])

        def check(_body):
            if self.fail_rich_menu_uploads:
                return ["the upload failed (stand-in told to fail)"]
            if menu is None:
                return ["no such rich menu"]
            if menu["image"] is not None:
                return ["an image was already uploaded for this rich menu"]
            return image_problems(request.content_type, raw, menu["menu"]["size"])
        raw = await request.read()
        record = await self._record(request, check)
        if record.status == 200:
            menu["image"] = raw
        return self._answer(record)

    async def _set_default_rich_menu(self, request: web.Request) -> web.Response:
        menu_id = request.match_info["menu_id"]
        menu = self.rich_menus.get(menu_id)
        record = await self._record(request, lambda _body: [] if menu is not None and menu["image"] is not None
                                    else ["no such rich menu, or it has no image"])
        if record.status == 200:
            self.default_rich_menu = menu_id
        return self._answer(record)

    async def _get_default_rich_menu(self, request: web.Request) -> web.Response:
        record = await self._record(request, lambda _body: [])
        if record.status == 200 and self.default_rich_menu is None:
            return web.json_response({"message": "no default rich menu"}, status=404)
        return self._answer(record, {"richMenuId": self.default_rich_menu})

    async def _delete_rich_menu(self, request: web.Request) -> web.Response:
        menu_id = request.match_info["menu_id"]
        record = await self._record(request, lambda _body: [] if menu_id in self.rich_menus
                                    else ["no such rich menu"])
        if record.status == 200:
            del self.rich_menus[menu_id]
            if self.default_rich_menu == menu_id:
                self.default_rich_menu = None
        return self._answer(record)

    def start(self) -> "MessagingApiStandIn":
        ready = threading.Event()
        app = web.Application()
        app.router.add_post("/v2/bot/message/reply", self._handle)
        app.router.add_post("/v2/bot/message/push", self._handle)
        app.router.add_get("/v2/bot/profile/{user_id}", self._profile)
        app.router.add_post("/v2/bot/chat/loading/start", self._loading)
        app.router.add_post("/v2/bot/chat/markAsRead", self._mark_as_read)
        app.router.add_post("/v2/bot/richmenu", self._create_rich_menu)
        app.router.add_post("/v2/bot/richmenu/{menu_id}/content", self._rich_menu_image)
        app.router.add_post("/v2/bot/user/all/richmenu/{menu_id}", self._set_default_rich_menu)
        app.router.add_get("/v2/bot/user/all/richmenu", self._get_default_rich_menu)
        app.router.add_delete("/v2/bot/richmenu/{menu_id}", self._delete_rich_menu)

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
