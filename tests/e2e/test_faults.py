"""Faults: the action server down or back, the knowledge base missing or corrupt."""

import socket
import subprocess
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
