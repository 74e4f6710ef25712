"""Real servers for end-to-end tests: the action server and Rasa with the trained model.

The model is the one `make train` builds (models/current.tar.gz); if it is missing the
fixture trains it. Servers listen on Rasa's default ports (5005, 5055) unless
E2E_RASA_PORT / E2E_ACTION_PORT say otherwise.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "current.tar.gz"
RASA_PORT = int(os.environ.get("E2E_RASA_PORT", "5005"))
ACTION_PORT = int(os.environ.get("E2E_ACTION_PORT", "5055"))
RASA_URL = f"http://localhost:{RASA_PORT}"


def server_env(kb_path) -> dict:
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2",
               KNOWLEDGE_DB=str(kb_path), PYTHONPATH=str(ROOT))
    return env


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise RuntimeError(f"{url} did not come up in {timeout}s:\n{log.read_text(errors='replace')[-3000:]}")


def start(args, log: Path, env: dict) -> subprocess.Popen:
    handle = log.open("w")
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def trained_model(kb_path) -> Path:
    if not MODEL.exists():
        subprocess.run([str(VENV_BIN / "rasa"), "train", "--fixed-model-name", "current", "--out", "models"],
                       cwd=ROOT, env=server_env(kb_path), check=True)
    return MODEL


@pytest.fixture(scope="session")
def action_server(kb_path, tmp_path_factory):
    log = tmp_path_factory.mktemp("logs") / "actions.log"
    process = start([str(VENV_BIN / "rasa"), "run", "actions", "--port", str(ACTION_PORT)], log,
                    server_env(kb_path))
    wait_for(f"http://localhost:{ACTION_PORT}/health", process, log)
    yield process
    stop(process)


@pytest.fixture(scope="session")
def endpoints_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("config") / "endpoints.yml"
    path.write_text(f'action_endpoint:\n  url: "http://localhost:{ACTION_PORT}/webhook"\n')
    return path


@pytest.fixture(scope="session")
def rasa_server(trained_model, action_server, endpoints_file, kb_path, tmp_path_factory):
    log = tmp_path_factory.mktemp("logs") / "rasa.log"
    process = start([str(VENV_BIN / "rasa"), "run", "--model", str(trained_model), "--port", str(RASA_PORT),
                     "--endpoints", str(endpoints_file), "--credentials", "credentials.yml"], log,
                    server_env(kb_path))
    wait_for(f"{RASA_URL}/", process, log)
    yield RASA_URL
    stop(process)


class Conversation:
    """One user talking to the bot over the REST channel."""

    def __init__(self, base_url: str, sender: str):
        self.url = f"{base_url}/webhooks/rest/webhook"
        self.sender = sender

    def say(self, text: str) -> list[dict]:
        response = requests.post(self.url, json={"sender": self.sender, "message": text}, timeout=60)
        response.raise_for_status()
        return response.json()

    def text(self, message: str) -> str:
        return "\n".join(m.get("text", "") for m in self.say(message))
