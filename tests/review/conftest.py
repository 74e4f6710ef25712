"""The bot with a real tracker store for the review tests: the action server, and Rasa
with SQLite (a tmp file, as endpoints.yml) or with PostgreSQL and Redis (started here, as
the production tests start them, through endpoints.production.yml). Nothing is mocked."""

from __future__ import annotations

import pytest

from ops.processes import (
    base_env,
    free_port,
    postgres_bin,
    production_env,
    start_actions,
    start_postgres,
    start_rasa,
    start_redis,
    stop,
)

from ..conftest import missing_service
from ..e2e.conftest import ensure_model


@pytest.fixture(scope="session")
def review_model(kb_path):
    return ensure_model(kb_path)


@pytest.fixture(scope="session")
def review_actions(kb_path, tmp_path_factory):
    port = free_port()
    process = start_actions(port, tmp_path_factory.mktemp("review-logs") / "actions.log", base_env(kb_path))
    yield port
    stop(process)


@pytest.fixture(scope="session")
def sqlite_bot(review_model, review_actions, kb_path, tmp_path_factory):
    """Rasa keeping conversations in SQLite: its URL, endpoints file and environment."""
    folder = tmp_path_factory.mktemp("review-sqlite")
    endpoints = folder / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://localhost:{review_actions}/webhook"\n'
                         f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{folder / "trackers.db"}"\n')
    port = free_port()
    env = base_env(kb_path)
    process = start_rasa(review_model, port, endpoints, folder / "rasa.log", env)
    yield {"url": f"http://localhost:{port}", "args": ["--endpoints", str(endpoints)], "env": env,
           "db": folder / "trackers.db"}
    stop(process)


@pytest.fixture(scope="session")
def postgres_bot(review_model, review_actions, kb_path, tmp_path_factory):
    """Rasa on the production profile (PostgreSQL tracker store, Redis lock store); the
    review finds the store as the bot does, from BOT_PROFILE=production."""
    if postgres_bin() is None:
        missing_service("PostgreSQL server binaries not installed (apt-get install postgresql; .ci/run does)")
    try:
        redis = start_redis(tmp_path_factory.mktemp("review-redis"))
    except FileNotFoundError as error:
        missing_service(f"{error}; .ci/run installs it")
    postgres = start_postgres(tmp_path_factory.mktemp("review-pg"))
    folder = tmp_path_factory.mktemp("review-production")
    env = production_env(kb_path, postgres, redis, review_actions)
    port = free_port()
    process = start_rasa(review_model, port, "endpoints.production.yml", folder / "rasa.log", env)
    yield {"url": f"http://localhost:{port}", "args": [], "env": {**env, "BOT_PROFILE": "production"},
           "postgres": postgres}
    stop(process)
    postgres.stop()
    redis.stop()
