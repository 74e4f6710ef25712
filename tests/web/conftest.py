"""Real servers and a real browser for the web chat tests.

* the action server and Rasa with the socket.io channel as credentials.yml configures it
  (channels.resilience.ResilientSocketIOInput, session_persistence), from a credentials
  file in a tmp dir, and a copy of the trained model (the lead retrains models/ at will);
* the page's server, ``python -m web.serve`` (runs ``npm ci`` in web/ first if the
  socket.io client is not installed);
* Debian's Chromium (``apt-get install chromium fonts-noto-cjk``) driven by Playwright;
  the browser tests skip, saying so, only when it is missing.

Ports: WEB_TEST_RASA_PORT, WEB_TEST_ACTION_PORT, WEB_TEST_PAGE_PORT (free ports when
unset). Screenshots are written to test-artifacts/web/ (gitignored).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ops.processes import ROOT, base_env, free_port, start, start_actions, start_rasa, stop, wait_for

from ..conftest import SERVICES_REQUIRED
from ..e2e.conftest import ensure_model

HERE = Path(__file__).resolve().parent
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts" / "web"
SOCKET_IO_CLIENT = ROOT / "web" / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 375, "height": 667}


def pytest_collection_modifyitems(config, items):
    """Browser tests skip, with the reason, when Debian's Chromium is not installed
    (and fail in CI, where .ci/run installs it)."""
    if CHROMIUM.exists() or SERVICES_REQUIRED:
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing (apt-get install -y chromium fonts-noto-cjk)")
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents and "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)


def port(variable: str) -> int:
    return int(os.environ[variable]) if os.environ.get(variable) else free_port()


@pytest.fixture(scope="session")
def web_ports() -> dict:
    return {"rasa": port("WEB_TEST_RASA_PORT"), "actions": port("WEB_TEST_ACTION_PORT"),
            "page": port("WEB_TEST_PAGE_PORT")}


@pytest.fixture(scope="session")
def web_origins(web_ports) -> str:
    """The page's origins, the ones Rasa lets open its socket.io channel."""
    return f"http://localhost:{web_ports['page']},http://127.0.0.1:{web_ports['page']}"


@pytest.fixture(scope="session")
def web_logs(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("web-logs")


@pytest.fixture(scope="session")
def web_model(kb_path, tmp_path_factory) -> Path:
    """A copy of the trained model (training it first if `make train` has not)."""
    copy = tmp_path_factory.mktemp("web-model") / "model.tar.gz"
    shutil.copyfile(ensure_model(kb_path), copy)
    return copy


@pytest.fixture(scope="session")
def web_actions(kb_path, web_ports, web_logs):
    process = start_actions(web_ports["actions"], web_logs / "actions.log", base_env(kb_path))
    yield process
    stop(process)


@pytest.fixture(scope="session")
def socketio_credentials(tmp_path_factory) -> Path:
    """REST and socket.io, as credentials.yml has them."""
    path = tmp_path_factory.mktemp("web-config") / "credentials.yml"
    path.write_text("channels.resilience.ResilientRestInput:\n"
                    "channels.resilience.ResilientSocketIOInput:\n"
                    "  user_message_evt: user_uttered\n"
                    "  bot_message_evt: bot_uttered\n"
                    "  session_persistence: true\n")
    return path


@pytest.fixture(scope="session")
def rasa_url(web_model, web_actions, socketio_credentials, kb_path, web_ports, web_origins, web_logs) -> str:
    """Rasa with the socket.io channel, started as scripts/run.sh starts it."""
    endpoints = socketio_credentials.parent / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://localhost:{web_ports["actions"]}/webhook"\n')
    env = base_env(kb_path, BOT_CORS_ORIGINS=web_origins)
    process = start_rasa(web_model, web_ports["rasa"], endpoints, web_logs / "rasa.log", env,
                         credentials=str(socketio_credentials), extra=["--cors", *web_origins.split(",")])
    yield f"http://localhost:{web_ports['rasa']}"
    stop(process)


def ensure_web_build() -> None:
    """`npm ci` in web/ if the socket.io client it installs is missing."""
    if SOCKET_IO_CLIENT.is_file():
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail(f"{SOCKET_IO_CLIENT} is missing and npm is not installed (make web)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT / "web", check=True)


@pytest.fixture(scope="session")
def page_url(rasa_url, kb_path, web_ports, web_logs) -> str:
    """The help-desk page, served by web/serve.py and pointed at the test Rasa."""
    ensure_web_build()
    log = web_logs / "web.log"
    process = start([sys.executable, "-m", "web.serve", "--port", str(web_ports["page"]),
                     "--rasa-port", str(web_ports["rasa"])], log, base_env(kb_path))
    url = f"http://localhost:{web_ports['page']}/"
    wait_for(f"{url}config.json", process, log, timeout=30)
    yield url
    stop(process)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module: Playwright's sync API holds this thread's event loop
    while it runs, so it is stopped before other modules' asyncio.run()."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class ChatPage:
    """The page in one browser tab, with what the tests do to the chat widget.

    Records every request the page makes and every dialog (alert) it opens."""

    def __init__(self, page, url: str):
        self.page = page
        self.url = url
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("websocket", lambda socket: self.requests.append(socket.url))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

        def dialog(d):
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        self.log = page.locator("#kc-log")
        self.input = page.locator("#kc-input")
        self.status = page.locator("#kc-status")

    def goto(self) -> "ChatPage":
        self.page.goto(self.url)
        return self

    def open_chat(self) -> "ChatPage":
        self.page.click("#kc-launcher")
        self.wait_connected()
        return self

    def wait_connected(self, timeout: float = 20_000) -> None:
        self.page.wait_for_selector("#kc-chat[data-connection=ready]", state="attached", timeout=timeout)

    def bot_messages(self):
        return self.page.locator(".kc-msg--bot .kc-bubble")

    def user_messages(self):
        return self.page.locator(".kc-msg--user .kc-bubble")

    def ask(self, text: str, expect: str, timeout: float = 30_000):
        """Types `text`, presses Enter and waits for a bot message containing `expect`."""
        before = self.bot_messages().count()
        self.input.fill(text)
        self.input.press("Enter")
        return self.wait_bot(expect, before, timeout)

    def wait_bot(self, expect: str, before: int, timeout: float = 30_000):
        """The first bot message after the first `before` ones that contains `expect`."""
        answer = self.page.locator(".kc-msg--bot .kc-bubble").filter(has_text=expect).last
        answer.wait_for(timeout=timeout)
        assert self.bot_messages().count() > before
        self.page.wait_for_selector("#kc-typing", state="hidden")
        return answer

    def next_bot_message(self, before: int, timeout: float = 30_000):
        """The bot message after the first `before` ones, once the bot has finished answering."""
        message = self.bot_messages().nth(before)
        message.wait_for(timeout=timeout)
        self.page.wait_for_selector("#kc-typing", state="hidden")
        return message

    def session_id(self) -> str | None:
        return self.page.evaluate(
            "() => (JSON.parse(sessionStorage.getItem('kanagawa-sanro-chat/v1') || '{}').sessionId || null)")

    def screenshot(self, directory: Path, name: str) -> Path:
        path = directory / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture
def chat(browser, page_url):
    """A fresh browser context (desktop size, Japanese) on the page."""
    context = browser.new_context(viewport=DESKTOP, locale="ja-JP")
    page = context.new_page()
    yield ChatPage(page, page_url)
    context.close()


@pytest.fixture
def phone_chat(browser, page_url):
    """The page at a phone's width (375 px), with touch."""
    context = browser.new_context(viewport=PHONE, locale="ja-JP", is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    page = context.new_page()
    yield ChatPage(page, page_url)
    context.close()
