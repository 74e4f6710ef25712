"""Serve the help-desk page and its chat widget on one port (standard library only).

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
this server and that Rasa.
"""

from __future__ import annotations

import argparse
import json
import logging
import mimetypes
import os
import re
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

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


class Handler(BaseHTTPRequestHandler):
    """GET and HEAD of the site's files; every answer with security headers."""

    site: Site = Site()
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return "kanagawa-webchat"

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self._answer(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(with_body=False)

    def _answer(self, with_body: bool) -> None:
        url_path = urlsplit(self.path).path
        host = self.headers.get("Host")
        if url_path == "/config.json":
            body = json.dumps(self.site.config(host), ensure_ascii=False).encode("utf-8")
            return self._send(HTTPStatus.OK, CONTENT_TYPES[".json"], body, with_body)
        path = self.site.file_for(url_path)
        if path is None:
            return self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8",
                              "ページが見つかりません。\n".encode(), with_body)
        content_type = CONTENT_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
        return self._send(HTTPStatus.OK, content_type, path.read_bytes(), with_body)

    def _send(self, status: HTTPStatus, content_type: str, body: bytes, with_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", self.site.content_security_policy(self.headers.get("Host")))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's signature
        logger.info("%s %s", self.address_string(), format % args)


def make_server(host: str, port: int, site: Site) -> ThreadingHTTPServer:
    """A server for ``site`` (not yet serving); port 0 picks a free port."""
    handler = type("SiteHandler", (Handler,), {"site": site})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


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
    server = make_server(args.host, args.port, site)
    logger.info("help-desk page: http://localhost:%d/ (Rasa socket.io: %s)", server.server_port,
                args.rasa_url or f"page's host, port {args.rasa_port}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
