"""Serve the help-desk page and its chat widget on one port (Sanic, as Rasa itself).

    .venv/bin/python -m web.serve --port 8000 --rasa-port 5005

What it serves, and nothing else:

* ``/`` and the files of ``web/static`` (page, widget script and styles, icon);
* ``/vendor/socket.io.min.js``: the socket.io client that ``npm ci`` installed into
  ``web/node_modules`` at build time (no CDN: the page works offline);
* ``/config.json``: where the widget finds Rasa's socket.io channel, and the division
  to call when it cannot reach it (the knowledge base's general contact).

The widget connects to Rasa directly. Unless ``--rasa-url`` is given, Rasa is taken to be
on the host the page was loaded from (so ``localhost`` and ``127.0.0.1`` both work, each
being an origin Rasa must allow: ``BOT_CORS_ORIGINS``) at ``--rasa-port``. Every answer
carries a Content-Security-Policy that allows scripts, styles and connections only from
this server and that Rasa, and ``Vary: Host`` when that Rasa is taken from the Host header.

The server is Sanic (installed with Rasa, asyncio), not the standard library's
``http.server``: that one is documented as not for production, keeps a thread per
connection with no deadline for a whole request (a client sending a byte every few
seconds holds its thread forever) and had a listen queue of 5. Here a request must arrive
whole within ``REQUEST_TIMEOUT`` seconds, an idle connection is closed after
``KEEP_ALIVE_TIMEOUT``, the listen queue is ``BACKLOG``, request heads are size-limited,
and every answer, Sanic's own error pages included, carries the security headers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import mimetypes
import os
import re
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sanic import Sanic, response
from sanic.http import Stage
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic.server.protocols.http_protocol import HttpProtocol

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
NODE_MODULES = WEB_DIR / "node_modules"

# URL → file installed by `npm ci` (web/package.json). Only these are served from node_modules.
VENDOR = {
    "/vendor/socket.io.min.js": NODE_MODULES / "socket.io-client" / "dist" / "socket.io.min.js",
    "/vendor/socket.io.min.js.map": NODE_MODULES / "socket.io-client" / "dist" / "socket.io.min.js.map",
}
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}
SOCKET_PATH = "/socket.io/"
_HOSTNAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.\-]{0,251}[A-Za-z0-9])?$|^\[[0-9A-Fa-f:.]{2,45}\]$")


def request_hostname(host_header: str | None) -> str:
    """The host name of a ``Host`` header without its port; ``localhost`` if it is not a
    plain host name or IP address (it ends up in a URL and a security header)."""
    host = (host_header or "").strip()
    if host.startswith("["):
        host = host[: host.find("]") + 1]
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host if _HOSTNAME.match(host) else "localhost"


def websocket_origin(http_url: str) -> str:
    """``ws://host:port`` (or ``wss://``) of an ``http(s)://host:port`` URL."""
    parts = urlsplit(http_url)
    return f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}"


def general_contact() -> dict | None:
    """The division to call when the chat is unreachable, from the knowledge base
    (source.yml's general contact); None if the knowledge base cannot be read."""
    try:
        from knowledge.kb import KnowledgeBase

        contact = KnowledgeBase().general_contact()
    except Exception:  # noqa: BLE001 - the page works without it: the widget then names no number
        logger.warning("no general contact: the knowledge base could not be read (make kb)")
        return None
    return {"name": contact.display_name, "phone": contact.phone}


@dataclass
class Site:
    """What the server serves: the static folder, the npm assets, where Rasa is."""

    rasa_port: int = 5005
    rasa_url: str | None = None  # fixed URL of Rasa; None: the page's host at rasa_port
    static_dir: Path = STATIC_DIR
    vendor: dict = field(default_factory=lambda: dict(VENDOR))
    contact: dict | None = None

    def rasa_url_for(self, host_header: str | None) -> str:
        if self.rasa_url:
            return self.rasa_url.rstrip("/")
        return f"http://{request_hostname(host_header)}:{self.rasa_port}"

    def config(self, host_header: str | None) -> dict:
        """The widget's settings (``/config.json``)."""
        return {"socketUrl": self.rasa_url_for(host_header), "socketPath": SOCKET_PATH,
                "contact": self.contact}

    def content_security_policy(self, host_header: str | None) -> str:
        rasa = self.rasa_url_for(host_header)
        return ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                f"font-src 'self'; connect-src 'self' {rasa} {websocket_origin(rasa)}; "
                "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")

    def file_for(self, url_path: str) -> Path | None:
        """The file a URL path names, or None: only files inside the static folder (no
        hidden files, no way out with ``..``) and the listed npm assets."""
        if url_path in self.vendor:
            path = self.vendor[url_path]
            return path if path.is_file() else None
        if url_path == "/":
            url_path = "/index.html"
        relative = unquote(url_path).lstrip("/")
        if not relative or "\\" in relative or "\0" in relative:
            return None
        if any(part.startswith(".") or part == "" for part in relative.split("/")):
            return None
        root = self.static_dir.resolve()
        path = (root / relative).resolve()
        if root not in path.parents or not path.is_file() or path.suffix not in CONTENT_TYPES:
            return None
        return path


# Limits of the page's server (seconds, bytes): a request must arrive whole within
# REQUEST_TIMEOUT, an idle keep-alive connection is closed after KEEP_ALIVE_TIMEOUT, and the
# kernel queues up to BACKLOG connections not yet accepted.
REQUEST_TIMEOUT = float(os.environ.get("WEB_REQUEST_TIMEOUT", "10"))
KEEP_ALIVE_TIMEOUT = float(os.environ.get("WEB_KEEP_ALIVE_TIMEOUT", "5"))
RESPONSE_TIMEOUT = 10.0
BACKLOG = int(os.environ.get("WEB_BACKLOG", "1024"))
REQUEST_MAX_SIZE = 16 * 1024           # GET and HEAD only: headers and nothing else
REQUEST_MAX_HEADER_SIZE = 8 * 1024
SERVER_NAME = "kanagawa-webchat"
NOT_FOUND = "ページが見つかりません。\n"


def security_headers(site: Site, host_header: str | None) -> dict:
    """Headers of every answer, errors included. The CSP names Rasa's URL, which (without a
    fixed ``rasa_url``) comes from the request's Host: caches must key on it (Vary)."""
    headers = {
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Content-Security-Policy": site.content_security_policy(host_header),
    }
    if not site.rasa_url:
        headers["Vary"] = "Host"
    return headers


class DeadlineProtocol(HttpProtocol):
    """Sanic's HTTP protocol with ``REQUEST_TIMEOUT`` as a deadline for the whole request.

    Sanic 21.12 restarts the request timeout at every chunk received, so a client sending a
    byte every few seconds keeps its connection for ever (slowloris). Here, once a request
    has begun, further chunks do not move its start."""

    def data_received(self, data: bytes) -> None:
        began = self._time
        http = getattr(self, "_http", None)  # made when the connection task starts
        receiving = http is not None and http.stage is Stage.REQUEST
        super().data_received(data)
        if receiving:
            self._time = began


def make_app(site: Site) -> Sanic:
    """The page's Sanic application (not yet serving)."""
    app = Sanic(f"kanagawa_page_{id(site)}", configure_logging=False)
    app.config.update({"REQUEST_TIMEOUT": REQUEST_TIMEOUT, "RESPONSE_TIMEOUT": RESPONSE_TIMEOUT,
                       "KEEP_ALIVE_TIMEOUT": KEEP_ALIVE_TIMEOUT, "REQUEST_MAX_SIZE": REQUEST_MAX_SIZE,
                       "REQUEST_MAX_HEADER_SIZE": REQUEST_MAX_HEADER_SIZE, "ACCESS_LOG": False})

    async def answer(request: Request, path: str = ""):
        url_path = request.path
        if url_path == "/config.json":
            body = json.dumps(site.config(request.headers.get("host")), ensure_ascii=False).encode("utf-8")
            return response.raw(body, content_type=CONTENT_TYPES[".json"])
        file = site.file_for(url_path)
        if file is None:
            return response.text(NOT_FOUND, status=404)
        content_type = CONTENT_TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0]
        return response.raw(file.read_bytes(), content_type=content_type)

    app.add_route(answer, "/", methods=["GET", "HEAD"], name="root")
    app.add_route(answer, "/<path:path>", methods=["GET", "HEAD"], name="file", unquote=False)

    @app.on_response
    async def headers(request: Request, response_: HTTPResponse) -> None:
        # every answer, errors included (404, 405, 413, Sanic's own error pages)
        response_.headers.update(security_headers(site, request.headers.get("host")))
        response_.headers["Server"] = SERVER_NAME

    @app.exception(Exception)
    async def error(request: Request, exception: Exception):
        status = getattr(exception, "status_code", 500)
        status = status if isinstance(status, int) and 400 <= status < 600 else 500
        if status >= 500:
            logger.error("page server error: %s", type(exception).__name__)
        answer_ = response.text(NOT_FOUND if status == 404 else f"{status}\n", status=status)
        answer_.headers.update(security_headers(site, request.headers.get("host") if request else None))
        answer_.headers["Server"] = SERVER_NAME
        return answer_

    return app


class PageServer:
    """The page's server on a socket of its own, run in a thread (tests, embedding) with the
    same application and limits as ``main``: ``serve_forever``, ``shutdown``, ``server_close``."""

    def __init__(self, host: str, port: int, site: Site):
        # Sanic rewrites its connection handler for each app it starts; several apps in one
        # process (tests) need it rewritten from the original each time (Sanic's test mode)
        Sanic.test_mode = True
        self.app = make_app(site)
        self.socket = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind((host, port))
        self.socket.listen(BACKLOG)
        self.server_port = self.socket.getsockname()[1]
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopped = threading.Event()

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        loop = self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        # not accepting before the app is started (its routes and signals finalised)
        server = loop.run_until_complete(self.app.create_server(
            sock=self.socket, backlog=BACKLOG, return_asyncio_server=True, protocol=DeadlineProtocol,
            asyncio_server_kwargs={"start_serving": False}))

        async def start() -> None:
            await server.startup()
            await server.before_start()
            await server.start_serving()
            await server.after_start()

        loop.run_until_complete(start())
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(server.before_stop())
            server.close()
            loop.run_until_complete(server.wait_closed())
            for connection in list(server.connections):
                connection.abort()
            tasks = [task for task in asyncio.all_tasks(loop) if not task.done()]
            for task in tasks:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
            loop.run_until_complete(server.after_stop())
            loop.close()
            self._stopped.set()

    def shutdown(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._stopped.wait(10)

    def server_close(self) -> None:
        self.socket.close()


def make_server(host: str, port: int, site: Site) -> PageServer:
    """A server for ``site`` (not yet serving); port 0 picks a free port."""
    return PageServer(host, port, site)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=os.environ.get("WEB_HOST", "127.0.0.1"),
                        help="address to listen on (WEB_HOST, default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8000")),
                        help="port (WEB_PORT, default 8000)")
    parser.add_argument("--rasa-port", type=int, default=int(os.environ.get("RASA_PORT", "5005")),
                        help="Rasa's port on the page's host (RASA_PORT, default 5005)")
    parser.add_argument("--rasa-url", default=os.environ.get("WEB_RASA_URL") or None,
                        help="Rasa's URL as the browser reaches it, e.g. https://bot.example.jp "
                             "(WEB_RASA_URL; default: the page's host at --rasa-port)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s  %(message)s")
    missing = [str(path) for path in VENDOR.values() if path.suffix == ".js" and not path.is_file()]
    if missing:
        parser.exit(1, f"missing {', '.join(missing)}: run `npm ci` in web/ (make web)\n")
    site = Site(rasa_port=args.rasa_port, rasa_url=args.rasa_url, contact=general_contact())
    logger.info("help-desk page: http://localhost:%d/ (Rasa socket.io: %s)", args.port,
                args.rasa_url or f"page's host, port {args.rasa_port}")
    make_app(site).run(args.host, args.port, backlog=BACKLOG, access_log=False, workers=1,
                       protocol=DeadlineProtocol)


if __name__ == "__main__":
    main()
