"""Fixtures for the LINE channel: the Messaging API stand-in, and the trained bot (action
server + Rasa with the REST and LINE channels) pointed at it.

Ports: Rasa LINE_E2E_RASA_PORT (5305), actions LINE_E2E_ACTION_PORT (5355), stand-in
LINE_STAND_IN_PORT (5399). The model is a copy of models/current.tar.gz (trained first if
missing), so retraining during a test session does not disturb the running server.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
import uuid
from pathlib import Path
from typing import List, Optional

import pytest
import requests

from channels.line import signature
from ops.processes import VENV_BIN, base_env, start, stop, wait_for
from tests.e2e.conftest import ensure_model
from tests.line.stand_in import MessagingApiStandIn, Recorded

RASA_PORT = int(os.environ.get("LINE_E2E_RASA_PORT", "5305"))
ACTION_PORT = int(os.environ.get("LINE_E2E_ACTION_PORT", "5355"))
STAND_IN_PORT = int(os.environ.get("LINE_STAND_IN_PORT", "5399"))
RASA_URL = f"http://localhost:{RASA_PORT}"
WEBHOOK_URL = f"{RASA_URL}/webhooks/line/webhook"
CHANNEL_SECRET = "0123456789abcdef0123456789abcdef"
ACCESS_TOKEN = "test-channel-access-token"

# The block proposed for credentials.yml, verbatim.
LINE_CREDENTIALS = """\
channels.line.LineInput:
  channel_secret: "${LINE_CHANNEL_SECRET}"
  access_token: "${LINE_CHANNEL_ACCESS_TOKEN}"
  api_endpoint: "${LINE_API_ENDPOINT}"
"""


@pytest.fixture(scope="session")
def stand_in():
    ensure_free(STAND_IN_PORT)
    server = MessagingApiStandIn(STAND_IN_PORT, ACCESS_TOKEN).start()
    yield server
    server.stop()


@pytest.fixture
def api(stand_in):
    """The stand-in, answering replies normally unless a test says otherwise."""
    stand_in.fail_replies = False
    yield stand_in
    stand_in.fail_replies = False


@pytest.fixture(scope="session")
def credentials_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("line-config") / "credentials.yml"
    path.write_text("channels.resilience.ResilientRestInput:\n" + LINE_CREDENTIALS)
    return path


def model_copy(kb_path, folder: Path) -> Path:
    """A copy of the trained model (trained first, as `make train` does, if missing)."""
    return Path(shutil.copy(ensure_model(kb_path), folder / "model.tar.gz"))


def line_env(kb_path, endpoint: str) -> dict:
    return base_env(kb_path, LINE_CHANNEL_SECRET=CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN=ACCESS_TOKEN,
                    LINE_API_ENDPOINT=endpoint)


@pytest.fixture(scope="session")
def line_bot(stand_in, kb_path, credentials_file, tmp_path_factory):
    """The trained bot with the LINE channel, answering at WEBHOOK_URL."""
    ensure_free(RASA_PORT)
    ensure_free(ACTION_PORT)
    folder = tmp_path_factory.mktemp("line-servers")
    model = model_copy(kb_path, folder)
    endpoints = folder / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://localhost:{ACTION_PORT}/webhook"\n')
    env = line_env(kb_path, stand_in.url)
    actions = start([str(VENV_BIN / "rasa"), "run", "actions", "--port", str(ACTION_PORT)],
                    folder / "actions.log", env)
    rasa = None
    try:
        wait_for(f"http://localhost:{ACTION_PORT}/health", actions, folder / "actions.log")
        rasa = start([str(VENV_BIN / "rasa"), "run", "--model", str(model), "--port", str(RASA_PORT),
                      "--endpoints", str(endpoints), "--credentials", str(credentials_file)],
                     folder / "rasa.log", env)
        wait_for(f"{RASA_URL}/", rasa, folder / "rasa.log")
        # first turn warms the pipeline up, so the tests' turns stay within the reply timeout
        requests.post(f"{RASA_URL}/webhooks/rest/webhook", json={"sender": "warm-up", "message": "こんにちは"},
                      timeout=120)
        yield {"url": WEBHOOK_URL, "log": folder / "rasa.log"}
    finally:
        if rasa is not None:
            stop(rasa)
        stop(actions)


def ensure_free(port: int) -> None:
    """Refuse to run against whatever already listens on a port the tests would use."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise RuntimeError(f"port {port} is already in use; stop that server or choose other ports "
                               "with LINE_E2E_RASA_PORT / LINE_E2E_ACTION_PORT / LINE_STAND_IN_PORT")


def new_id() -> str:
    return uuid.uuid4().hex[:26].upper()


class LineUser:
    """One LINE user (or group) whose events are signed and posted to the webhook."""

    def __init__(self, webhook_url: str, source: Optional[dict] = None):
        self.webhook_url = webhook_url
        self.user_id = "U" + uuid.uuid4().hex
        self.source = source or {"type": "user", "userId": self.user_id}
        self.conversation = self.source.get("groupId") or self.source.get("roomId") or self.user_id
        self.tokens: List[str] = []

    def event(self, kind: str, **fields) -> dict:
        token = uuid.uuid4().hex
        self.tokens.append(token)
        return {"type": kind, "mode": "active", "timestamp": int(time.time() * 1000), "source": self.source,
                "webhookEventId": new_id(), "deliveryContext": {"isRedelivery": False},
                "replyToken": token, **fields}

    def text(self, text: str) -> dict:
        return self.event("message", message={"type": "text", "id": new_id(), "quoteToken": new_id(), "text": text})

    def postback(self, data: str) -> dict:
        return self.event("postback", postback={"data": data})

    @staticmethod
    def body(events: List[dict]) -> bytes:
        return json.dumps({"destination": "Ubot0000", "events": events}, ensure_ascii=False).encode("utf-8")

    def post(self, events: List[dict], secret: str = CHANNEL_SECRET, sign: bool = True,
             body: Optional[bytes] = None, content_type: str = "application/json; charset=utf-8"):
        body = self.body(events) if body is None else body
        headers = {"Content-Type": content_type}
        if sign:
            headers["X-Line-Signature"] = signature(secret, body)
        return requests.post(self.webhook_url, data=body, headers=headers, timeout=10)

    def owns(self, record: Recorded) -> bool:
        """Whether a request at the stand-in is addressed to this user."""
        body = record.body or {}
        return body.get("replyToken") in self.tokens or body.get("to") == self.conversation
