"""Real servers for end-to-end tests: the action server and Rasa with the trained model.

The model is the one `make train` builds (models/current.tar.gz); if it is missing the
fixture trains it. Servers listen on Rasa's default ports (5005, 5055) unless
E2E_RASA_PORT / E2E_ACTION_PORT say otherwise.
"""

import os
import subprocess
from pathlib import Path

import pytest
import requests

from ops.processes import ROOT, VENV_BIN, base_env, start, stop, wait_for  # noqa: F401 - re-exported for tests

MODEL = ROOT / "models" / "current.tar.gz"
RASA_PORT = int(os.environ.get("E2E_RASA_PORT", "5005"))
ACTION_PORT = int(os.environ.get("E2E_ACTION_PORT", "5055"))
RASA_URL = f"http://localhost:{RASA_PORT}"


def server_env(kb_path) -> dict:
    return base_env(kb_path)


def ensure_model(kb_path) -> Path:
    """The trained model, training it first if `make train` has not."""
    if not MODEL.exists():
        subprocess.run([str(VENV_BIN / "rasa"), "train", "--force", "--fixed-model-name", "current", "--out", "models"],
                       cwd=ROOT, env=server_env(kb_path), check=True)
    return MODEL


@pytest.fixture(scope="session")
def trained_model(kb_path) -> Path:
    return ensure_model(kb_path)


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
