"""Rasa's ``/`` without the version: Rasa 3.6.21 answers ``Hello from Rasa: 3.6.21`` to anyone.

:func:`install` replaces ``rasa.server.add_root_route`` (Rasa's run calls it after the input
channels, hence this package, are loaded) with the same route answering only that the
server is up, so health checks keep working.
"""

from __future__ import annotations

from rasa import server
from sanic import Sanic, response

ROOT_ANSWER = "Hello from Rasa"


def add_root_route(app: Sanic) -> None:
    @app.get("/")
    async def hello(request):
        return response.text(ROOT_ANSWER)


def install() -> None:
    server.add_root_route = add_root_route
