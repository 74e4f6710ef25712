"""The page server (:8000) as a real process (``python -m web.serve``) under abuse: a real
listen queue, a deadline for a whole request, idle connections closed, security headers
on every answer including errors, and ``Vary: Host`` when Rasa's URL comes from the Host
header. (What it serves is in test_serve.py; figures under load: bench/page_server.py.)"""

import socket
import subprocess
import sys
import time

import pytest
import requests

from ops.processes import base_env, free_port, start, stop, wait_for

pytestmark = pytest.mark.slow

SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Cache-Control")


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("page") / "page.log"
    process = start([sys.executable, "-m", "web.serve", "--port", str(port), "--rasa-port", "5005"], log,
                    base_env(WEB_REQUEST_TIMEOUT="3", WEB_KEEP_ALIVE_TIMEOUT="2"))
    wait_for(f"http://127.0.0.1:{port}/", process, log, timeout=60)
    yield port
    stop(process)


def closed_within(sock: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closed the connection, or None if it is still open."""
    began = time.monotonic()
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return None
    except OSError:
        pass
    return time.monotonic() - began


def test_the_listen_queue_is_not_five(page):
    listening = subprocess.run(["ss", "-Hltn", f"sport = :{page}"], capture_output=True, text=True).stdout
    backlog = int(listening.split()[2])  # Send-Q of a listening socket: its backlog
    assert backlog >= 128


def test_an_idle_connection_is_closed(page):
    with socket.create_connection(("127.0.0.1", page)) as sock:
        assert closed_within(sock, 15) is not None


def test_a_kept_alive_connection_is_closed_when_idle(page):
    with socket.create_connection(("127.0.0.1", page)) as sock:
        sock.sendall(b"GET /config.json HTTP/1.1\r\nHost: localhost\r\n\r\n")
        time.sleep(0.5)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        assert closed_within(sock, 15) is not None


def test_a_request_sent_byte_by_byte_is_cut_off(page):
    with socket.create_connection(("127.0.0.1", page)) as sock:
        began = time.monotonic()
        for byte in b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + b"a" * 100:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                break
            time.sleep(0.5)
            if time.monotonic() - began > 20:
                break
        assert time.monotonic() - began < 15


@pytest.mark.parametrize("method, path, status", [("GET", "/missing.html", 404), ("POST", "/", 405),
                                                  ("PUT", "/config.json", 405), ("DELETE", "/", 405),
                                                  ("GET", "/" + "a" * 20000, 413)])
def test_errors_carry_the_security_headers(page, method, path, status):
    response = requests.request(method, f"http://127.0.0.1:{page}{path}", timeout=10)
    assert response.status_code in (status, 400, 404, 414) and response.status_code >= 400
    for header in SECURITY_HEADERS:
        assert header in response.headers, (header, response.status_code, dict(response.headers))
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_a_malformed_request_gets_the_headers_too(page):
    with socket.create_connection(("127.0.0.1", page), timeout=10) as sock:
        sock.sendall(b"NONSENSE\r\n\r\n")
        answer = sock.recv(65536).decode("latin-1")
    assert answer.startswith("HTTP/1.1 4")
    assert "content-security-policy" in answer.lower() and "x-content-type-options" in answer.lower()


def test_answers_that_depend_on_the_host_say_so(page):
    for path in ("/", "/config.json", "/missing.html"):
        response = requests.get(f"http://127.0.0.1:{page}{path}", timeout=10)
        assert "Host" in response.headers.get("Vary", ""), path
