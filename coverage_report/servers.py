"""The bot under test: starting its two servers, and talking to it over HTTP.

:class:`Servers` starts the action server and Rasa (REST channel from credentials.yml,
HTTP API enabled with a token) on a *copy* of the model, so retraining
``models/current.tar.gz`` during a run changes nothing. It waits the way the end-to-end
tests do (tests/e2e/conftest.py) and stops both servers on exit.

:class:`BotClient` sends one message over the REST channel (``/webhooks/rest/webhook``)
and asks the HTTP API for the NLU parse (``/model/parse``, needs the token).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import uuid
from pathlib import Path

import requests

from ops.processes import ROOT, VENV_BIN, base_env, stop, wait_for

DEFAULT_MODEL = ROOT / "models" / "current.tar.gz"
DEFAULT_RASA_PORT = 5405
DEFAULT_ACTION_PORT = 5455


def server_env(kb_path: Path | None = None) -> dict:
    """The environment of both servers: telemetry off, the project importable, one knowledge base."""
    return base_env(kb_path)


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def copy_model(model: Path, workdir: Path) -> Path:
    """A private copy of the model, so a retrain of the original cannot change it mid-run."""
    if not Path(model).exists():
        raise FileNotFoundError(f"model {model} does not exist; train it with `make train`")
    workdir.mkdir(parents=True, exist_ok=True)
    copy = workdir / "model.tar.gz"
    shutil.copy2(model, copy)
    return copy


class Servers:
    """The action server and Rasa, started on a copy of the model; use as a context manager."""

    def __init__(self, model: Path, workdir: Path, kb_path: Path | None = None,
                 rasa_port: int = DEFAULT_RASA_PORT, action_port: int = DEFAULT_ACTION_PORT):
        self.workdir = Path(workdir)
        self.model = copy_model(Path(model), self.workdir)
        self.kb_path = kb_path
        self.rasa_port, self.action_port = rasa_port, action_port
        self.token = uuid.uuid4().hex
        self.url = f"http://localhost:{rasa_port}"
        self.processes: list[subprocess.Popen] = []

    def _start(self, args: list[str], log: Path) -> subprocess.Popen:
        handle = log.open("w")
        process = subprocess.Popen(args, cwd=ROOT, env=server_env(self.kb_path), stdout=handle,
                                   stderr=subprocess.STDOUT)
        handle.close()
        self.processes.append(process)
        return process

    def start(self) -> "Servers":
        for port in (self.rasa_port, self.action_port):
            if port_in_use(port):
                raise RuntimeError(f"port {port} is already in use; choose others with --rasa-port/--action-port "
                                   "or use the running bot with --url")
        endpoints = self.workdir / "endpoints.yml"
        endpoints.write_text(f'action_endpoint:\n  url: "http://localhost:{self.action_port}/webhook"\n')
        rasa = str(VENV_BIN / "rasa")
        actions_log, rasa_log = self.workdir / "actions.log", self.workdir / "rasa.log"
        actions = self._start([rasa, "run", "actions", "--port", str(self.action_port)], actions_log)
        server = self._start([rasa, "run", "--model", str(self.model), "--port", str(self.rasa_port),
                              "--endpoints", str(endpoints), "--credentials", "credentials.yml",
                              "--enable-api", "--auth-token", self.token], rasa_log)
        try:
            wait_for(f"http://localhost:{self.action_port}/health", actions, actions_log)
            wait_for(f"{self.url}/", server, rasa_log)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for process in reversed(self.processes):
            stop(process)
        self.processes.clear()

    def __enter__(self) -> "Servers":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class BotClient:
    """One bot over HTTP; safe to use from several threads (a session per thread)."""

    def __init__(self, url: str, token: str | None = None, timeout: float = 60):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._local = threading.local()

    @property
    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def reachable(self) -> bool:
        """Whether Rasa answers at all (its root URL says hello)."""
        try:
            return self._session.get(f"{self.url}/", timeout=5).ok
        except requests.RequestException:
            return False

    def say(self, sender: str, text: str) -> list[dict]:
        """The bot's messages for one user message over the REST channel."""
        response = self._session.post(f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                                      timeout=self.timeout)
        response.raise_for_status()
        return response.json()

    def parse(self, text: str) -> dict | None:
        """Intent, confidence and entities from the HTTP API, or None without a token."""
        if not self.token:
            return None
        response = self._session.post(f"{self.url}/model/parse", params={"token": self.token}, json={"text": text},
                                      timeout=self.timeout)
        response.raise_for_status()
        return response.json()

    def status(self) -> dict | None:
        """The loaded model's file and fingerprint (HTTP API), or None without a token."""
        if not self.token:
            return None
        try:
            response = self._session.get(f"{self.url}/status", params={"token": self.token}, timeout=self.timeout)
            return response.json() if response.ok else None
        except (requests.RequestException, ValueError):
            return None
