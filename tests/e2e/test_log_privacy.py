"""No user text in any log above DEBUG (SECURITY.md, "Logs"), on every error path the
servers have: a user's message with a marker, a name and a phone number goes through a
normal turn, then the action server answers 500 echoing the request (as rasa_sdk 3.6.2 did),
drops the connection, is down; odd payloads, malformed JSON, oversized and refused
messages, a failing action called directly, and odd requests to the page server. Every
log (Rasa, the action server, the page server) is then searched for the user's words.

Rasa reaches the real action server through a stand-in on loopback that can forward,
answer 500, drop the connection or stop listening."""

import json
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from ops.processes import free_port, start, start_actions, start_rasa, stop, wait_for

from .conftest import server_env

pytestmark = pytest.mark.slow

MARKER = f"mk{uuid.uuid4().hex[:12]}"
PHONE = "045-987-6543"
NAME = "秘密山田花子"
SENDER = f"{MARKER}-sender"
MESSAGE = f"{MARKER} 私は{NAME}です。電話は{PHONE}、生産性向上の補助金の上限は？"
NEEDLES = [MARKER, "987-6543", "9876543", NAME, "山田花子"]
API_TOKEN = uuid.uuid4().hex


class ActionStandIn:
    """Between Rasa and the real action server: ``forward``, ``fail`` (500 with the request
    echoed), ``drop`` (connection closed without an answer); :meth:`close` stops it."""

    def __init__(self, target: str):
        self.mode = "forward"
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if stand_in.mode == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return
                if stand_in.mode == "fail":
                    status, answer = 500, json.dumps({"error": "boom", "request_body": json.loads(body)}).encode()
                else:
                    forwarded = requests.post(target, data=body, headers={"Content-Type": "application/json"},
                                              timeout=60)
                    status, answer = forwarded.status_code, forwarded.content
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def servers(trained_model, kb_path, tmp_path_factory):
    logs = tmp_path_factory.mktemp("privacy_logs")
    env = server_env(kb_path)
    action_port = free_port()
    actions = start_actions(action_port, logs / "actions.log", env)
    stand_in = ActionStandIn(f"http://127.0.0.1:{action_port}/webhook")
    endpoints = logs / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{stand_in.port}/webhook"\n')
    rasa_port, page_port = free_port(), free_port()
    # with Rasa's HTTP API on (and a token), as RASA_API_TOKEN does in scripts/run.sh
    rasa = start_rasa(trained_model, rasa_port, endpoints, logs / "rasa.log", env,
                      extra=["--enable-api", "--auth-token", API_TOKEN])
    page = start([sys.executable, "-m", "web.serve", "--port", str(page_port), "--rasa-port", str(rasa_port)],
                 logs / "page.log", env)
    wait_for(f"http://127.0.0.1:{page_port}/", page, logs / "page.log", timeout=60)
    yield {"rasa": f"http://127.0.0.1:{rasa_port}", "actions": f"http://127.0.0.1:{action_port}",
           "page": f"http://127.0.0.1:{page_port}", "stand_in": stand_in, "logs": logs,
           "processes": (rasa, actions, page)}
    for process in (rasa, actions, page):
        stop(process)
    stand_in.close()


def say(rasa: str, message, sender: str = SENDER, **kwargs) -> requests.Response:
    return requests.post(f"{rasa}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                         timeout=90, **kwargs)


def test_the_version_is_not_shown_with_the_api_on(servers):
    import rasa

    root = requests.get(f"{servers['rasa']}/", timeout=10)
    version = requests.get(f"{servers['rasa']}/version", timeout=10)
    assert root.status_code == 200 and rasa.__version__ not in root.text
    assert version.status_code == 404 and rasa.__version__ not in version.text
    # the API itself still answers with the token
    status = requests.get(f"{servers['rasa']}/status", params={"token": API_TOKEN}, timeout=10)
    assert status.status_code == 200


def test_no_user_text_in_any_log_on_any_error_path(servers):
    rasa, stand_in = servers["rasa"], servers["stand_in"]
    webhook = f"{rasa}/webhooks/rest/webhook"
    # a normal turn: the conversation now holds the user's words
    assert say(rasa, MESSAGE).status_code == 200
    # odd payloads, and the form's number with markup
    for payload in ["/ask_amount" + json.dumps({"program": {"x": MARKER}}),
                    "/inform" + json.dumps({"number": f"<b>{PHONE}</b>"}), "/inform" + json.dumps({"money": MARKER}),
                    f"/{MARKER}", "/choose_program" + json.dumps({"program": NAME}, ensure_ascii=False)]:
        assert say(rasa, payload).status_code == 200
    # refused before the bot: overlong, malformed JSON, wrong type, odd sender ids
    assert say(rasa, (MESSAGE + " ") * 200).status_code == 200
    assert requests.post(webhook, data=f'{{"sender": "{SENDER}", "message": "{MESSAGE}'.encode(),
                         headers={"Content-Type": "application/json"}, timeout=30).status_code == 400
    # (what these are answered is tested in test_hostile_input.py and test_abuse_bypass.py)
    requests.post(webhook, data=MESSAGE.encode(), headers={"Content-Type": "text/plain; x=application/json"},
                  timeout=90)
    say(rasa, MESSAGE, sender=f"{MARKER}\n")
    say(rasa, MESSAGE, sender=f"line:{MARKER}")
    requests.post(f"{rasa}/webhooks/rest/webhook?{MARKER}={PHONE}", json={"sender": SENDER}, timeout=30)
    requests.get(f"{rasa}/{MARKER}?q={PHONE}", timeout=30)
    requests.get(f"{rasa}/socket.io/?EIO=4&transport=polling&{MARKER}={PHONE}", timeout=30)
    # the action server fails with a 500 that echoes the request (another rasa_sdk)
    stand_in.mode = "fail"
    failed = say(rasa, MESSAGE)
    assert failed.status_code == 200 and "不具合" in failed.json()[0]["text"]
    # the action server drops the connection, then is down
    stand_in.mode = "drop"
    assert say(rasa, MESSAGE).status_code == 200
    stand_in.close()
    assert say(rasa, MESSAGE).status_code == 200
    # a failing action called directly on the real action server
    failing = {"next_action": "action_answer", "sender_id": SENDER, "version": "3.6.21",
               "tracker": {"sender_id": SENDER, "latest_message": MESSAGE, "slots": [MESSAGE], "events": []},
               "domain": {}}
    assert requests.post(f"{servers['actions']}/webhook", json=failing, timeout=30).status_code == 500
    requests.post(f"{servers['actions']}/webhook", data=f'{{"tracker": "{MESSAGE}'.encode(),
                  headers={"Content-Type": "application/json"}, timeout=30)
    requests.post(f"{servers['actions']}/webhook", json={"next_action": MARKER, "tracker": {}}, timeout=30)
    # the page server: odd paths and queries
    page = servers["page"]
    requests.get(f"{page}/?{MARKER}={PHONE}", timeout=30)
    requests.get(f"{page}/{MARKER}/{NAME}", timeout=30)
    requests.post(f"{page}/{MARKER}", data=MESSAGE.encode(), timeout=30)
    requests.get(f"{page}/config.json", headers={"Host": f"{MARKER}.example"}, timeout=30)

    for process in servers["processes"]:
        stop(process)
    logs = {path.name: path.read_text(errors="replace") for path in Path(servers["logs"]).glob("*.log")}
    assert set(logs) == {"rasa.log", "actions.log", "page.log"}
    # the error paths were taken: Rasa logged the failed actions
    assert logs["rasa.log"].count("ERROR") >= 2, logs["rasa.log"][-3000:]
    leaking = {name: [line for line in text.splitlines() if any(needle in line for needle in NEEDLES)]
               for name, text in logs.items()}
    counts = {name: len(lines) for name, lines in leaking.items()}
    longest = max(len(line) for text in logs.values() for line in text.splitlines())
    assert not any(counts.values()), (counts, f"longest line {longest}",
                                      {name: [line[:200] for line in lines[:3]] for name, lines in leaking.items()})
    assert longest < 2000


def test_the_scrubbing_is_only_above_debug():
    """At DEBUG the libraries' records are left whole (SECURITY.md: never run production at DEBUG)."""
    import logging

    from ops import log_privacy

    debug = log_privacy.make_safe(logging.LogRecord("rasa.core", logging.DEBUG, __file__, 1, MESSAGE, (), None))
    error = log_privacy.make_safe(logging.LogRecord("rasa.core", logging.ERROR, __file__, 1, "got %s",
                                                    (MESSAGE,), None))
    assert debug.getMessage() == MESSAGE
    assert PHONE not in error.getMessage() and NAME not in error.getMessage()

