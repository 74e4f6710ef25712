"""Faults: the action server down or back, the knowledge base missing or corrupt."""

import http.server
import socket
import subprocess
import threading
import time
import uuid

import pytest
import requests

from .conftest import ROOT, VENV_BIN, server_env, start, stop, wait_for

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_action_server_down_gets_an_apology_in_seconds_and_the_conversation_continues(
        trained_model, kb_path, tmp_path):
    action_port, rasa_port = free_port(), free_port()
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://localhost:{action_port}/webhook"\n')
    env = server_env(kb_path)
    rasa = start([str(VENV_BIN / "rasa"), "run", "--model", str(trained_model), "--port", str(rasa_port),
                  "--endpoints", str(endpoints), "--credentials", "credentials.yml"], tmp_path / "rasa.log", env)
    actions = None
    try:
        wait_for(f"http://localhost:{rasa_port}/", rasa, tmp_path / "rasa.log")
        url = f"http://localhost:{rasa_port}/webhooks/rest/webhook"
        sender = f"fault-{uuid.uuid4().hex}"
        started = time.monotonic()
        reply = requests.post(url, json={"sender": sender, "message": "生産性向上の補助金について教えて"}, timeout=60)
        elapsed = time.monotonic() - started
        text = "\n".join(m.get("text", "") for m in reply.json())
        assert "申し訳ありません" in text and "045-210-5550" in text
        assert elapsed < 10
        actions = start([str(VENV_BIN / "rasa"), "run", "actions", "--port", str(action_port)],
                        tmp_path / "actions.log", env)
        wait_for(f"http://localhost:{action_port}/health", actions, tmp_path / "actions.log")
        reply = requests.post(url, json={"sender": sender, "message": "生産性向上の補助金の問い合わせ先は？"}, timeout=60)
        assert "045-210-5550" in "\n".join(m.get("text", "") for m in reply.json())
        assert "申し訳ありません" not in "\n".join(m.get("text", "") for m in reply.json())
    finally:
        stop(rasa)
        if actions:
            stop(actions)


class SlowProxy:
    """Stands between Rasa and the real action server, holding each call for ``delay`` seconds."""

    def __init__(self, target: str):
        proxy = self
        self.delay = 0.0

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                time.sleep(proxy.delay)
                answer = requests.post(target + self.path, data=body, timeout=60,
                                       headers={"Content-Type": "application/json"})
                self.send_response(answer.status_code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def test_slow_action_server_gets_an_apology_in_seconds_and_the_turn_is_kept(trained_model, kb_path, tmp_path):
    action_port, rasa_port = free_port(), free_port()
    env = server_env(kb_path)
    actions = start([str(VENV_BIN / "rasa"), "run", "actions", "--port", str(action_port)],
                    tmp_path / "actions.log", env)
    proxy = SlowProxy(f"http://localhost:{action_port}")
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://localhost:{proxy.port}/webhook"\n')
    rasa = start([str(VENV_BIN / "rasa"), "run", "--model", str(trained_model), "--port", str(rasa_port),
                  "--endpoints", str(endpoints), "--credentials", "credentials.yml"], tmp_path / "rasa.log",
                 {**env, "BOT_REPLY_TIMEOUT_SECONDS": "3"})
    try:
        wait_for(f"http://localhost:{action_port}/health", actions, tmp_path / "actions.log")
        wait_for(f"http://localhost:{rasa_port}/", rasa, tmp_path / "rasa.log")
        url = f"http://localhost:{rasa_port}/webhooks/rest/webhook"
        sender = f"slow-{uuid.uuid4().hex}"
        proxy.delay = 8
        started = time.monotonic()
        reply = requests.post(url, json={"sender": sender, "message": "生産性向上の補助金について教えて"}, timeout=60)
        elapsed = time.monotonic() - started
        text = "\n".join(m.get("text", "") for m in reply.json())
        assert "申し訳ありません" in text and "045-210-5550" in text and elapsed < 6
        # the slow turn finishes in the background: its program is the context of the next
        proxy.delay = 0
        time.sleep(8)
        reply = requests.post(url, json={"sender": sender, "message": "電話番号は？"}, timeout=60)
        text = "\n".join(m.get("text", "") for m in reply.json())
        assert "045-210-5550" in text and "中小企業生産性向上促進事業費補助" in text
        assert "申し訳ありません" not in text
    finally:
        stop(rasa)
        proxy.close()
        stop(actions)


@pytest.mark.parametrize("content", [None, b"not a database at all" * 50])
def test_missing_or_corrupt_knowledge_base_is_a_clear_error_at_start(trained_model, tmp_path, content):
    path = tmp_path / "knowledge.db"
    if content is not None:
        path.write_bytes(content)
    env = server_env(path)
    # the run command refuses to start, naming the file and the command that rebuilds it
    result = subprocess.run(["scripts/run.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode != 0
    assert str(path) in result.stderr and "make kb" in result.stderr
    # Rasa on its own logs the same error when it loads the model
    log = tmp_path / "rasa.log"
    rasa = start([str(VENV_BIN / "rasa"), "run", "--model", str(trained_model), "--port", str(free_port()),
                  "--credentials", "credentials.yml"], log, env)
    try:
        deadline = time.time() + 240
        while time.time() < deadline and "make kb" not in log.read_text(errors="replace"):
            time.sleep(1)
        text = log.read_text(errors="replace")
        assert str(path) in text and "rebuild it with `make kb`" in text
    finally:
        stop(rasa)
