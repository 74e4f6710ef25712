"""Rasa without its version on show: Rasa 3.6.21 answers ``Hello from Rasa: 3.6.21`` on
``/`` to anyone, and with the HTTP API enabled ``/version`` answers without the token.

:func:`install` replaces ``rasa.server.add_root_route`` (Rasa's run calls it after the input
channels, hence this package, are loaded) with the same route answering only that the
server is up, so health checks keep working; and wraps ``rasa.server.create_app`` (the
app with the HTTP API) so that ``/version`` is a 404.
"""

from __future__ import annotations

import functools

from rasa import server
from sanic import Sanic, response

ROOT_ANSWER = "Hello from Rasa"
HIDDEN_PATHS = {"/version"}


def add_root_route(app: Sanic) -> None:
    @app.get("/")
    async def hello(request):
        return response.text(ROOT_ANSWER)


def hide_paths(app: Sanic) -> None:
    @app.on_request
    async def not_found(request):
        if request.path.rstrip("/") in HIDDEN_PATHS:
            return response.json({"error": "not found"}, status=404)


def install() -> None:
    server.add_root_route = add_root_route
    original = server.create_app
    if getattr(original, "_hides_version", False):
        return

    @functools.wraps(original)
    def create_app(*args, **kwargs):
        app = original(*args, **kwargs)
        hide_paths(app)
        return app

    create_app._hides_version = True
    server.create_app = create_app
