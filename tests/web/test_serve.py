"""The page's server (web/serve.py), on a real socket: what it serves, what it refuses,
the widget's settings and the security headers."""

import threading

import pytest
import requests

from web.serve import Site, make_server, request_hostname

SOCKET_IO = "/* socket.io client */"


@pytest.fixture
def site(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "index.html").write_text("<!doctype html><title>ページ</title>", encoding="utf-8")
    (static / "chat.js").write_text("'use strict';")
    (static / ".secret.js").write_text("hidden")
    (static / "notes.txt").write_text("not a web file")
    (tmp_path / "outside.js").write_text("outside")
    vendor = tmp_path / "node_modules" / "socket.io.min.js"
    vendor.parent.mkdir()
    vendor.write_text(SOCKET_IO)
    return Site(rasa_port=5005, static_dir=static, vendor={"/vendor/socket.io.min.js": vendor},
                contact={"name": "産業労働局中小企業部中小企業支援課", "phone": "045-210-5550"})


@pytest.fixture
def base_url(site):
    server = make_server("127.0.0.1", 0, site)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def get(base_url, path, **headers):
    return requests.get(base_url + path, headers=headers, timeout=5)


def test_the_page_and_its_files_with_types_and_security_headers(base_url):
    page = get(base_url, "/")
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "ページ" in page.content.decode("utf-8")
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert get(base_url, "/chat.js").headers["Content-Type"] == "text/javascript; charset=utf-8"


def test_the_npm_asset_is_served_from_node_modules(base_url):
    response = get(base_url, "/vendor/socket.io.min.js")
    assert response.status_code == 200 and response.text == SOCKET_IO


@pytest.mark.parametrize("path", ["/../outside.js", "/%2e%2e/outside.js", "/static/../../outside.js",
                                  "/.secret.js", "/notes.txt", "/vendor/other.js", "/missing.html",
                                  "/chat.js%00.html", "//etc/passwd"])
def test_nothing_outside_the_site_is_served(base_url, path):
    response = requests.get(base_url + path, timeout=5, allow_redirects=False)
    assert response.status_code == 404
    assert "outside" not in response.text and "hidden" not in response.text


def test_config_points_the_widget_at_rasa_on_the_pages_host(base_url):
    config = get(base_url, "/config.json", Host="127.0.0.1:8000").json()
    assert config == {"socketUrl": "http://127.0.0.1:5005", "socketPath": "/socket.io/",
                      "contact": {"name": "産業労働局中小企業部中小企業支援課", "phone": "045-210-5550"}}
    csp = get(base_url, "/", Host="localhost:8000").headers["Content-Security-Policy"]
    assert "connect-src 'self' http://localhost:5005 ws://localhost:5005;" in csp


def test_a_fixed_rasa_url_wins(site):
    site.rasa_url = "https://bot.example.jp/"
    assert site.config("localhost:8000")["socketUrl"] == "https://bot.example.jp"
    assert "https://bot.example.jp wss://bot.example.jp;" in site.content_security_policy("localhost")


@pytest.mark.parametrize("header, hostname", [
    ("localhost:8000", "localhost"), ("127.0.0.1:8000", "127.0.0.1"), ("[::1]:8000", "[::1]"),
    ("example.jp", "example.jp"), (None, "localhost"), ("evil.jp; script-src *", "localhost"),
    ("a b:80", "localhost"), ("'self'", "localhost")])
def test_only_plain_host_names_reach_urls_and_headers(header, hostname):
    assert request_hostname(header) == hostname
