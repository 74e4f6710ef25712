"""Rasa's socket.io channel as the widget uses it (credentials.yml: session_persistence),
spoken with python-socketio's own client: answers reach the session's room, a new socket
with the same session id continues the conversation, and what is not the widget's
protocol is refused."""

import asyncio
import re
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import socketio

pytestmark = pytest.mark.slow

QUESTION = "生産性向上の補助金の上限は？"


def run(coroutine):
    """Runs `coroutine` in its own thread and event loop (Playwright's sync API may hold
    this thread's loop)."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(asyncio.run, coroutine).result()


class Socket:
    """One socket.io connection to Rasa, with what it received."""

    def __init__(self):
        self.client = socketio.AsyncClient(reconnection=False)
        self.confirmed: asyncio.Queue = asyncio.Queue()
        self.answers: asyncio.Queue = asyncio.Queue()
        self.client.on("session_confirm", self.confirmed.put)
        self.client.on("bot_uttered", self.answers.put)

    async def connect(self, url: str, origin: str) -> "Socket":
        # long-polling: python-engineio's websocket client needs a newer aiohttp than Rasa pins
        await self.client.connect(url, transports=["polling"], headers={"Origin": origin},
                                  socketio_path="/socket.io", wait_timeout=10)
        return self

    async def session(self, session_id) -> str:
        await self.client.emit("session_request", {"session_id": session_id})
        return await asyncio.wait_for(self.confirmed.get(), 10)

    async def say(self, session_id: str, text: str) -> None:
        await self.client.emit("user_uttered", {"message": text, "session_id": session_id})

    async def answer_containing(self, expected: str, timeout: float = 30) -> str:
        """The text of the first answer containing `expected`."""
        async def first():
            while True:
                message = await self.answers.get()
                if expected in (message.get("text") or ""):
                    return message["text"]
        return await asyncio.wait_for(first(), timeout)

    async def close(self) -> None:
        # engine.io's close packet, without waiting up to 25 s for the pending long-poll
        await self.client.eio.disconnect(abort=True)


@pytest.fixture
def origin(web_origins) -> str:
    return web_origins.split(",")[0]


def test_answers_reach_the_socket_of_the_session(rasa_url, origin):
    async def scenario():
        socket = await Socket().connect(rasa_url, origin)
        session = f"web-{uuid.uuid4().hex}"
        confirmed = await socket.session(session)
        await socket.say(session, QUESTION)
        text = await socket.answer_containing("500万円")
        await socket.close()
        return confirmed, session, text

    confirmed, session, text = run(scenario())
    assert confirmed == session
    assert "中小企業生産性向上促進事業費補助" in text


def test_a_new_socket_with_the_same_session_continues_the_conversation(rasa_url, origin):
    async def scenario():
        session = f"web-{uuid.uuid4().hex}"
        first = await Socket().connect(rasa_url, origin)
        await first.session(session)
        await first.say(session, QUESTION)
        await first.answer_containing("500万円")
        await first.close()
        second = await Socket().connect(rasa_url, origin)
        await second.session(session)
        await second.say(session, "問い合わせ先は？")
        text = await second.answer_containing("045-210-5550")
        await second.close()
        return text

    assert "中小企業生産性向上促進事業費補助" in run(scenario())


@pytest.mark.parametrize("requested", [None, "", "../../etc", "a" * 200, "セッション", 42, ["x"],
                                       "abc\n", "\u212aelvin", "\u0131d", "\u017fession"])
def test_a_session_id_that_is_not_a_plain_sender_id_is_replaced(rasa_url, origin, requested):
    async def scenario():
        socket = await Socket().connect(rasa_url, origin)
        confirmed = await socket.session(requested)
        await socket.close()
        return confirmed

    assert re.fullmatch(r"[0-9a-f]{32}", run(scenario()))


def test_a_socket_cannot_speak_in_a_session_it_did_not_join(rasa_url, origin):
    async def scenario():
        owner, intruder = Socket(), Socket()
        await owner.connect(rasa_url, origin)
        await intruder.connect(rasa_url, origin)
        victim = await owner.session(f"web-{uuid.uuid4().hex}")
        await intruder.session(f"web-{uuid.uuid4().hex}")
        await intruder.say(victim, QUESTION)
        await asyncio.sleep(3)
        received = owner.answers.qsize() + intruder.answers.qsize()
        # the owner's own question still gets its answer
        await owner.say(victim, QUESTION)
        text = await owner.answer_containing("500万円")
        await owner.close()
        await intruder.close()
        return received, text

    received, text = run(scenario())
    assert received == 0
    assert "中小企業生産性向上促進事業費補助" in text


def test_a_page_from_another_origin_cannot_connect(rasa_url):
    async def scenario():
        await Socket().connect(rasa_url, "http://attacker.example")

    with pytest.raises(socketio.exceptions.ConnectionError):
        run(scenario())


@pytest.mark.parametrize("which", [0, 1])
def test_http_cors_allows_each_configured_origin(rasa_url, web_origins, which):
    allowed = web_origins.split(",")[which]
    response = requests.options(f"{rasa_url}/webhooks/rest/webhook", timeout=10, headers={
        "Origin": allowed, "Access-Control-Request-Method": "POST"})
    assert response.headers.get("Access-Control-Allow-Origin") == allowed


def test_http_cors_refuses_other_origins(rasa_url):
    response = requests.options(f"{rasa_url}/webhooks/rest/webhook", timeout=10, headers={
        "Origin": "http://attacker.example", "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in response.headers
